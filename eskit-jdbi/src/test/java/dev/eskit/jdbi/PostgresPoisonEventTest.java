package dev.eskit.jdbi;

import org.junit.jupiter.api.extension.RegisterExtension;

/** Poison events on Postgres. */
class PostgresPoisonEventTest extends PoisonEventContract {

    @RegisterExtension
    static final Databases DB = Databases.postgres();

    @Override
    Databases db() {
        return DB;
    }
}
