package dev.eskit.jdbi;

import org.junit.jupiter.api.extension.RegisterExtension;

/** Zero-downtime rebuilds on SQLite. */
class SqliteShadowRebuildTest extends ShadowRebuildContract {

    @RegisterExtension
    static final Databases DB = Databases.sqlite();

    @Override
    Databases db() {
        return DB;
    }
}
