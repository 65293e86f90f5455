package dev.eskit.jdbi;

import org.junit.jupiter.api.extension.RegisterExtension;

/** Dead letters on Sqlite. */
class SqliteDeadLetterStoreTest extends DeadLetterStoreContract {

    @RegisterExtension
    static final Databases DB = Databases.sqlite();

    @Override
    Databases db() {
        return DB;
    }
}
