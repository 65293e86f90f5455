package dev.eskit.jdbi;

import org.junit.jupiter.api.extension.RegisterExtension;

/** The projection crash test on PostgreSQL. */
class PostgresProjectionCrashTest extends ProjectionCrashContract {

    @RegisterExtension
    static final Databases DB = Databases.postgres();

    @Override
    Databases db() {
        return DB;
    }
}
