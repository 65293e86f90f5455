package dev.eskit.jdbi;

import org.junit.jupiter.api.extension.RegisterExtension;

/** Snapshot management on Postgres. */
class PostgresSnapshotManagementTest extends SnapshotManagementContract {

    @RegisterExtension
    static final Databases DB = Databases.postgres();

    @Override
    Databases db() {
        return DB;
    }
}
