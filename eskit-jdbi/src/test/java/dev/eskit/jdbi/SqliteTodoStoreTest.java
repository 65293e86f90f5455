package dev.eskit.jdbi;

import org.junit.jupiter.api.extension.RegisterExtension;

/** The todo store on Sqlite. */
class SqliteTodoStoreTest extends TodoStoreContract {

    @RegisterExtension
    static final Databases DB = Databases.sqlite();

    @Override
    Databases db() {
        return DB;
    }
}
