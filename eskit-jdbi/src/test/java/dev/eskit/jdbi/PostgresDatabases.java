package dev.eskit.jdbi;

import static org.junit.jupiter.api.Assertions.fail;

import dev.eskit.codec.EventCodec;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * PostgreSQL stores in a schema of their own per test class (created before the class, dropped after it), each store
 * with its own table prefix. The server comes from {@code ESKIT_PG_URL}; when it is unreachable the tests are skipped
 * with the reason, unless {@code ESKIT_REQUIRE_PG=1}, which makes them fail.
 */
final class PostgresDatabases extends Databases {

    static final String URL = System.getenv().getOrDefault("ESKIT_PG_URL",
            "jdbc:postgresql://127.0.0.1:5432/test?user=postgres");

    private final AtomicInteger counter = new AtomicInteger();
    private String schema;

    /** Skips (or, with ESKIT_REQUIRE_PG=1, fails) the calling test class when PostgreSQL cannot be reached. */
    static void requireServer() {
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
    }

    @Override
    void setUp(ExtensionContext context) throws SQLException {
        requireServer();
        String base = context.getRequiredTestClass().getSimpleName().toLowerCase(Locale.ROOT)
                .replaceAll("[^a-z0-9]", "");
        schema = "eskit_t_" + base.substring(0, Math.min(20, base.length())) + "_"
                + UUID.randomUUID().toString().substring(0, 8);
        execute("CREATE SCHEMA " + schema);
    }

    @Override
    void tearDown() throws SQLException {
        if (schema != null) {
            execute("DROP SCHEMA " + schema + " CASCADE");
        }
    }

    private static void execute(String sql) throws SQLException {
        try (Connection connection = DriverManager.getConnection(URL);
             Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }

    /** The test class's schema. */
    String schema() {
        return schema;
    }

    @Override
    String kind() {
        return "PostgreSQL";
    }

    @Override
    Location newLocation() {
        String prefix = "s" + counter.incrementAndGet() + "_";
        String schemaName = schema;
        return new Location() {
            @Override
            public JdbiEventStore.Builder builder(EventCodec codec) {
                return JdbiEventStore.builder(codec).url(URL).schema(schemaName).tablePrefix(prefix)
                        .maxConnections(16);
            }

            @Override
            public Connection rawConnection() throws SQLException {
                return DriverManager.getConnection(URL);
            }

            @Override
            public javax.sql.DataSource dataSource() {
                org.postgresql.ds.PGSimpleDataSource source = new org.postgresql.ds.PGSimpleDataSource();
                source.setURL(URL);
                return source;
            }

            @Override
            public JdbiEventStore.Builder onDataSource(EventCodec codec) {
                return JdbiEventStore.builder(codec).dataSource(dataSource()).schema(schemaName).tablePrefix(prefix);
            }

            @Override
            public List<String> childArguments() {
                return List.of("postgres", URL, schemaName, prefix);
            }

            @Override
            public String toString() {
                return schemaName + "." + prefix;
            }
        };
    }
}
