package dev.eskit.samples.carts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.eskit.Metadata;
import dev.eskit.command.queue.QueueStatus;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import java.io.PrintStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The main job runs on SQLite with jackson-databind absent from the class path. */
class CartsAppTest {

    @Test
    void runsOnSqliteWithoutDatabind(@TempDir Path dir) {
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        String url = "jdbc:sqlite:" + dir.resolve("carts.db");
        CartsApp.Summary summary = CartsApp.run(url, "c-1", new PrintStream(printed, true, StandardCharsets.UTF_8));
        assertFalse(summary.databindPresent(), "this module's build excludes jackson-databind");
        assertEquals(new CartState.Paid(Instant.parse("2026-12-02T09:00:00Z"), new BigDecimal("22.50")),
                summary.state());
        assertEquals(7, summary.eventsInLog());
        // Stored as ItemAdded version 1 ("price"), read as version 3 by the generated chain: JsonObject step to
        // version 2 ("unitPrice"), then a typed step (ItemAddedV2 -> ItemAdded) through generated codecs.
        assertEquals(java.util.List.of(new CartEvent.ItemAdded("legacy-c-1", "pot", 1, new BigDecimal("24.90"),
                "EUR")),
                summary.legacy());
        assertTrue(summary.snapshotSchema().startsWith("dev.eskit.samples.carts.CartState#"), summary.snapshotSchema());
        // @PersonalData without databind: stored encrypted, read in clear, erased after forget.
        assertTrue(summary.storedCheckout().contains("\"eskit:pd\":2"), summary.storedCheckout());
        assertFalse(summary.storedCheckout().contains("ann@example.com"), summary.storedCheckout());
        assertEquals("ann@example.com", summary.emailRead());
        assertEquals("[erased]", summary.emailForgotten());
        // A command with @PersonalData in the command log: encrypted (bound to its command id), read, erased.
        assertTrue(summary.storedCommand().contains("\"eskit:pd\":2"), summary.storedCommand());
        assertTrue(summary.storedCommand().contains("\"e\":1"), summary.storedCommand());
        assertFalse(summary.storedCommand().contains("ann@example.com"), summary.storedCommand());
        assertTrue(summary.commandRead().contains("\"email\":\"ann@example.com\""), summary.commandRead());
        assertTrue(summary.commandForgotten().contains("\"email\":\"[erased]\""), summary.commandForgotten());
        // Personal metadata (protector.personalMetadata("ip")) sealed by StreamingEventCodec, opened on load.
        assertFalse(summary.storedMetadata().contains("203.0.113.9"), summary.storedMetadata());
        assertTrue(summary.storedMetadata().contains("\"ip\":\"eskit:pd:"), summary.storedMetadata());
        assertEquals("203.0.113.9", summary.ipRead());
        // The command log is JdbiCommandLog on the same SQLite file: its extras JSON needs no databind either.
        assertTrue(summary.loggedExtras().get("ip").startsWith("eskit:pd:"), summary.loggedExtras().toString());
        // The durable command queue (JdbiCommandQueueStore) on the same SQLite file: both commands ran.
        QueuedCarts.Run queued = summary.queued();
        assertEquals(List.of(QueueStatus.SUCCEEDED, QueueStatus.SUCCEEDED), queued.statuses());
        Instant paidAt = Instant.parse("2026-12-02T10:00:00Z");
        assertEquals(List.of(new CartEvent.ItemAdded("queued-c-1", "kettle", 1, new BigDecimal("30.00"), "EUR"),
                new CartEvent.CheckedOut("queued-c-1", "queued-customer-c-1", "bo@example.com", paidAt,
                        new BigDecimal("30.00"))), queued.events());
        // The queued payload's @PersonalData was encrypted by generated code before it was stored.
        assertTrue(queued.storedCheckout().contains("\"eskit:pd\":2"), queued.storedCheckout());
        assertFalse(queued.storedCheckout().contains("bo@example.com"), queued.storedCheckout());
        // Its metadata went through the queue table's JSON (no databind) to the worker and into the event.
        Metadata fromTable = queued.metadata();
        assertEquals("order-queued-c-1", fromTable.correlationId());
        assertEquals("queued-customer-c-1", fromTable.initiator());
        assertEquals("mobile", fromTable.extras().get("channel"));
        assertTrue(fromTable.extras().get("ip").startsWith("eskit:pd:"), fromTable.toString());
        assertEquals("order-queued-c-1", queued.eventMetadata().correlationId());
        assertEquals("queued-customer-c-1", queued.eventMetadata().initiator());
        assertEquals("mobile", queued.eventMetadata().extras().get("channel"));
        assertEquals("198.51.100.4", queued.eventMetadata().extras().get("ip"));
        String out = printed.toString(StandardCharsets.UTF_8);
        assertTrue(out.contains("4 carts.CheckedOut"), out);

        // A second run on the same file decodes the first run's events too (readAll) through generated code.
        CartsApp.Summary again = CartsApp.run(url, "c-2", new PrintStream(new ByteArrayOutputStream(), true,
                StandardCharsets.UTF_8));
        assertEquals(14, again.eventsInLog());
        assertEquals(List.of(QueueStatus.SUCCEEDED, QueueStatus.SUCCEEDED), again.queued().statuses());
    }

