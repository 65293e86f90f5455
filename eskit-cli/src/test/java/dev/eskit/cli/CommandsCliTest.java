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

    /**
     * Tenants' entries (kept as {@code <tenant>::<id>}) are listed with a TENANT column and the id as the tenant knows
     * it, filtered with {@code --tenant}, shown with {@code show --tenant}; hostile ids and tenant values are escaped,
     * and a plain id that merely contains {@code ::} is not taken for a tenant's.
     */
    @Test
    void tenantsCommandsAreListedWithTheirTenantAndFilteredByIt() throws Exception {
        String hostile = "c-9\u001b[2J\r\nfake row";
        try (JdbiEventStore store = Fixtures.builder().url(url).build()) {
            JdbiCommandLog log = JdbiCommandLog.create(Jdbi.create(url), store);
            Instant now = Instant.now();
            for (String tenant : java.util.List.of("acme", "acme-")) {
                var view = dev.eskit.tenancy.TenantScope.of(dev.eskit.tenancy.TenantId.of(tenant)).commandLog(log);
                for (String id : java.util.List.of("t-1", hostile)) {
                    view.record(new CommandLogEntry(id, "shop.Order", StreamRef.of("order", "o-" + tenant),
                            "{}", Metadata.empty(), CommandOutcome.ACCEPTED, 0, null, null, 0, null, now,
                            Duration.ofMillis(1)));
                }
            }
            log.record(new CommandLogEntry("acme::forged", "shop.Order", StreamRef.of("order", "o-x"), "{}",
                    Metadata.empty(), CommandOutcome.ACCEPTED, 0, null, null, 0, null, now, Duration.ofMillis(1)));
        }
        Cli text = Cli.run("commands", "list", "--url", url);
        assertEquals(0, text.code(), text::toString);
        assertTrue(text.out().contains("TENANT       COMMAND ID"), text.out());
        assertTrue(text.out().matches("(?s).*acme-\\s+t-1\n.*"), text.out());
        assertTrue(text.out().matches("(?s).*acme\\s+t-1\n.*"), text.out());
        assertTrue(text.out().matches("(?s).* -\\s+acme::forged\n.*"), "no tenant: " + text.out());
        assertTrue(text.out().contains("c-9\\u001B[2J\\u000D\\u000Afake row"), text.out());
        assertEquals(9, text.out().lines().count(), "one line per entry plus the header: " + text.out());

        JsonNode acme = json(Cli.run("commands", "list", "--url", url, "--json", "--tenant", "acme"));
        assertEquals(2, acme.size());
        for (JsonNode entry : acme) {
            assertEquals("acme", entry.get("tenant").asText());
            assertTrue(java.util.Set.of("t-1", hostile).contains(entry.get("commandId").asText()), entry.toString());
        }
        assertEquals(2, json(Cli.run("commands", "list", "--url", url, "--json", "--tenant", "acme-")).size());
        assertEquals(0, json(Cli.run("commands", "list", "--url", url, "--json", "--tenant", "other")).size());
        assertTrue(json(Cli.run("commands", "list", "--url", url, "--json", "--type", "shop.Cancel"))
                .get(0).get("tenant").isNull());

        Cli show = Cli.run("commands", "show", "t-1", "--tenant", "acme-", "--url", url);
        assertEquals(0, show.code(), show::toString);
        assertTrue(show.out().contains("tenant:         acme-\ncommand id:     t-1\n"), show.out());
        assertTrue(show.out().contains("o-acme-"), show.out());
        assertEquals("acme", json(Cli.run("commands", "show", "acme::t-1", "--url", url, "--json")).get("tenant")
                .asText(), "the stored id is found without --tenant");
        Cli other = Cli.run("commands", "show", "t-1", "--tenant", "other", "--url", url);
        assertEquals(ExitCodes.NOT_FOUND, other.code(), other::toString);
        assertTrue(other.err().contains("--tenant other"), other.err());
        Cli forged = Cli.run("commands", "show", "forged", "--tenant", "acme", "--url", url);
        assertEquals(ExitCodes.NOT_FOUND, forged.code(), "an unmarked acme::forged is not acme's: " + forged);
        for (String bad : java.util.List.of("ACME", "acme::x", "", "a\u001b[31m", "\u0430cme")) {
            Cli refused = Cli.run("commands", "list", "--url", url, "--tenant", bad);
            assertEquals(ExitCodes.USAGE, refused.code(), refused::toString);
            assertTrue(refused.err().contains("is not a tenant id"), refused.err());
            assertTrue(refused.err().chars().noneMatch(c -> c == 0x1b), "escaped: " + refused.err());
        }
    }

    @Test
    void badInputFailsWithAUsefulMessage() {
        Cli missing = Cli.run("commands", "show", "nope", "--url", url);
        assertEquals(ExitCodes.NOT_FOUND, missing.code(), missing::toString);
        assertTrue(missing.err().contains("No logged command \"nope\""), missing.err());
        Cli outcome = Cli.run("commands", "list", "--url", url, "--outcome", "maybe");
        assertEquals(ExitCodes.USAGE, outcome.code(), outcome::toString);
        assertTrue(outcome.err().contains("Use accepted, rejected or conflict"), outcome.err());
        Cli since = Cli.run("commands", "list", "--url", url, "--since", "yesterday");
        assertEquals(ExitCodes.USAGE, since.code(), since::toString);
    }
}
