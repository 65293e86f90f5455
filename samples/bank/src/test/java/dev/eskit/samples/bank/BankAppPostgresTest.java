package dev.eskit.samples.bank;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The sample's main flow on PostgreSQL, in a schema of its own. Skipped with a message when the server at
 * {@code ESKIT_PG_URL} is unreachable, unless {@code ESKIT_REQUIRE_PG=1}.
 */
class BankAppPostgresTest {

    private static final String URL = System.getenv().getOrDefault("ESKIT_PG_URL",
            "jdbc:postgresql://127.0.0.1:5432/test?user=postgres");
    private static final String SCHEMA = "eskit_t_bankapp_" + UUID.randomUUID().toString().substring(0, 8);

    @BeforeAll
    static void requireServer() {
        DriverManager.setLoginTimeout(5);
        try (Connection connection = DriverManager.getConnection(URL)) {
            connection.isValid(5);
        } catch (SQLException e) {
            String message = "PostgreSQL at " + URL + " is unreachable (" + e.getMessage() + "). Start it or set"
                    + " ESKIT_PG_URL; set ESKIT_REQUIRE_PG=1 to make this a failure.";
            if ("1".equals(System.getenv("ESKIT_REQUIRE_PG"))) {
                fail(message);
            }
            System.err.println("SKIPPED: " + message);
            Assumptions.abort(message);
        }
    }

    @AfterAll
    static void dropSchema() throws SQLException {
        try (Connection connection = DriverManager.getConnection(URL);
             Statement statement = connection.createStatement()) {
            statement.execute("DROP SCHEMA IF EXISTS " + SCHEMA + " CASCADE");
        }
    }

    @Test
    void theMainFlowRunsOnPostgres() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        BankApp.Summary summary = BankApp.run(URL, SCHEMA, new PrintStream(bytes, true, StandardCharsets.UTF_8));
        String printed = bytes.toString(StandardCharsets.UTF_8);
        assertTrue(printed.startsWith("eskit bank sample on PostgreSQL"), printed);
        assertEquals(7, summary.eventsAppended());
        assertEquals(Map.of("alice", 45_00L, "bob", 45_00L), summary.balances());
    }
}
