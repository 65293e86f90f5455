package dev.eskit.jdbi;

import org.junit.jupiter.api.extension.RegisterExtension;

/** Dead letters on Postgres. */
class PostgresDeadLetterStoreTest extends DeadLetterStoreContract {

    @RegisterExtension
    static final Databases DB = Databases.postgres();

    @Override
    Databases db() {
        return DB;
    }
}
