package dev.eskit.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.eskit.Position;
import dev.eskit.StoredEvent;
import dev.eskit.StreamRef;
import dev.eskit.dcb.Query;
import dev.eskit.dcb.QueryItem;
import dev.eskit.dcb.Tag;
import dev.eskit.jdbi.JdbiEventStore;
import dev.eskit.jdbi.RawEvent;
import dev.eskit.testkit.EskitDatabase;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** The tool on PostgreSQL, and SQLite -> PostgreSQL migrations of a few thousand events. */
class PostgresCliTest {

    @RegisterExtension
    static final EskitDatabase SCHEMA = EskitDatabase.postgres();

    static final String URL = EskitDatabase.postgresUrl();

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final AtomicInteger PREFIXES = new AtomicInteger();

    @TempDir
    Path directory;

    private static String newPrefix() {
        return "c" + PREFIXES.incrementAndGet() + "_";
    }

    private static JdbiEventStore pg(String prefix) {
        return Fixtures.builder().url(URL).schema(SCHEMA.schema()).tablePrefix(prefix).build();
    }

    private static JsonNode json(Cli result) throws Exception {
        assertEquals(0, result.code(), result::toString);
        return JSON.readTree(result.out());
    }

    /** Every event of both stores, read back in global order, by the raw reads. */
    private static List<RawEvent> all(JdbiEventStore store) {
        List<RawEvent> events = new ArrayList<>();
        Position after = Position.START;
        List<RawEvent> page;
        while (!(page = store.raw().readAll(after, 1000, Set.of())).isEmpty()) {
            events.addAll(page);
            after = page.get(page.size() - 1).position();
        }
        return events;
    }

    /**
     * Every event once at least {@code count} are readable: on PostgreSQL another session's open transaction holds
     * the readable horizon back for a while (up to 30 seconds here).
     */
    private static List<RawEvent> awaitAll(JdbiEventStore store, int count) {
        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(30);
        while (true) {
            List<RawEvent> events = all(store);
            if (events.size() >= count) {
                return events;
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("Only " + events.size() + " of " + count + " events became readable.");
            }
            java.util.concurrent.locks.LockSupport.parkNanos(10_000_000L);
        }
    }

    private static void assertSameEvents(List<RawEvent> expected, List<RawEvent> actual) {
        assertEquals(expected.size(), actual.size());
        for (int i = 0; i < expected.size(); i++) {
            RawEvent e = expected.get(i);
            RawEvent a = actual.get(i);
            assertEquals(List.of(e.id(), e.stream(), e.version(), e.eventType(), e.schemaVersion(), e.timestamp()),
                    List.of(a.id(), a.stream(), a.version(), a.eventType(), a.schemaVersion(), a.timestamp()),
                    "event " + i);
            assertArrayEquals(e.metadata(), a.metadata(), "metadata of event " + i);
            assertArrayEquals(e.data(), a.data(), "data of event " + i);
            assertEquals(e.tags(), a.tags(), "tags of event " + i);
        }
    }

    @Test
    void inspectsAPostgresStoreInItsSchemaAndPrefix() throws Exception {
        String prefix = newPrefix();
        try (JdbiEventStore store = pg(prefix)) {
            Fixtures.fill(store);
            awaitAll(store, 5);
        }
        String[] where = {"--url", URL, "--schema", SCHEMA.schema(), "--prefix", prefix, "--json"};
        JsonNode streams = json(Cli.run(concat(new String[]{"streams", "list"}, where)));
        assertEquals(4, streams.size());
        JsonNode stats = json(Cli.run(concat(new String[]{"store", "stats"}, where)));
        assertEquals("PostgreSQL", stats.get("database").asText());
        assertEquals(5, stats.get("events").asLong());

        JsonNode shipped = json(Cli.run(concat(new String[]{"events", "search", "--type", "shop.Shipped"}, where)));
        String position = shipped.get(0).get("position").asText();
        assertTrue(Position.parse(position).commitOrder() > 0, "PostgreSQL positions carry a transaction id");
        JsonNode event = json(Cli.run(concat(new String[]{"events", "show", position}, where)));
        assertEquals("o-1", event.get("data").get("orderId").asText());
        assertTrue(event.get("decoded").asBoolean());

        JsonNode old = json(Cli.run(concat(new String[]{"streams", "show", "order", "o-old"}, where)));
        assertEquals("EUR", old.get("events").get(0).get("data").get("currency").asText());

        Cli missing = Cli.run("store", "stats", "--url", URL, "--schema", SCHEMA.schema(), "--prefix",
                "nothing_here_");
        assertEquals(ExitCodes.NO_STORE, missing.code(), missing::toString);
        assertFalse(tableExists(SCHEMA.schema(), "nothing_here_events"), "inspection creates nothing");
    }

