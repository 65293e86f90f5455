package dev.eskit.jdbi;

import org.junit.jupiter.api.extension.RegisterExtension;

/** Forgetting leaves no plaintext on SQLite (tables, database file and WAL). */
class SqlitePersonalDataForgetTest extends PersonalDataForgetContract {

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
