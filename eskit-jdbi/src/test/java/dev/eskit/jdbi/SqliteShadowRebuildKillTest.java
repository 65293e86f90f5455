package dev.eskit.jdbi;

import org.junit.jupiter.api.extension.RegisterExtension;

/** kill -9 mid shadow rebuild on SQLite. */
class SqliteShadowRebuildKillTest extends ShadowRebuildKillContract {

    @RegisterExtension
    static final Databases DB = Databases.sqlite();

    @Override
    Databases db() {
        return DB;
    }
}
