package dev.eskit.jdbi;

import org.junit.jupiter.api.extension.RegisterExtension;

/** The torture test on SQLite. */
class SqliteTortureTest extends TortureContract {

    @RegisterExtension
    static final SqliteDatabases DB = new SqliteDatabases();

    @Override
    Databases db() {
        return DB;
    }
}
