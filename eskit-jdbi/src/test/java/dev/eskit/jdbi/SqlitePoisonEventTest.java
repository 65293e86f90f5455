package dev.eskit.jdbi;

import org.junit.jupiter.api.extension.RegisterExtension;

/** Poison events on Sqlite. */
class SqlitePoisonEventTest extends PoisonEventContract {

    @RegisterExtension
    static final Databases DB = Databases.sqlite();

    @Override
    Databases db() {
        return DB;
    }
}
