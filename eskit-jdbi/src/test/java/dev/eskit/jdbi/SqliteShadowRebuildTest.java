package dev.eskit.jdbi;

import org.junit.jupiter.api.extension.RegisterExtension;

/** Zero-downtime rebuilds on SQLite. */
class SqliteShadowRebuildTest extends ShadowRebuildContract {

    @RegisterExtension
    static final SqliteDatabases DB = new SqliteDatabases();

    @Override
    Databases db() {
        return DB;
    }
}
