package dev.eskit.jdbi;

import org.junit.jupiter.api.extension.RegisterExtension;

class SqliteApplicationTransactionTest extends ApplicationTransactionContract {

    @RegisterExtension
    static final Databases DB = Databases.sqlite();

    @Override
    Databases db() {
        return DB;
    }

    @Override
    String qualifier(Databases.Location location) {
        return "";
    }
}
