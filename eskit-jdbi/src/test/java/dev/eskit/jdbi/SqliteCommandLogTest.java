package dev.eskit.jdbi;

import org.junit.jupiter.api.extension.RegisterExtension;

/** The command log on Sqlite. */
class SqliteCommandLogTest extends CommandLogContract {

    @RegisterExtension
    static final Databases DB = Databases.sqlite();

    @Override
    Databases db() {
        return DB;
    }
}
