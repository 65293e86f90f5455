package dev.eskit.jdbi;

import org.junit.jupiter.api.extension.RegisterExtension;

/** The tenancy conformance suite on SQLite. */
class SqliteTenancyConformanceTest extends JdbiTenancyConformance {

    @RegisterExtension
    static final Databases DB = Databases.sqlite();

    @Override
    Databases db() {
        return DB;
    }
}
