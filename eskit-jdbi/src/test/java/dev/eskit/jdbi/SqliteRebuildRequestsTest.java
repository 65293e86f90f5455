package dev.eskit.jdbi;

import org.junit.jupiter.api.extension.RegisterExtension;

/** Rebuild requests on SQLite. */
class SqliteRebuildRequestsTest extends RebuildRequestsContract {

    @RegisterExtension
    static final Databases DB = Databases.sqlite();

    @Override
    Databases db() {
        return DB;
    }
}
