package dev.eskit.jdbi;

import org.junit.jupiter.api.extension.RegisterExtension;

/** {@link RawEventAccess} on PostgreSQL. */
class PostgresRawEventAccessTest extends RawEventAccessContract {

    @RegisterExtension
    static final Databases DB = Databases.postgres();

    @Override
    Databases db() {
        return DB;
    }
}
