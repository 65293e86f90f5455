package dev.eskit.jdbi;

import org.junit.jupiter.api.extension.RegisterExtension;

/** The torture test on PostgreSQL: writers on separate pooled connections. */
class PostgresTortureTest extends TortureContract {

    @RegisterExtension
    static final Databases DB = Databases.postgres();

    @Override
    Databases db() {
        return DB;
    }
}
