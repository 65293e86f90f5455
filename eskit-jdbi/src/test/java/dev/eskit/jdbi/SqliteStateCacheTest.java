package dev.eskit.jdbi;

import org.junit.jupiter.api.extension.RegisterExtension;

/** The command handler's state cache on SQLite, two store instances on one file standing for two nodes. */
class SqliteStateCacheTest extends StateCacheContract {

    @RegisterExtension
    static final Databases DB = Databases.sqlite();

    @Override
    Databases db() {
        return DB;
    }

    @Override
    TableNames keyTables(Databases.Location location) {
        return TableNames.of(null, "eskit_");
    }
}
