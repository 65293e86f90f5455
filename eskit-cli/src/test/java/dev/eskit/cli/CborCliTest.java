package dev.eskit.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.eskit.ExpectedVersion;
import dev.eskit.Position;
import dev.eskit.StreamRef;
import dev.eskit.codec.JsonEventCodec;
import dev.eskit.jdbi.JdbiEventStore;
import dev.eskit.jdbi.RawEvent;
import dev.eskit.testkit.EskitDatabase;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** CBOR rows in the event views (shown as JSON, {@code --raw} as bytes) and {@code migrate --recode-to}. */
class CborCliTest {

    @RegisterExtension
    static final EskitDatabase SCHEMA = EskitDatabase.postgres();

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final AtomicInteger PREFIXES = new AtomicInteger();

    @TempDir
    Path directory;

    private static JsonNode json(Cli result) throws Exception {
        assertEquals(0, result.code(), result::toString);
        return JSON.readTree(result.out());
    }

    @Test
    void cborEventsAreShownAsJsonAndRawShowsTheirBytes() throws Exception {
        String url = "jdbc:sqlite:" + directory.resolve("shop.db");
        try (JdbiEventStore json = Fixtures.builder().url(url).build();
             JdbiEventStore cbor = JdbiEventStore.builder(JsonEventCodec.create(Fixtures.WRITER_TYPES)
                     .forFormat("cbor")).url(url).build()) {
            Fixtures.fill(json);
            cbor.append(StreamRef.of("order", "o-3"), ExpectedVersion.noStream(),
                    List.of(new ShopEventTypes.Ordered("o-3", 700, "GBP")));
            cbor.append(StreamRef.of("legacy", "y"), ExpectedVersion.noStream(), List.of(new Fixtures.Thing("gear")));
        }

        JsonNode decoded = json(Cli.run("streams", "show", "order", "o-3", "--url", url, "--json")).get("events")
                .get(0);
        assertEquals("cbor", decoded.get("codec").asText());
        assertTrue(decoded.get("decoded").asBoolean());
        assertEquals("GBP", decoded.get("data").get("currency").asText());

        JsonNode unknown = json(Cli.run("streams", "show", "legacy", "y", "--url", url, "--json")).get("events")
                .get(0);
        assertFalse(unknown.get("decoded").asBoolean(), "the CLI does not know legacy.Thing");
        assertEquals("gear", unknown.get("data").get("name").asText(), "stored CBOR shown as JSON");

        JsonNode raw = json(Cli.run("streams", "show", "order", "o-3", "--url", url, "--json", "--raw"))
                .get("events").get(0);
        assertFalse(raw.get("decoded").asBoolean());
        assertTrue(raw.get("data").asText().matches("[0-9a-f]+"), raw.toString());
        assertEquals("o-3", new ObjectMapper(new com.fasterxml.jackson.dataformat.cbor.CBORFactory())
                .readTree(java.util.HexFormat.of().parseHex(raw.get("data").asText())).get("orderId").asText());
        String position = raw.get("position").asText();
        Cli text = Cli.run("events", "show", position, "--url", url, "--raw");
        assertTrue(text.out().contains("data (stored CBOR, hex): "), text.toString());
        Cli searched = Cli.run("events", "search", "--type", "shop.Ordered", "--url", url, "--json");
        assertTrue(json(searched).toString().contains("\"currency\":\"GBP\""), searched.out());
        JsonNode jsonRaw = json(Cli.run("events", "search", "--type", "shop.Shipped", "--url", url, "--json",
                "--raw")).get(0);
        assertEquals("o-1", jsonRaw.get("data").get("orderId").asText(), "raw JSON rows are their stored JSON");
    }

    @Test
    void recodeToCborOnSqliteConvertsInPlaceResumesAndGoesBack() throws Exception {
        String url = "jdbc:sqlite:" + directory.resolve("orders.db");
        try (JdbiEventStore store = Fixtures.builder().url(url).build()) {
            Fixtures.fillMany(store, 9, 3);
        }
        recodesAndGoesBack(url, null, "eskit_", () -> Fixtures.builder().url(url).build());
    }