    /**
     * The read-only commands work on a session PostgreSQL keeps read-only ({@code default_transaction_read_only}): any
     * write (a migration, a created table, a journal or checkpoint update) would fail them.
     */
    @Test
    void readOnlyCommandsNeverWriteToAPostgresStore() throws Exception {
        String prefix = newPrefix();
        try (JdbiEventStore store = pg(prefix)) {
            Fixtures.fill(store);
            awaitAll(store, 5);
            var log = dev.eskit.jdbi.command.JdbiCommandLog.create(org.jdbi.v3.core.Jdbi.create(URL), store);
            dev.eskit.tenancy.TenantScope.of(dev.eskit.tenancy.TenantId.of("acme")).commandLog(log).record(
                    new dev.eskit.command.log.CommandLogEntry("c-1", "shop.Order", dev.eskit.StreamRef.of("order",
                            "o-1"), "{}", dev.eskit.Metadata.empty(), dev.eskit.command.log.CommandOutcome.ACCEPTED,
                            0, null, null, 0, null, java.time.Instant.now(), java.time.Duration.ZERO));
        }
        String readOnly = URL + (URL.contains("?") ? "&" : "?") + "options=-c%20default_transaction_read_only%3Don";
        org.junit.jupiter.api.Assertions.assertThrows(Exception.class, () -> org.jdbi.v3.core.Jdbi.create(readOnly)
                .useHandle(h -> h.execute("CREATE TABLE " + SCHEMA.schema() + ".probe (x int)")),
                "the session refuses writes");
        String position = null;
        for (List<String> command : List.of(List.of("streams", "list"), List.of("streams", "show", "order", "o-1"),
                List.of("events", "search"), List.of("store", "stats"), List.of("store", "health"),
                List.of("projections", "list"), List.of("commands", "list", "--tenant", "acme"),
                List.of("commands", "show", "c-1", "--tenant", "acme"))) {
            List<String> args = new ArrayList<>(command);
            args.addAll(List.of("--url", readOnly, "--schema", SCHEMA.schema(), "--prefix", prefix, "--json"));
            Cli result = Cli.run(args.toArray(String[]::new));
            assertEquals(0, result.code(), command + ": " + result);
            if (command.get(0).equals("events")) {
                position = JSON.readTree(result.out()).get(0).get("position").asText();
            }
        }
        assertEquals(0, Cli.run("events", "show", position, "--url", readOnly, "--schema", SCHEMA.schema(),
                "--prefix", prefix).code());
        JsonNode listed = json(Cli.run("commands", "list", "--url", readOnly, "--schema", SCHEMA.schema(), "--prefix",
                prefix, "--json"));
        assertEquals("acme", listed.get(0).get("tenant").asText());
        assertEquals("c-1", listed.get(0).get("commandId").asText());
    }

