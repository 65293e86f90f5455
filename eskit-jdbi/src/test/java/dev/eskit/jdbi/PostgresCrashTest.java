package dev.eskit.jdbi;

import org.junit.jupiter.api.extension.RegisterExtension;

/** The crash test on PostgreSQL. */
class PostgresCrashTest extends CrashContract {

    @RegisterExtension
    static final Databases DB = Databases.postgres();

    @Override
    Databases db() {
        return DB;
    }
}
