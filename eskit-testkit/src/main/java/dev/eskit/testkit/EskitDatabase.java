package dev.eskit.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Comparator;
import java.util.Locale;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A fresh database for each test class: a PostgreSQL schema of its own on the server at {@code ESKIT_PG_URL}, or a
 * SQLite file in a new temporary directory. Created before the class's first test, dropped (or deleted) after its
 * last; {@code @Nested} classes share their outer class's database. When PostgreSQL is unreachable the class is skipped with the reason, or fails when {@code ESKIT_REQUIRE_PG=1}
 * (for CI, where a silent skip would hide a missing server). The JDBC driver comes from the test class path.
 *
 * <pre>{@code
 * class AccountPostgresTest {
 *     @RegisterExtension
 *     static final EskitDatabase DB = EskitDatabase.postgres();
 *
 *     @Test
 *     void appends() {
 *         try (JdbiEventStore store = JdbiEventStore.builder(codec).url(DB.url()).schema(DB.schema()).build()) {
 *             ...
 *         }
 *     }
 * }
 * }</pre>
 */
public final class EskitDatabase implements BeforeAllCallback, AfterAllCallback {

    /** The PostgreSQL server when {@code ESKIT_PG_URL} is not set. */
    public static final String DEFAULT_POSTGRES_URL = "jdbc:postgresql://127.0.0.1:5432/test?user=postgres";

    private final boolean postgres;
    private volatile String schema;
    private volatile Path directory;
    private int depth;

    private EskitDatabase(boolean postgres) {
        this.postgres = postgres;
    }

    /** A PostgreSQL schema per test class on the server at {@code ESKIT_PG_URL}. */
    public static EskitDatabase postgres() {
        return new EskitDatabase(true);
    }

    /** A SQLite file per test class, in a temporary directory deleted afterwards. */
    public static EskitDatabase sqlite() {
        return new EskitDatabase(false);
    }

    /** {@code ESKIT_PG_URL}, or {@link #DEFAULT_POSTGRES_URL}. */
    public static String postgresUrl() {
        String url = System.getenv("ESKIT_PG_URL");
        return url == null || url.isBlank() ? DEFAULT_POSTGRES_URL : url;
    }

    /** Whether this is a PostgreSQL database. */
    public boolean isPostgres() {
        return postgres;
    }

    /**
     * The JDBC URL: the server's (pass {@link #schema()} to the store) or {@code jdbc:sqlite:<file>}.
     *
     * @throws IllegalStateException before the class's tests start
     */
    public String url() {
        if (postgres) {
            return postgresUrl();
        }
        return "jdbc:sqlite:" + started(directory).resolve("eskit.db");
    }

    /**
     * The URL with the schema as the connection's search path ({@code currentSchema}), for a pool or framework that
     * takes only a URL; for SQLite, {@link #url()}.
     */
    public String urlWithSchema() {
        if (!postgres) {
            return url();
        }
        String url = postgresUrl();
        return url + (url.contains("?") ? "&" : "?") + "currentSchema=" + schema();
    }

    /**
     * The SQLite class's temporary directory, which holds {@link #url()}'s file; put more database files there (one per
     * store, say) and they are deleted with it.
     *
     * @throws IllegalStateException for PostgreSQL, or before the class's tests start
     */
    public Path directory() {
        if (postgres) {
            throw new IllegalStateException("A PostgreSQL database has no directory; use schema() and table prefixes"
                    + " to keep stores apart.");
        }
        return started(directory);
    }

    /** The PostgreSQL schema of this class (lower-case, unique per run); {@code null} for SQLite. */
    public String schema() {
        return postgres ? started(schema) : null;
    }

    /** Runs one SQL statement on a new connection (PostgreSQL: without a schema set; qualify names). */
    public void execute(String sql) throws SQLException {
        try (Connection connection = DriverManager.getConnection(url());
             Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }

    @Override
    public synchronized void beforeAll(ExtensionContext context) throws Exception {
        // Nested classes inherit the extension and call it again: only the outermost class creates the database.
        if (depth++ > 0) {
            return;
        }
        String base = context.getRequiredTestClass().getSimpleName().toLowerCase(Locale.ROOT)
                .replaceAll("[^a-z0-9]", "");
        base = base.substring(0, Math.min(20, base.length()));
        if (!postgres) {
            directory = Files.createTempDirectory("eskit-" + base + "-");
            return;
        }
        requireServer();
        String name = "eskit_t_" + base + "_" + UUID.randomUUID().toString().substring(0, 8);
        try (Connection connection = DriverManager.getConnection(postgresUrl());
             Statement statement = connection.createStatement()) {
            statement.execute("CREATE SCHEMA " + name);
        }
        schema = name;
    }

    @Override
    public synchronized void afterAll(ExtensionContext context) throws Exception {
        if (--depth > 0) {
            return;
        }
        if (schema != null) {
            try (Connection connection = DriverManager.getConnection(postgresUrl());
                 Statement statement = connection.createStatement()) {
                dropSchema(connection, statement, schema);
            }
            schema = null;
        }
        if (directory != null) {
            delete(directory);
            directory = null;
        }
    }

    /**
     * Drops the schema's tables a few at a time, then the schema: one {@code DROP SCHEMA ... CASCADE} over a schema
     * with thousands of tables takes a lock per object in one transaction and can exhaust the server's lock table
     * ("out of shared memory") while other sessions hold locks too.
     */
    private static void dropSchema(Connection connection, Statement statement, String schema) throws SQLException {
        java.util.List<String> tables = new java.util.ArrayList<>();
        try (java.sql.PreparedStatement query = connection.prepareStatement(
                "SELECT tablename FROM pg_tables WHERE schemaname = ? ORDER BY tablename")) {
            query.setString(1, schema);
            try (java.sql.ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    tables.add(schema + ".\"" + rows.getString(1).replace("\"", "\"\"") + "\"");
                }
            }
        }
        for (int from = 0; from < tables.size(); from += DROP_BATCH) {
            statement.execute("DROP TABLE IF EXISTS "
                    + String.join(", ", tables.subList(from, Math.min(tables.size(), from + DROP_BATCH))) + " CASCADE");
        }
        statement.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
    }

    private static final int DROP_BATCH = 25;

    private static void requireServer() {
        String url = postgresUrl();
        String problem;
        DriverManager.setLoginTimeout(5);
        try (Connection connection = DriverManager.getConnection(url)) {
            if (connection.isValid(5)) {
                return;
            }
            problem = "the connection is not valid";
        } catch (SQLException e) {
            problem = e.getMessage();
        }
        String message = "PostgreSQL at " + url + " is unreachable (" + problem + "). Start it or set ESKIT_PG_URL;"
                + " set ESKIT_REQUIRE_PG=1 to make this a failure.";
        if ("1".equals(System.getenv("ESKIT_REQUIRE_PG"))) {
            Assertions.fail(message);
        }
        System.err.println("SKIPPED: " + message);
        Assumptions.abort(message);
    }

    private static <T> T started(T value) {
        if (value == null) {
            throw new IllegalStateException("The database exists only while the test class runs: register the"
                    + " extension with @RegisterExtension on a static field and use it from tests or @BeforeAll.");
        }
        return value;
    }

    private static void delete(Path root) {
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot delete " + root + ": " + e.getMessage(), e);
        }
    }
}
