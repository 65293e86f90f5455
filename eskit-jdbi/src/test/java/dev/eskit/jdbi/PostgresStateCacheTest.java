package dev.eskit.jdbi;

import org.junit.jupiter.api.extension.RegisterExtension;

/** The command handler's state cache on PostgreSQL, two store instances on one schema standing for two nodes. */
class PostgresStateCacheTest extends StateCacheContract {

    @RegisterExtension
    static final Databases DB = Databases.postgres();

    @Override
    Databases db() {
        return DB;
    }

    @Override
    TableNames keyTables(Databases.Location location) {
        String qualified = location.toString();
        int dot = qualified.indexOf('.');
        return TableNames.of(qualified.substring(0, dot), qualified.substring(dot + 1));
    }
}
