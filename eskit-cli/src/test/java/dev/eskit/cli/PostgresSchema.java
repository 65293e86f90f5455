package dev.eskit.cli;

import static org.junit.jupiter.api.Assertions.fail;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;
import java.util.UUID;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A PostgreSQL schema of its own for a test class, created before it and dropped after it. The server comes from
 * {@code ESKIT_PG_URL}; when it is unreachable the class is skipped with the reason, unless {@code ESKIT_REQUIRE_PG=1},
 * which makes it fail.
 */
final class PostgresSchema implements BeforeAllCallback, AfterAllCallback {

    static final String URL = System.getenv().getOrDefault("ESKIT_PG_URL",
            "jdbc:postgresql://127.0.0.1:5432/test?user=postgres");

    private String name;

    String name() {
        return name;
    }

    @Override
    public void beforeAll(ExtensionContext context) throws SQLException {
        String problem = null;
        DriverManager.setLoginTimeout(5);
        try (Connection connection = DriverManager.getConnection(URL)) {
            connection.isValid(5);
        } catch (SQLException e) {
            problem = e.getMessage();
        }
        if (problem != null) {
            String message = "PostgreSQL at " + URL + " is unreachable (" + problem + "). Start it or set"
                    + " ESKIT_PG_URL; set ESKIT_REQUIRE_PG=1 to make this a failure.";
            if ("1".equals(System.getenv("ESKIT_REQUIRE_PG"))) {
                fail(message);
            }
            System.err.println("SKIPPED: " + message);
            Assumptions.abort(message);
        }
        String base = context.getRequiredTestClass().getSimpleName().toLowerCase(Locale.ROOT)
                .replaceAll("[^a-z0-9]", "");
        name = "eskit_t_" + base.substring(0, Math.min(20, base.length())) + "_"
                + UUID.randomUUID().toString().substring(0, 8);
        execute("CREATE SCHEMA " + name);
    }

    @Override
    public void afterAll(ExtensionContext context) throws SQLException {
        if (name != null) {
            execute("DROP SCHEMA " + name + " CASCADE");
        }
    }

    static void execute(String sql) throws SQLException {
        try (Connection connection = DriverManager.getConnection(URL);
             Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
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
