package dev.eskit.jdbi;

import org.junit.jupiter.api.extension.RegisterExtension;

class PostgresPersonalDataTest extends PersonalDataContract {

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

    @Override
    String eventsTable(Databases.Location location) {
        return location + "events";
    }
}
