package dev.eskit.jdbi;

import org.junit.jupiter.api.extension.RegisterExtension;

/** kill -9 mid shadow rebuild on PostgreSQL. */
class PostgresShadowRebuildKillTest extends ShadowRebuildKillContract {

    @RegisterExtension
    static final Databases DB = Databases.postgres();

    @Override
    Databases db() {
        return DB;
    }
}
