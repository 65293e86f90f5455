package dev.eskit.jdbi;

import org.junit.jupiter.api.extension.RegisterExtension;

/** The tenancy conformance suite on SQLite. */
class SqliteTenancyConformanceTest extends JdbiTenancyConformance {

    @RegisterExtension
    static final SqliteDatabases DB = new SqliteDatabases();

    @Override
    Databases db() {
        return DB;
    }
}
