package dev.eskit.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.eskit.ExpectedVersion;
import dev.eskit.Metadata;
import dev.eskit.Position;
import dev.eskit.StoredEvent;
import dev.eskit.dcb.Query;
import dev.eskit.dcb.QueryItem;
import dev.eskit.jdbi.JdbiEventStore;
import dev.eskit.jdbi.RawEvent;
import java.nio.file.Files;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The tool's inspection commands and errors on a real SQLite store. */
class SqliteCliTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path directory;

    private String url;

    @BeforeEach
    void createStore() {
        url = "jdbc:sqlite:" + directory.resolve("shop.db");
        try (JdbiEventStore store = Fixtures.builder().url(url).build()) {
            Fixtures.fill(store);
        }
    }

    private static JsonNode json(Cli result) throws Exception {
        assertEquals(0, result.code(), result::toString);
        return JSON.readTree(result.out());
    }

    @Test
    void auditListsWhoAppendedWhatFilteredByPrincipalStreamTimeAndCorrelation() throws Exception {
        try (JdbiEventStore store = Fixtures.builder().url(url).build()) {
            store.append(Fixtures.O2, ExpectedVersion.exactly(1), List.of(new ShopEventTypes.Shipped("o-2")),
                    Metadata.correlatedBy("req-9").withInitiator(dev.eskit.Principal.user("alice")));
            store.append(Fixtures.O1, ExpectedVersion.exactly(2), List.of(new ShopEventTypes.Shipped("o-1")),
                    Metadata.correlatedBy("req-9").withInitiator("user:bob\u001b[2J"));
        }
        JsonNode alice = json(Cli.run("audit", "--principal", "user:alice", "--url", url, "--json"));
        assertEquals(1, alice.size());
        assertEquals("o-2", alice.get(0).get("streamId").asText());
        assertEquals("shop.Shipped", alice.get(0).get("type").asText());
        assertEquals("req-9", alice.get(0).get("correlationId").asText());
        assertEquals(2, json(Cli.run("audit", "--correlation", "req-9", "--url", url, "--json")).size());
        assertEquals(3, json(Cli.run("audit", "--stream", "order/o-1", "--url", url, "--json")).size());
        assertEquals(1, json(Cli.run("audit", "--stream-type", "legacy", "--url", url, "--json")).size());
        assertEquals(0, json(Cli.run("audit", "--to", "2020-01-01T00:00:00Z", "--url", url, "--json")).size());
        assertEquals(1, json(Cli.run("audit", "--from", "2019-12-31T00:00:00Z", "--to", "2020-01-02T00:00:00Z",
                "--url", url, "--json")).size(), "the imported event of 2020");
        Cli text = Cli.run("audit", "--correlation", "req-9", "--url", url);
        assertEquals(0, text.code(), text::toString);
        assertTrue(text.out().contains("user:alice"), text.out());
        assertFalse(text.out().contains("\u001b"), "control characters are escaped: " + text.out());
        assertEquals(2, json(Cli.run("audit", "--correlation", "req-9", "--from", "1h", "--url", url, "--json"))
                .size(), "an age counts back from now: both appends of this test are within the hour");
        assertEquals(0, json(Cli.run("audit", "--correlation", "req-9", "--to", "1h", "--url", url, "--json"))
                .size(), "nothing of this test is older than an hour");
        Cli bad = Cli.run("audit", "--from", "yesterday\u001b[2J", "--url", url);
        assertEquals(ExitCodes.USAGE, bad.code(), bad::toString);
        assertTrue(bad.err().contains("--from \"yesterday\\u001B[2J\" is neither an instant"), bad.err());
        assertEquals(ExitCodes.USAGE, Cli.run("audit", "--from", "2026-01-02T00:00:00Z", "--to",
                "2026-01-01T00:00:00Z", "--url", url).code());
        assertEquals(ExitCodes.USAGE, Cli.run("audit", "--limit", "0", "--url", url).code());
    }

    @Test
    void streamsListShowsEveryStreamWithItsVersionAndStatus() throws Exception {
        Cli text = Cli.run("streams", "list", "--url", url);
        assertEquals(0, text.code(), text::toString);
        assertTrue(text.out().contains("order"), text.out());
        assertTrue(text.out().matches("(?s).*o-1\\s+2\\s+active.*"), text.out());

        JsonNode streams = json(Cli.run("streams", "list", "--url", url, "--json"));
        assertEquals(4, streams.size());
        assertEquals("legacy", streams.get(0).get("type").asText());
        assertEquals("o-1", streams.get(1).get("id").asText());
        assertEquals(2, streams.get(1).get("version").asLong());

        JsonNode orders = json(Cli.run("streams", "list", "--url", url, "--json", "--type", "order", "--after",
                "order/o-1", "--limit", "1"));
        assertEquals(1, orders.size());
        assertEquals("o-2", orders.get(0).get("id").asText());
    }

    @Test
    void streamsShowDecodesThroughTheApplicationsRegistryAndAppliesUpcasters() throws Exception {
        JsonNode stream = json(Cli.run("streams", "show", "order", "o-old", "--url", url, "--json"));
        JsonNode event = stream.get("events").get(0);
        assertTrue(event.get("decoded").asBoolean());
        assertEquals(1, event.get("schemaVersion").asInt());
        assertEquals("EUR", event.get("data").get("currency").asText(), "upcast from v1 adds the currency");
        assertEquals("2020-01-01T00:00:00Z", event.get("timestamp").asText());

        Cli text = Cli.run("streams", "show", "order", "o-1", "--url", url);
        assertEquals(0, text.code(), text::toString);
        assertTrue(text.out().contains("shop.Ordered"), text.out());
        assertTrue(text.out().contains("shop.Shipped"), text.out());
    }

    @Test
    void eventsOfTypesTheApplicationDoesNotKnowAreShownAsStoredJson() throws Exception {
        JsonNode stream = json(Cli.run("streams", "show", "legacy", "x", "--url", url, "--json"));
        JsonNode event = stream.get("events").get(0);
        assertFalse(event.get("decoded").asBoolean());
        assertEquals("widget", event.get("data").get("name").asText());
    }

    @Test
    void eventsShowPrintsTheEventAtAPosition() throws Exception {
        JsonNode event = json(Cli.run("events", "show", "0.3", "--url", url, "--json"));
        assertEquals("shop.Shipped", event.get("type").asText());
        assertEquals("o-1", event.get("streamId").asText());
        assertEquals("req-1", event.get("metadata").get("correlationId").asText());

        Cli text = Cli.run("events", "show", "3", "--url", url);
        assertEquals(0, text.code(), text::toString);
        assertTrue(text.out().contains("data (decoded): {\"orderId\":\"o-1\"}"), text.out());
    }

    @Test
    void eventsSearchFiltersByTypeAndCorrelation() throws Exception {
        JsonNode ordered = json(Cli.run("events", "search", "--type", "shop.Ordered", "--url", url, "--json"));
        assertEquals(3, ordered.size());
        JsonNode correlated = json(Cli.run("events", "search", "--correlation", "req-1", "--url", url, "--json"));
        assertEquals(List.of("shop.Ordered", "shop.Shipped"), List.of(correlated.get(0).get("type").asText(),
                correlated.get(1).get("type").asText()));
        JsonNode both = json(Cli.run("events", "search", "--type", "shop.Shipped", "--correlation", "req-2",
                "--url", url, "--json"));
        assertEquals(0, both.size());
        JsonNode page = json(Cli.run("events", "search", "--after", "0.1", "--limit", "2", "--url", url, "--json"));
        assertEquals(List.of("0.2", "0.3"), List.of(page.get(0).get("position").asText(),
                page.get(1).get("position").asText()));
    }

    @Test
    void storeStatsCountsEventsStreamsAndTypes() throws Exception {
        JsonNode stats = json(Cli.run("store", "stats", "--url", url, "--json"));
        assertEquals("SQLite", stats.get("database").asText());
        assertEquals(5, stats.get("events").asLong());
        assertEquals(4, stats.get("streams").asLong());
        assertEquals(3, stats.get("eventsByType").get("shop.Ordered").asLong());
        assertEquals("0.5", stats.get("lastPosition").asText());
    }

    @Test
    void storeHealthFailsWhenACheckpointLagsMoreThanAllowed() throws Exception {
        try (JdbiEventStore store = Fixtures.builder().url(url).build()) {
            store.checkpoints().save("order-list", Position.of(2));
        }
        JsonNode healthy = json(Cli.run("store", "health", "--url", url, "--json"));
        assertEquals("ok", healthy.get("status").asText());
        assertEquals(3, healthy.get("checkpoints").get(0).get("lag").asLong());

        Cli lagging = Cli.run("store", "health", "--url", url, "--max-lag", "2");
        assertEquals(ExitCodes.CHECK_FAILED, lagging.code(), lagging::toString);
        assertTrue(lagging.out().contains("order-list"), lagging.out());
    }

    @Test
    void projectionsListShowsCheckpointsAndRebuildDeletesOne() throws Exception {
        try (JdbiEventStore store = Fixtures.builder().url(url).build()) {
            store.checkpoints().save("balances", Position.of(5));
            store.checkpoints().save("order-list", Position.of(1));
        }
        JsonNode list = json(Cli.run("projections", "list", "--url", url, "--json"));
        assertEquals(2, list.size());
        assertEquals("balances", list.get(0).get("name").asText());
        assertEquals(0, list.get(0).get("lag").asLong());
        assertEquals(4, list.get(1).get("lag").asLong());

        Cli rebuild = Cli.run("projections", "rebuild", "order-list", "--url", url);
        assertEquals(0, rebuild.code(), rebuild::toString);
        try (JdbiEventStore store = Fixtures.builder().url(url).build()) {
            assertTrue(store.checkpoints().load("order-list").isEmpty());
            assertEquals(Position.of(5), store.checkpoints().load("balances").orElseThrow());
        }
        assertEquals(ExitCodes.NOT_FOUND, Cli.run("projections", "rebuild", "nope", "--url", url).code());
    }

    @Test
    void projectionsListShowsATenantsCheckpointUnderItsTenantAndRebuildTakesTheTenant() throws Exception {
        try (JdbiEventStore store = Fixtures.builder().url(url).build()) {
            dev.eskit.tenancy.TenantScope.of(dev.eskit.tenancy.TenantId.of("acme")).checkpoints(store.checkpoints())
                    .save("balances", Position.of(5));
            store.checkpoints().save("balances", Position.of(1));
            store.checkpoints().save("Orders::x", Position.of(2));
        }
        JsonNode all = json(Cli.run("projections", "list", "--url", url, "--json"));
        assertEquals(3, all.size());
        JsonNode acme = json(Cli.run("projections", "list", "--url", url, "--json", "--tenant", "acme"));
        assertEquals(1, acme.size());
        assertEquals("acme", acme.get(0).get("tenant").asText());
        assertEquals("balances", acme.get(0).get("name").asText());
        assertEquals("acme::balances", acme.get(0).get("storedName").asText());
        assertEquals(0, acme.get(0).get("lag").asLong());
        for (JsonNode row : all) {
            if (row.get("storedName").asText().equals("Orders::x")) {
                assertTrue(row.get("tenant").isNull(), row::toString);
                assertEquals("Orders::x", row.get("name").asText());
            }
        }
        Cli table = Cli.run("projections", "list", "--url", url);
        assertTrue(table.out().lines().anyMatch(l -> l.matches("acme\\s+balances\\s+.*")), table.out());
        assertTrue(table.out().lines().anyMatch(l -> l.matches("-\\s+balances\\s+.*")), table.out());

        Cli wrongTenant = Cli.run("projections", "rebuild", "balances", "--tenant", "globex", "--url", url);
        assertEquals(ExitCodes.NOT_FOUND, wrongTenant.code(), wrongTenant::toString);
        assertTrue(wrongTenant.err().contains("of tenant globex"), wrongTenant.err());
        assertEquals(ExitCodes.USAGE, Cli.run("projections", "rebuild", "balances", "--tenant", "Bad Tenant!",
                "--url", url).code());
        assertEquals(ExitCodes.USAGE, Cli.run("projections", "rebuild", "balances", "--tenant", "acme", "--shadow",
                "--url", url).code());

        Cli rebuild = Cli.run("projections", "rebuild", "balances", "--tenant", "acme", "--url", url);
        assertEquals(0, rebuild.code(), rebuild::toString);
        try (JdbiEventStore store = Fixtures.builder().url(url).build()) {
            assertTrue(store.checkpoints().load("acme::balances").isEmpty());
            assertEquals(Position.of(1), store.checkpoints().load("balances").orElseThrow());
        }
    }

    @Test
    void missingThingsHaveTheirOwnExitCodes() {
        assertEquals(ExitCodes.NOT_FOUND, Cli.run("events", "show", "0.99", "--url", url).code());
        assertEquals(ExitCodes.NOT_FOUND, Cli.run("streams", "show", "order", "nobody", "--url", url).code());
        Cli badPosition = Cli.run("events", "show", "x.y", "--url", url);
        assertEquals(ExitCodes.USAGE, badPosition.code());
        assertTrue(badPosition.err().contains("not a position"), badPosition.err());
    }

    @Test
    void badUrlsMissingFilesAndMissingTablesAreReportedClearly() throws Exception {
        Cli badUrl = Cli.run("streams", "list", "--url", "jdbc:mysql://localhost/db");
        assertEquals(ExitCodes.USAGE, badUrl.code());
        assertTrue(badUrl.err().contains("not a supported store URL"), badUrl.err());

        Path missing = directory.resolve("missing.db");
        Cli noFile = Cli.run("store", "stats", "--url", "jdbc:sqlite:" + missing);
        assertEquals(ExitCodes.NO_STORE, noFile.code());
        assertTrue(noFile.err().contains("There is no SQLite database"), noFile.err());
        assertFalse(Files.exists(missing), "nothing is created");

        Cli otherPrefix = Cli.run("store", "stats", "--url", url, "--prefix", "other_");
        assertEquals(ExitCodes.NO_STORE, otherPrefix.code());
        assertTrue(otherPrefix.err().contains("no eskit tables"), otherPrefix.err());

        Cli badPrefix = Cli.run("store", "stats", "--url", url, "--prefix", "Bad-Prefix");
        assertEquals(ExitCodes.USAGE, badPrefix.code());

        Cli schemaOnSqlite = Cli.run("store", "stats", "--url", url, "--schema", "x");
        assertEquals(ExitCodes.USAGE, schemaOnSqlite.code());

        Cli unreachable = Cli.run("store", "health", "--url", "jdbc:postgresql://127.0.0.1:1/none?user=nobody");
        assertEquals(ExitCodes.DATABASE, unreachable.code());
        assertTrue(unreachable.err().contains("Cannot connect to PostgreSQL"), unreachable.err());

        Cli redacted = Cli.run("store", "health", "--url",
                "jdbc:postgresql://127.0.0.1:1/none?user=nobody&password=secret");
        assertFalse(redacted.err().contains("secret"), redacted.err());
    }

    @Test
    void appClasspathThatDoesNotExistIsAUsageError() {
        Cli result = Cli.run("store", "stats", "--url", url, "--app-classpath", directory.resolve("nope.jar")
                .toString());
        assertEquals(ExitCodes.USAGE, result.code(), result::toString);
    }

    @Test
    void helpListsTheExitCodes() {
        Cli help = Cli.run("--help");
        assertEquals(0, help.code());
        assertTrue(help.out().contains("Exit codes"), help.out());
        assertTrue(help.out().contains("migrate"), help.out());
        Cli unknownOption = Cli.run("streams", "list", "--url", url, "--bogus");
        assertEquals(ExitCodes.USAGE, unknownOption.code(), unknownOption::toString);
        Cli missingArgument = Cli.run("streams", "show", "order", "--url", url);
        assertEquals(ExitCodes.USAGE, missingArgument.code(), missingArgument::toString);
        Cli noUrl = Cli.run("store", "stats", "--url", "");
        assertEquals(ExitCodes.USAGE, noUrl.code(), noUrl::toString);
    }

    @Test
    void migrateToAnotherSqliteFileCopiesVerifiesAndResumes() throws Exception {
        String target = "jdbc:sqlite:" + directory.resolve("copy.db");
        Path checkpoint = directory.resolve("migrate.checkpoint");

        Cli dry = Cli.run("migrate", "--from", url, "--to", target, "--dry-run", "--json");
        assertEquals(0, dry.code(), dry::toString);
        assertEquals(5, JSON.readTree(dry.out()).get("wouldRead").asLong());
        assertFalse(Files.exists(directory.resolve("copy.db")), "a dry run creates nothing");

        Cli first = Cli.run("migrate", "--from", url, "--to", target, "--batch-size", "2", "--verify",
                "--checkpoint", checkpoint.toString(), "--json");
        JsonNode summary = json(first);
        assertEquals(5, summary.get("written").asLong());
        assertEquals(3, summary.get("batches").asLong());
        assertTrue(summary.get("verified").asBoolean());
        assertTrue(first.err().contains("eskit migrate: 5 of 5 events (100%)"), first.err());

        try (JdbiEventStore source = Fixtures.builder().url(url).build()) {
            Fixtures.fillMany(source, 7, 2);
        }
        JsonNode second = json(Cli.run("migrate", "--from", url, "--to", target, "--batch-size", "2", "--verify",
                "--checkpoint", checkpoint.toString(), "--json"));
        assertEquals(7, second.get("read").asLong(), "resumes after the checkpoint");
        assertEquals(7, second.get("written").asLong());
        assertTrue(second.get("verified").asBoolean());

        try (JdbiEventStore source = Fixtures.builder().url(url).build();
             JdbiEventStore copy = Fixtures.builder().url(target).build()) {
            List<RawEvent> expected = source.raw().readAll(Position.START, 100, Set.of());
            List<RawEvent> actual = copy.raw().readAll(Position.START, 100, Set.of());
            assertEquals(expected.stream().map(RawEvent::id).toList(), actual.stream().map(RawEvent::id).toList());
        }
    }

    @Test
    void migrateIntoAStoreWithOtherEventsStopsWithAConflict() {
        String target = "jdbc:sqlite:" + directory.resolve("other.db");
        try (JdbiEventStore other = Fixtures.builder().url(target).build()) {
            Fixtures.fill(other);
        }
        Cli result = Cli.run("migrate", "--from", url, "--to", target);
        assertEquals(ExitCodes.CONFLICT, result.code(), result::toString);
        Cli verify = Cli.run("migrate", "--from", url, "--to", target, "--dry-run", "--verify");
        assertEquals(ExitCodes.CHECK_FAILED, verify.code(), verify::toString);
        assertTrue(verify.out().contains("NOT verified"), verify.out());
    }

    @Test
    void migrateKeepsDcbTagsAndVerifyComparesThem() throws Exception {
        String target = "jdbc:sqlite:" + directory.resolve("tagged.db");
        try (JdbiEventStore source = Fixtures.builder().url(url).build()) {
            Fixtures.fillTagged(source);
        }
        JsonNode summary = json(Cli.run("migrate", "--from", url, "--to", target, "--verify", "--json"));
        assertEquals(8, summary.get("written").asLong());
        assertTrue(summary.get("verified").asBoolean());
        try (JdbiEventStore source = Fixtures.builder().url(url).build();
             JdbiEventStore copy = Fixtures.builder().url(target).build()) {
            Query customer = Query.of(QueryItem.tags(Fixtures.CUSTOMER_K1));
            List<StoredEvent<Object>> expected = source.read(customer);
            assertEquals(2, expected.size());
            assertEquals(expected.stream().map(StoredEvent::id).toList(),
                    copy.read(customer).stream().map(StoredEvent::id).toList());
            assertEquals(source.raw().readAll(Position.START, 100, Set.of()).stream().map(RawEvent::tags).toList(),
                    copy.raw().readAll(Position.START, 100, Set.of()).stream().map(RawEvent::tags).toList());
        }
        // A lost tag row is a difference.
        try (Connection connection = DriverManager.getConnection(target);
             Statement statement = connection.createStatement()) {
            assertEquals(1, statement.executeUpdate("DELETE FROM eskit_tags WHERE tag = 'order:t-1'"));
        }
        Cli verify = Cli.run("migrate", "--from", url, "--to", target, "--dry-run", "--verify");
        assertEquals(ExitCodes.CHECK_FAILED, verify.code(), verify::toString);
        assertTrue(verify.out().contains("tags are [customer:k1], not [customer:k1, order:t-1]"), verify.out());
    }
}
