package dev.eskit.jdbi;

import org.junit.jupiter.api.extension.RegisterExtension;

class SqliteTransactionalCopiesTest extends TransactionalCopiesContract {

    @RegisterExtension
    static final Databases DB = Databases.sqlite();

    @Override
    Databases db() {
        return DB;
    }
}
