package dev.eskit.jdbi;

import org.junit.jupiter.api.extension.RegisterExtension;

/** Poison events on Postgres. */
class PostgresPoisonEventTest extends PoisonEventContract {

    @RegisterExtension
    static final PostgresDatabases DB = new PostgresDatabases();

    @Override
    Databases db() {
        return DB;
    }
}
