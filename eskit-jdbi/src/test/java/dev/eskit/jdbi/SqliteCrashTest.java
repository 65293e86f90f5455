package dev.eskit.jdbi;

import org.junit.jupiter.api.extension.RegisterExtension;

/** The crash test on a SQLite file. */
class SqliteCrashTest extends CrashContract {

    @RegisterExtension
    static final Databases DB = Databases.sqlite();

    @Override
    Databases db() {
        return DB;
    }
}
