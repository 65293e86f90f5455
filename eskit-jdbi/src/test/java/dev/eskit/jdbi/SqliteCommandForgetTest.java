package dev.eskit.jdbi;

import org.junit.jupiter.api.extension.RegisterExtension;

/** Forgetting reaches the command log, queue and personal metadata on SQLite (tables, database file and WAL). */
class SqliteCommandForgetTest extends CommandForgetContract {

    @RegisterExtension
    static final Databases DB = Databases.sqlite();

    @Override
    Databases db() {
        return DB;
    }

    @Override
    TableNames tables(Databases.Location location) {
        return TableNames.of(null, "eskit_");
    }
}
