package dev.eskit.jdbi;

import org.junit.jupiter.api.extension.RegisterExtension;

class PostgresTransactionalCopiesTest extends TransactionalCopiesContract {

    @RegisterExtension
    static final Databases DB = Databases.postgres();

    @Override
    Databases db() {
        return DB;
    }
}
