package dev.eskit.jdbi;

import org.junit.jupiter.api.extension.RegisterExtension;

/** The crash test on a SQLite file. */
class SqliteCrashTest extends CrashContract {

    @RegisterExtension
    static final SqliteDatabases DB = new SqliteDatabases();

    @Override
    Databases db() {
        return DB;
    }
}
