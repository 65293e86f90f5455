package dev.eskit.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.eskit.Metadata;
import dev.eskit.Position;
import dev.eskit.StreamRef;
import dev.eskit.command.log.CommandLogEntry;
import dev.eskit.command.log.CommandOutcome;
import dev.eskit.jdbi.JdbiEventStore;
import dev.eskit.jdbi.command.JdbiCommandLog;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code eskit commands list|show} on a SQLite store with a command log. */
class CommandsCliTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path directory;

    private String url;

    @BeforeEach
    void createLog() {
        url = "jdbc:sqlite:" + directory.resolve("shop.db");
        try (JdbiEventStore store = Fixtures.builder().url(url).build()) {
            JdbiCommandLog log = JdbiCommandLog.create(Jdbi.create(url), store);
            Instant now = Instant.now();
            log.record(new CommandLogEntry("c-1", "shop.Order", StreamRef.of("order", "o-1"),
                    "{\"orderId\":\"o-1\"}", Metadata.correlatedBy("req-1"), CommandOutcome.ACCEPTED, 1,
                    Position.of(1), Position.of(1), 1, null, now.minusSeconds(7200), Duration.ofMillis(3)));
            log.record(new CommandLogEntry("c-2", "shop.Cancel", StreamRef.of("order", "o-1"),
                    "{\"orderId\":\"o-1\"}", Metadata.correlatedBy("req-1"), CommandOutcome.REJECTED, 0, null, null,
                    0, "java.lang.IllegalStateException: already shipped", now.minusSeconds(60),
                    Duration.ofMillis(1)));
            log.record(new CommandLogEntry("c-3", "shop.Order", StreamRef.of("order", "o-2"),
                    "{\"orderId\":\"o-2\"}", Metadata.correlatedBy("req-2"), CommandOutcome.CONFLICT, 0, null, null,
                    0, "dev.eskit.ConcurrencyException: stream moved", now.minusSeconds(30), Duration.ofMillis(9)));
        }
    }

    private static JsonNode json(Cli result) throws Exception {
        assertEquals(0, result.code(), result::toString);
        return JSON.readTree(result.out());
    }

    @Test
    void listShowsCommandsNewestFirstAndFilters() throws Exception {
        Cli text = Cli.run("commands", "list", "--url", url);
        assertEquals(0, text.code(), text::toString);
        assertTrue(text.out().matches("(?s)STARTED.*conflict.*rejected.*accepted.*"), text.out());

        assertEquals(3, json(Cli.run("commands", "list", "--url", url, "--json")).size());
        JsonNode orders = json(Cli.run("commands", "list", "--url", url, "--json", "--type", "shop.Order"));
        assertEquals(2, orders.size());
        assertEquals("c-3", orders.get(0).get("commandId").asText());
        JsonNode rejected = json(Cli.run("commands", "list", "--url", url, "--json", "--outcome", "rejected"));
        assertEquals("c-2", rejected.get(0).get("commandId").asText());
        assertEquals(2, json(Cli.run("commands", "list", "--url", url, "--json", "--correlation", "req-1")).size());
        assertEquals(2, json(Cli.run("commands", "list", "--url", url, "--json", "--since", "1h")).size());
        assertEquals(1, json(Cli.run("commands", "list", "--url", url, "--json", "--until", "1h")).size());
    }

    @Test
    void showPrintsOneCommand() throws Exception {
        Cli text = Cli.run("commands", "show", "c-1", "--url", url);
        assertEquals(0, text.code(), text::toString);
        assertTrue(text.out().contains("events:         1 at 0.1 .. 0.1 (stream version 1)"), text.out());
        assertTrue(text.out().contains("correlation id: req-1"), text.out());

        JsonNode node = json(Cli.run("commands", "show", "c-2", "--url", url, "--json"));
        assertEquals("rejected", node.get("outcome").asText());
        assertEquals("java.lang.IllegalStateException: already shipped", node.get("error").asText());
        assertEquals("o-1", node.get("payload").get("orderId").asText());
    }

    @Test
    void badInputFailsWithAUsefulMessage() {
        Cli missing = Cli.run("commands", "show", "nope", "--url", url);
        assertEquals(ExitCodes.NOT_FOUND, missing.code(), missing::toString);
        assertTrue(missing.err().contains("No logged command nope"), missing.err());
        Cli outcome = Cli.run("commands", "list", "--url", url, "--outcome", "maybe");
        assertEquals(ExitCodes.USAGE, outcome.code(), outcome::toString);
        assertTrue(outcome.err().contains("Use accepted, rejected or conflict"), outcome.err());
        Cli since = Cli.run("commands", "list", "--url", url, "--since", "yesterday");
        assertEquals(ExitCodes.USAGE, since.code(), since::toString);
    }
}
