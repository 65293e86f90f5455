package dev.eskit.jdbi;

import org.junit.jupiter.api.extension.RegisterExtension;

/** The todo store on Postgres. */
class PostgresTodoStoreTest extends TodoStoreContract {

    @RegisterExtension
    static final PostgresDatabases DB = new PostgresDatabases();

    @Override
    Databases db() {
        return DB;
    }
}
