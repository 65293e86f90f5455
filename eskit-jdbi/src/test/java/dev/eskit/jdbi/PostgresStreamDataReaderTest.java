package dev.eskit.jdbi;

import org.junit.jupiter.api.extension.RegisterExtension;

/** The command handler's load without metadata on PostgreSQL. */
class PostgresStreamDataReaderTest extends StreamDataReaderContract {

    @RegisterExtension
    static final Databases DB = Databases.postgres();

    @Override
    Databases db() {
        return DB;
    }
}