    @Test
    void recodeToCborOnPostgresConvertsInPlaceResumesAndGoesBack() throws Exception {
        String prefix = "r" + PREFIXES.incrementAndGet() + "_";
        try (JdbiEventStore store = pg(prefix)) {
            Fixtures.fillMany(store, 9, 3);
        }
        recodesAndGoesBack(EskitDatabase.postgresUrl(), SCHEMA.schema(), prefix, () -> pg(prefix));
    }

    private static JdbiEventStore pg(String prefix) {
        return Fixtures.builder().url(EskitDatabase.postgresUrl()).schema(SCHEMA.schema()).tablePrefix(prefix)
                .build();
    }

    private static void recodesAndGoesBack(String url, String schema, String prefix,
                                           java.util.function.Supplier<JdbiEventStore> open) throws Exception {
        List<String> target = new java.util.ArrayList<>(List.of("--to", url, "--to-prefix", prefix));
        if (schema != null) {
            target.addAll(List.of("--to-schema", schema));
        }
        List<RawEvent> before;
        try (JdbiEventStore store = open.get()) {
            before = awaitAll(store, 9);
        }
        JsonNode dry = json(run(target, "migrate", "--recode-to", "cbor", "--dry-run", "--json"));
        assertEquals(9, dry.get("wouldRecode").asLong());

        Cli first = run(target, "migrate", "--recode-to", "cbor", "--batch-size", "4", "--json");
        JsonNode summary = json(first);
        assertEquals(9, summary.get("recoded").asLong());
        assertEquals(0, summary.get("left").asLong());
        assertTrue(first.err().contains("recoded 9 of 9 events to cbor (100%)"), first.err());
        assertEquals(0, json(run(target, "migrate", "--recode-to", "cbor", "--json")).get("recoded").asLong(),
                "a rerun finds nothing left");
        try (JdbiEventStore store = open.get()) {
            List<RawEvent> after = awaitAll(store, 9);
            assertEquals(before.stream().map(RawEvent::position).toList(),
                    after.stream().map(RawEvent::position).toList());
            assertTrue(after.stream().allMatch(event -> event.codec().equals("cbor")));
            assertEquals(9, store.readAll(Position.START, 100, Set.of()).size(), "the store reads them");
        }

        assertEquals(9, json(run(target, "migrate", "--recode-to", "json", "--json")).get("recoded").asLong());
        try (JdbiEventStore store = open.get()) {
            List<RawEvent> back = awaitAll(store, 9);
            for (int i = 0; i < before.size(); i++) {
                assertArrayEquals(before.get(i).data(), back.get(i).data());
                assertEquals("json", back.get(i).codec());
            }
        }
    }

    private static Cli run(List<String> target, String... args) {
        List<String> all = new java.util.ArrayList<>(List.of(args));
        all.addAll(target);
        return Cli.run(all.toArray(String[]::new));
    }

    /** Every event once {@code count} are readable (another session may hold PostgreSQL's horizon briefly). */
    private static List<RawEvent> awaitAll(JdbiEventStore store, int count) throws InterruptedException {
        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(30);
        while (true) {
            List<RawEvent> events = store.raw().readAll(Position.START, 1000, Set.of());
            if (events.size() >= count || System.nanoTime() > deadline) {
                return events;
            }
            Thread.onSpinWait();
        }
    }

    @Test
    void recodeNeedsTheApplicationsTypesAndSaysSo() {
        String url = "jdbc:sqlite:" + directory.resolve("shop.db");
        try (JdbiEventStore store = Fixtures.builder().url(url).build()) {
            Fixtures.fill(store);
        }
        Cli result = Cli.run("migrate", "--recode-to", "cbor", "--to", url);
        assertEquals(ExitCodes.DATABASE, result.code(), result::toString);
        assertTrue(result.err().contains("legacy.Thing"), result.err());
        assertTrue(result.err().contains("--app-classpath"), result.err());
        Cli bad = Cli.run("migrate", "--recode-to", "xml", "--to", url);
        assertEquals(ExitCodes.USAGE, bad.code(), bad::toString);
        Cli both = Cli.run("migrate", "--recode-to", "cbor", "--from", url, "--to", url);
        assertEquals(ExitCodes.USAGE, both.code(), both::toString);
    }
}
