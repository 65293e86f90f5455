package dev.eskit.jdbi;

import org.junit.jupiter.api.extension.RegisterExtension;

/** The command log on Postgres. */
class PostgresCommandLogTest extends CommandLogContract {

    @RegisterExtension
    static final Databases DB = Databases.postgres();

    @Override
    Databases db() {
        return DB;
    }
}
