package dev.eskit.cli;

import dev.eskit.testkit.EskitDatabase;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A PostgreSQL schema of its own for a test class: eskit-testkit's {@link EskitDatabase} (skips with the reason when
 * the server at {@code ESKIT_PG_URL} is unreachable, fails under {@code ESKIT_REQUIRE_PG=1}), plus the CLI tests'
 * table check.
 */
final class PostgresSchema implements BeforeAllCallback, AfterAllCallback {

    static final String URL = EskitDatabase.postgresUrl();

    private final EskitDatabase database = EskitDatabase.postgres();

    String name() {
        return database.schema();
    }

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        database.beforeAll(context);
    }

    @Override
    public void afterAll(ExtensionContext context) throws Exception {
        database.afterAll(context);
    }

    /** Whether table {@code schema.table} exists. */
    static boolean tableExists(String schema, String table) throws SQLException {
        try (Connection connection = DriverManager.getConnection(URL);
             var query = connection.prepareStatement("SELECT to_regclass(?) IS NOT NULL")) {
            query.setString(1, schema + "." + table);
            try (var row = query.executeQuery()) {
                row.next();
                return row.getBoolean(1);
            }
        }
    }
}
