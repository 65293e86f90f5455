package dev.eskit.jdbi;

import org.junit.jupiter.api.extension.RegisterExtension;

/** The todo store on Postgres. */
class PostgresTodoStoreTest extends TodoStoreContract {

    @RegisterExtension
    static final Databases DB = Databases.postgres();

    @Override
    Databases db() {
        return DB;
    }
}
