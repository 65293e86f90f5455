package dev.eskit.jdbi;

import org.junit.jupiter.api.extension.RegisterExtension;

/** {@link RawEventAccess} on SQLite. */
class SqliteRawEventAccessTest extends RawEventAccessContract {

    @RegisterExtension
    static final Databases DB = Databases.sqlite();

    @Override
    Databases db() {
        return DB;
    }
}
