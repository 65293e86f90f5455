package dev.eskit.jdbi;

import org.junit.jupiter.api.extension.RegisterExtension;

/** The command handler's load without metadata on SQLite. */
class SqliteStreamDataReaderTest extends StreamDataReaderContract {

    @RegisterExtension
    static final Databases DB = Databases.sqlite();

    @Override
    Databases db() {
        return DB;
    }
}
