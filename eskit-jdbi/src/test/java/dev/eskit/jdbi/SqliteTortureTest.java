package dev.eskit.jdbi;

import org.junit.jupiter.api.extension.RegisterExtension;

/** The torture test on SQLite. */
class SqliteTortureTest extends TortureContract {

    @RegisterExtension
    static final Databases DB = Databases.sqlite();

    @Override
    Databases db() {
        return DB;
    }
}
