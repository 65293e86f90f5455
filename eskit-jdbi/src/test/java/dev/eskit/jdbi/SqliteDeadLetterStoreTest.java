package dev.eskit.jdbi;

import org.junit.jupiter.api.extension.RegisterExtension;

/** Dead letters on Sqlite. */
class SqliteDeadLetterStoreTest extends DeadLetterStoreContract {

    @RegisterExtension
    static final SqliteDatabases DB = new SqliteDatabases();

    @Override
    Databases db() {
        return DB;
    }
}
