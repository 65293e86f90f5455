package dev.eskit.jdbi;

import org.junit.jupiter.api.extension.RegisterExtension;

/** Issue 17's hostile tester on PostgreSQL. */
class PostgresTenancyHostileTest extends TenancyHostileContract {

    @RegisterExtension
    static final Databases DB = Databases.postgres();

    @Override
    Databases db() {
        return DB;
    }

    @Override
    TableNames tables(Databases.Location location) {
        String qualified = location.toString();
        int dot = qualified.indexOf('.');
        return TableNames.of(qualified.substring(0, dot), qualified.substring(dot + 1));
    }
}
