package dev.eskit.jdbi;

import org.junit.jupiter.api.extension.RegisterExtension;

class SqlitePersonalDataTest extends PersonalDataContract {

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

    @Override
    String eventsTable(Databases.Location location) {
        return "eskit_events";
    }
}