    @Test
    void nothingNeedsReflectionMetadata() {
        // The processor writes GraalVM reflect-config.json only for types databind would read by reflection.
        assertEquals(null, CartsAppTest.class.getClassLoader()
                .getResource("META-INF/native-image/eskit"));
    }

    @Test
    void neitherTheSampleNorEskitsRuntimeCallsReflection() throws Exception {
        // The class files of this sample (its generated registries, codecs, deciders and specs included), of
        // eskit-runtime and of eskit-jdbi: none uses Method, Field, Constructor, RecordComponent or Proxy, or looks
        // members up by name.
        List<String> found = new ArrayList<>();
        for (Class<?> anchor : List.of(CartsApp.class, dev.eskit.codec.EventTypes.class,
                dev.eskit.jdbi.JdbiEventStore.class)) {
            URI location = anchor.getProtectionDomain().getCodeSource().getLocation().toURI();
            Path root = Path.of(location);
            if (Files.isDirectory(root)) {
                scan(root, found);
            } else {
                try (FileSystem jar = FileSystems.newFileSystem(root)) {
                    scan(jar.getPath("/"), found);
                }
            }
        }
        assertEquals(List.of(), found);
    }

    /** Adds {@code file: reference} for each class file under {@code root} whose constant pool names a reflective call. */
    private static void scan(Path root, List<String> found) throws IOException {
        try (Stream<Path> files = Files.walk(root)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".class")).toList()) {
                String pool = new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1);
                // Reflective calls, not mere signatures (databind's constructType(java.lang.reflect.Type) is one).
                for (String reflective : List.of("java/lang/reflect/Method", "java/lang/reflect/Field",
                        "java/lang/reflect/Constructor", "java/lang/reflect/RecordComponent", "java/lang/reflect/Proxy",
                        "getDeclaredConstructor", "getDeclaredMethod", "getDeclaredField", "getRecordComponents",
                        "setAccessible")) {
                    if (pool.contains(reflective)) {
                        found.add(root.relativize(file) + ": " + reflective);
                    }
                }
            }
        }
    }

    @Test
    void theConvenienceFactoryPicksTheDatabindFreeCodec(@TempDir Path dir) {
        // JdbiEventStore.sqlite(url, types) builds JsonEventCodec where databind is present; here it must not.
        String url = "jdbc:sqlite:" + dir.resolve("plain.db");
        dev.eskit.StreamRef cart = dev.eskit.StreamRef.of("cart", "c-9");
        try (dev.eskit.jdbi.JdbiEventStore store = dev.eskit.jdbi.JdbiEventStore.sqlite(url,
                dev.eskit.codec.EventTypes.discover())) {
            assertTrue(store.codec() instanceof dev.eskit.codec.StreamingEventCodec, store.codec().getClass()::getName);
            store.append(cart, dev.eskit.ExpectedVersion.noStream(),
                    List.of(new CartEvent.ItemAdded("c-9", "sku-1", 2, new BigDecimal("9.90"), "EUR")));
            List<dev.eskit.StoredEvent<Object>> loaded = store.load(cart);
            assertEquals(1, loaded.size());
            assertEquals(new CartEvent.ItemAdded("c-9", "sku-1", 2, new BigDecimal("9.90"), "EUR"),
                    loaded.get(0).data());
        }
    }

    @Test
    void databindReallyIsAbsent() {
        assertThrows(ClassNotFoundException.class,
                () -> Class.forName("com.fasterxml.jackson.databind.ObjectMapper"));
    }
}
