package dev.eskit.jdbi;

import org.junit.jupiter.api.extension.RegisterExtension;

/** {@link RawEventAccess} on SQLite. */
class SqliteRawEventAccessTest extends RawEventAccessContract {

    @RegisterExtension
    static final SqliteDatabases DB = new SqliteDatabases();

    @Override
    Databases db() {
        return DB;
    }
}
