package dev.eskit.jdbi;

import org.junit.jupiter.api.extension.RegisterExtension;

/** Forgetting leaves no plaintext in any eskit table on PostgreSQL. */
class PostgresPersonalDataForgetTest extends PersonalDataForgetContract {

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
