package dev.eskit.jdbi;

import org.junit.jupiter.api.extension.RegisterExtension;

/** Forgetting reaches the command log, queue and personal metadata in any eskit table on PostgreSQL. */
class PostgresCommandForgetTest extends CommandForgetContract {

    @RegisterExtension
    static final Databases DB = Databases.postgres();

    @Override
    Databases db() {
        return DB;
    }

    @Override
    TableNames tables(Databases.Location location) {
        String qualified = location.toString();
        int dot = qualified.indexOf('.');
        return TableNames.of(qualified.substring(0, dot), qualified.substring(dot + 1));
    }
}
