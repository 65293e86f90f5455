package dev.eskit.jdbi;

import org.junit.jupiter.api.extension.RegisterExtension;

/** Snapshot management on Sqlite. */
class SqliteSnapshotManagementTest extends SnapshotManagementContract {

    @RegisterExtension
    static final Databases DB = Databases.sqlite();

    @Override
    Databases db() {
        return DB;
    }
}
