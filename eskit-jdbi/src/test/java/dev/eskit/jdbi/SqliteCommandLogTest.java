package dev.eskit.jdbi;

import org.junit.jupiter.api.extension.RegisterExtension;

/** The command log on Sqlite. */
class SqliteCommandLogTest extends CommandLogContract {

    @RegisterExtension
    static final SqliteDatabases DB = new SqliteDatabases();

    @Override
    Databases db() {
        return DB;
    }
}
