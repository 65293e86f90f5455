package dev.eskit.jdbi;

import org.junit.jupiter.api.extension.RegisterExtension;

/** Dead letters on Postgres. */
class PostgresDeadLetterStoreTest extends DeadLetterStoreContract {

    @RegisterExtension
    static final PostgresDatabases DB = new PostgresDatabases();

    @Override
    Databases db() {
        return DB;
    }
}
