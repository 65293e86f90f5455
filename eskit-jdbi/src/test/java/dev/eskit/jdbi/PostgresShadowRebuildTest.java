package dev.eskit.jdbi;

import org.junit.jupiter.api.extension.RegisterExtension;

/** Zero-downtime rebuilds on PostgreSQL. */
class PostgresShadowRebuildTest extends ShadowRebuildContract {

    @RegisterExtension
    static final Databases DB = Databases.postgres();

    @Override
    Databases db() {
        return DB;
    }
}
