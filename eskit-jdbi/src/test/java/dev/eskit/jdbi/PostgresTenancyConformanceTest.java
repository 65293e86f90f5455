package dev.eskit.jdbi;

import org.junit.jupiter.api.extension.RegisterExtension;

/** The tenancy conformance suite on PostgreSQL. */
class PostgresTenancyConformanceTest extends JdbiTenancyConformance {

    @RegisterExtension
    static final PostgresDatabases DB = new PostgresDatabases();

    @Override
    Databases db() {
        return DB;
    }
}
