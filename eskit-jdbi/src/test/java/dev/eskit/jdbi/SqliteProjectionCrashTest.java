package dev.eskit.jdbi;

import org.junit.jupiter.api.extension.RegisterExtension;

/** The projection crash test on a SQLite file. */
class SqliteProjectionCrashTest extends ProjectionCrashContract {

    @RegisterExtension
    static final Databases DB = Databases.sqlite();

    @Override
    Databases db() {
        return DB;
    }
}
