package dev.eskit.jdbi;

import org.junit.jupiter.api.extension.RegisterExtension;

/** Rebuild requests on PostgreSQL. */
class PostgresRebuildRequestsTest extends RebuildRequestsContract {

    @RegisterExtension
    static final Databases DB = Databases.postgres();

    @Override
    Databases db() {
        return DB;
    }
}
