package dev.eskit.jdbi;

import org.junit.jupiter.api.extension.RegisterExtension;

/** Issue 17's hostile tester on SQLite. */
class SqliteTenancyHostileTest extends TenancyHostileContract {

    @RegisterExtension
    static final Databases DB = Databases.sqlite();

    @Override
    Databases db() {
        return DB;
    }

    @Override
    TableNames tables(Databases.Location location) {
        return TableNames.of(null, "eskit_");
    }
}
