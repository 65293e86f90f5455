package dev.eskit.jdbi;

import org.junit.jupiter.api.extension.RegisterExtension;

class PostgresApplicationTransactionTest extends ApplicationTransactionContract {

    @RegisterExtension
    static final Databases DB = Databases.postgres();

    @Override
    Databases db() {
        return DB;
    }

    @Override
    String qualifier(Databases.Location location) {
        // Each location is a table prefix in the class's schema: the application's tables get the same.
        return location.toString();
    }
}