    @Test
    void migratesThousandsOfEventsFromSqliteToPostgresVerifiedEventByEvent() throws Exception {
        String sqlite = "jdbc:sqlite:" + directory.resolve("source.db");
        try (JdbiEventStore source = Fixtures.builder().url(sqlite).build()) {
            Fixtures.fill(source);
            Fixtures.fillMany(source, 3_000, 97);
            source.archive(StreamRef.of("order", "o-5"));
        }
        String prefix = newPrefix();
        Cli result = Cli.run("migrate", "--from", sqlite, "--to", URL, "--to-schema", SCHEMA.schema(),
                "--to-prefix", prefix, "--batch-size", "500", "--verify", "--json");
        JsonNode summary = json(result);
        assertEquals(3_005, summary.get("written").asLong());
        assertEquals(7, summary.get("batches").asLong());
        assertEquals(1, summary.get("statusesCopied").asLong());
        assertTrue(summary.get("verified").asBoolean(), result::toString);
        assertTrue(result.err().contains("3005 of 3005 events (100%)"), result.err());

        try (JdbiEventStore source = Fixtures.builder().url(sqlite).build(); JdbiEventStore target = pg(prefix)) {
            assertSameEvents(all(source), awaitAll(target, all(source).size()));
            // Decoded reads agree too, and the copy takes new appends where each stream left off.
            List<StoredEvent<Object>> expected = source.load(StreamRef.of("order", "o-7"));
            List<StoredEvent<Object>> actual = target.load(StreamRef.of("order", "o-7"));
            assertEquals(expected.stream().map(StoredEvent::data).toList(),
                    actual.stream().map(StoredEvent::data).toList());
            assertEquals(expected.stream().map(StoredEvent::metadata).toList(),
                    actual.stream().map(StoredEvent::metadata).toList());
            assertEquals(dev.eskit.StreamStatus.ARCHIVED, target.status(StreamRef.of("order", "o-5")));
            target.append(StreamRef.of("order", "o-7"), dev.eskit.ExpectedVersion.exactly(expected.size()),
                    List.of(new ShopEventTypes.Shipped("o-7")));
        }
    }

    @Test
    void migratingFromSqliteToPostgresKeepsDcbTags() throws Exception {
        String sqlite = "jdbc:sqlite:" + directory.resolve("tagged.db");
        try (JdbiEventStore source = Fixtures.builder().url(sqlite).build()) {
            Fixtures.fill(source);
            Fixtures.fillTagged(source);
        }
        String prefix = newPrefix();
        Cli result = Cli.run("migrate", "--from", sqlite, "--to", URL, "--to-schema", SCHEMA.schema(),
                "--to-prefix", prefix, "--batch-size", "3", "--verify", "--json");
        JsonNode summary = json(result);
        assertEquals(8, summary.get("written").asLong());
        assertTrue(summary.get("verified").asBoolean(), result::toString);
        try (JdbiEventStore source = Fixtures.builder().url(sqlite).build(); JdbiEventStore target = pg(prefix)) {
            List<RawEvent> expected = all(source);
            assertTrue(expected.stream().anyMatch(event -> !event.tags().isEmpty()));
            assertSameEvents(expected, awaitAll(target, expected.size()));
            Query customer = Query.of(QueryItem.tags(Fixtures.CUSTOMER_K1));
            List<StoredEvent<Object>> tagged = source.read(customer);
            assertEquals(2, tagged.size());
            assertEquals(tagged.stream().map(StoredEvent::id).toList(),
                    target.read(customer).stream().map(StoredEvent::id).toList());
            assertEquals(List.of(expected.get(6).id()), target.read(Query.of(QueryItem.types("shop.Shipped")
                    .withTags(Tag.of("order", "t-1")))).stream().map(StoredEvent::id).toList());
        }
    }

    @Test
    void migratesFromPostgresBackToSqlite() throws Exception {
        String prefix = newPrefix();
        try (JdbiEventStore source = pg(prefix)) {
            Fixtures.fill(source);
            Fixtures.fillMany(source, 600, 13);
        }
        String sqlite = "jdbc:sqlite:" + directory.resolve("copy.db");
        JsonNode summary = json(Cli.run("migrate", "--from", URL, "--from-schema", SCHEMA.schema(),
                "--from-prefix", prefix, "--to", sqlite, "--batch-size", "250", "--verify", "--json"));
        assertEquals(605, summary.get("written").asLong());
        assertTrue(summary.get("verified").asBoolean());
        try (JdbiEventStore source = pg(prefix); JdbiEventStore target = Fixtures.builder().url(sqlite).build()) {
            assertSameEvents(awaitAll(source, 605), all(target));
        }
    }

