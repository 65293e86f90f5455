package dev.eskit.jdbi;

import org.junit.jupiter.api.extension.RegisterExtension;

/** The torture test on PostgreSQL: writers on separate pooled connections. */
class PostgresTortureTest extends TortureContract {

    @RegisterExtension
    static final PostgresDatabases DB = new PostgresDatabases();

    @Override
    Databases db() {
        return DB;
    }
}
