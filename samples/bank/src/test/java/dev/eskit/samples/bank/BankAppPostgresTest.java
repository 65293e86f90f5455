package dev.eskit.samples.bank;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.eskit.testkit.EskitDatabase;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The sample's main flow on PostgreSQL, in a schema of its own. Skipped with a message when the server at
 * {@code ESKIT_PG_URL} is unreachable, unless {@code ESKIT_REQUIRE_PG=1}.
 */
class BankAppPostgresTest {

    @RegisterExtension
    static final EskitDatabase DB = EskitDatabase.postgres();

    @Test
    void theMainFlowRunsOnPostgres() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        BankApp.Summary summary = BankApp.run(DB.url(), DB.schema(),
                new PrintStream(bytes, true, StandardCharsets.UTF_8));
        String printed = bytes.toString(StandardCharsets.UTF_8);
        assertTrue(printed.startsWith("eskit bank sample on PostgreSQL"), printed);
        assertEquals(7, summary.eventsAppended());
        assertEquals(Map.of("alice", 45_00L, "bob", 45_00L), summary.balances());
    }
}