    @Test
    void anInterruptedMigrationResumesFromItsCheckpoint() throws Exception {
        String sqlite = "jdbc:sqlite:" + directory.resolve("source.db");
        try (JdbiEventStore source = Fixtures.builder().url(sqlite).build()) {
            Fixtures.fillMany(source, 2_000, 41);
        }
        String prefix = newPrefix();
        Path checkpoint = directory.resolve("pg.checkpoint");
        // The first run copied 1,200 events but died after saving its checkpoint at 1,000: the last batch is in
        // the target and not in the checkpoint.
        try (JdbiEventStore source = Fixtures.builder().url(sqlite).build(); JdbiEventStore target = pg(prefix)) {
            List<RawEvent> log = all(source);
            target.raw().importEvents(log.subList(0, 1_000));
            target.raw().importEvents(log.subList(1_000, 1_200));
            Files.writeString(checkpoint, "from=" + sqlite + "\nto=" + URL + "\nposition="
                    + log.get(999).position().toToken() + "\n");
        }
        Cli result = Cli.run("migrate", "--from", sqlite, "--to", URL, "--to-schema", SCHEMA.schema(),
                "--to-prefix", prefix, "--batch-size", "300", "--checkpoint", checkpoint.toString(), "--verify",
                "--json");
        JsonNode summary = json(result);
        assertEquals(1_000, summary.get("read").asLong(), "reads only after the checkpoint");
        assertEquals(800, summary.get("written").asLong());
        assertEquals(200, summary.get("skipped").asLong());
        assertTrue(summary.get("verified").asBoolean(), result::toString);
        assertTrue(Files.readString(checkpoint).contains("position=0.2000"), Files.readString(checkpoint));
        try (JdbiEventStore source = Fixtures.builder().url(sqlite).build(); JdbiEventStore target = pg(prefix)) {
            assertSameEvents(all(source), awaitAll(target, all(source).size()));
        }

        Cli wrongFile = Cli.run("migrate", "--from", sqlite, "--to", "jdbc:sqlite:" + directory.resolve("x.db"),
                "--checkpoint", checkpoint.toString());
        assertEquals(ExitCodes.USAGE, wrongFile.code(), wrongFile::toString);
    }

    @Test
    void aDryRunToPostgresWritesNothing() throws Exception {
        String sqlite = "jdbc:sqlite:" + directory.resolve("source.db");
        try (JdbiEventStore source = Fixtures.builder().url(sqlite).build()) {
            Fixtures.fillMany(source, 250, 10);
        }
        String prefix = newPrefix();
        Path checkpoint = directory.resolve("dry.checkpoint");
        JsonNode summary = json(Cli.run("migrate", "--from", sqlite, "--to", URL, "--to-schema",
                SCHEMA.schema(), "--to-prefix", prefix, "--batch-size", "100", "--dry-run", "--checkpoint",
                checkpoint.toString(), "--json"));
        assertEquals(250, summary.get("wouldRead").asLong());
        assertEquals(3, summary.get("wouldBatches").asLong());
        assertEquals("would be created", summary.get("targetTables").asText());
        assertFalse(tableExists(SCHEMA.schema(), prefix + "events"));
        assertFalse(tableExists(SCHEMA.schema(), prefix + "schema_migrations"));
        assertFalse(Files.exists(checkpoint));
    }

    private static String[] concat(String[] a, String[] b) {
        String[] all = new String[a.length + b.length];
        System.arraycopy(a, 0, all, 0, a.length);
        System.arraycopy(b, 0, all, a.length, b.length);
        return all;
    }

    /** Whether table {@code schema.table} exists. */
    private static boolean tableExists(String schema, String table) throws SQLException {
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
