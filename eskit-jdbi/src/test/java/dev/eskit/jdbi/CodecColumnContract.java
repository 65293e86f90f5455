package dev.eskit.jdbi;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.eskit.EventDecodingException;
import dev.eskit.ExpectedVersion;
import dev.eskit.Metadata;
import dev.eskit.Position;
import dev.eskit.StoredEvent;
import dev.eskit.StreamRef;
import dev.eskit.jdbi.TestEvents.Deposited;
import dev.eskit.jdbi.TestEvents.Withdrawn;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The per-row codec column (schema version 5): one store holds JSON and CBOR rows and reads each with its codec, and
 * {@link EventRecoder} converts rows in place, in resumable batches, keeping everything else.
 */
abstract class CodecColumnContract {

    abstract Databases db();

    private JdbiEventStore cborStore(Databases.Location location) {
        return db().track(location.builder(TestEvents.codec().forFormat("cbor")).build());
    }

    private static List<RawEvent> rawLog(JdbiEventStore store) {
        return store.raw().readAll(Position.START, 10_000, Set.of());
    }

    private static List<Object> dataOf(List<StoredEvent<Object>> events) {
        List<Object> data = new ArrayList<>();
        events.forEach(event -> data.add(event.data()));
        return data;
    }

    @Test
    void oneStoreHoldsJsonAndCborRowsAndEachStoreReadsBoth() {
        Databases.Location location = db().newLocation();
        JdbiEventStore json = db().open(location);
        JdbiEventStore cbor = cborStore(location);
        json.append(StreamRef.of("account", "a"), ExpectedVersion.noStream(), List.of(new Deposited("a", 1)));
        cbor.append(StreamRef.of("account", "a"), ExpectedVersion.exactly(1), List.of(new Withdrawn("a", 2)),
                Metadata.correlatedBy("c-1"));

        List<RawEvent> raw = rawLog(json);
        assertEquals(List.of("json", "cbor"), raw.stream().map(RawEvent::codec).toList());
        assertEquals('{', raw.get(0).data()[0]);
        assertNotEquals('{', raw.get(1).data()[0]);
        assertTrue(raw.get(1).metadataText().contains("c-1"), "metadata stays JSON");
        for (JdbiEventStore store : List.of(json, cbor)) {
            assertEquals(List.of(new Deposited("a", 1), new Withdrawn("a", 2)),
                    dataOf(store.load(StreamRef.of("account", "a"), 1)));
            assertEquals(List.of(new Deposited("a", 1), new Withdrawn("a", 2)),
                    dataOf(store.readAll(Position.START, 10, Set.of())));
            // A command's load reads each row with its format's codec too (without a context: no transform here).
            List<Object> loaded = new java.util.ArrayList<>();
            store.loadData(StreamRef.of("account", "a"), 1, (version, data) -> loaded.add(data));
            assertEquals(List.of(new Deposited("a", 1), new Withdrawn("a", 2)), loaded);
        }
    }

    @Test
    void recodingConvertsEveryRowInResumableBatchesAndKeepsEverythingElse() {
        Databases.Location location = db().newLocation();
        JdbiEventStore store = db().open(location);
        for (int i = 0; i < 25; i++) {
            StreamRef stream = StreamRef.of("account", "s" + (i % 4));
            store.append(stream, ExpectedVersion.any(), List.of(new Deposited("s" + i, i)),
                    Metadata.correlatedBy("c-" + i));
        }
        List<RawEvent> before = rawLog(store);
        List<StoredEvent<Object>> decoded = store.readAll(Position.START, 100, Set.of());
        EventRecoder recoder = store.recoder();
        assertEquals(25, recoder.remaining("cbor"));

        // A first run stops after one batch; a second one carries on with what is left.
        EventRecoder.Batch first = recoder.recodeBatch("cbor", Position.START, 10);
        assertEquals(10, first.recoded());
        assertEquals(15, recoder.remaining("cbor"));
        List<EventRecoder.Batch> batches = new ArrayList<>();
        assertEquals(15, recoder.recodeAll("cbor", 7, batches::add));
        assertEquals(List.of(7, 7, 1), batches.stream().map(EventRecoder.Batch::recoded).toList());
        assertEquals(0, recoder.remaining("cbor"));
        assertEquals(0, recoder.recodeAll("cbor", 7, batch -> { }), "a repeated run finds nothing to do");

        List<RawEvent> after = rawLog(store);
        assertEquals(before.size(), after.size());
        for (int i = 0; i < before.size(); i++) {
            RawEvent was = before.get(i);
            RawEvent is = after.get(i);
            assertEquals("cbor", is.codec());
            assertEquals(List.of(was.id(), was.stream(), was.version(), was.eventType(), was.schemaVersion(),
                    was.position(), was.timestamp(), was.tags()), List.of(is.id(), is.stream(), is.version(),
                    is.eventType(), is.schemaVersion(), is.position(), is.timestamp(), is.tags()));
            assertArrayEquals(was.metadata(), is.metadata());
            assertNotEquals('{', is.data()[0]);
        }
        List<StoredEvent<Object>> reread = store.readAll(Position.START, 100, Set.of());
        assertEquals(decoded, reread, "the same events, positions and metadata, decoded from CBOR");

        // And back: the JSON is byte for byte what was written first.
        assertEquals(25, store.recoder().recodeAll("json", 1000, batch -> { }));
        List<RawEvent> back = rawLog(store);
        for (int i = 0; i < before.size(); i++) {
            assertArrayEquals(before.get(i).data(), back.get(i).data());
            assertEquals("json", back.get(i).codec());
        }
    }

    @Test
    void aBatchWithAnUnreadableRowWritesNothingAndSaysWhichRow() throws Exception {
        Databases.Location location = db().newLocation();
        JdbiEventStore store = db().open(location);
        for (int i = 0; i < 6; i++) {
            store.append(StreamRef.of("account", "a"), ExpectedVersion.any(), List.of(new Deposited("a", i)));
        }
        RawEvent broken = rawLog(store).get(3);
        try (Connection connection = location.rawConnection();
             PreparedStatement update = connection.prepareStatement("UPDATE " + store.tableNames().events()
                     + " SET data = ? WHERE id = ?")) {
            update.setBytes(1, "{\"account\":".getBytes(java.nio.charset.StandardCharsets.UTF_8));
            update.setObject(2, db().kind().equals("SQLite") ? uuidBytes(broken.id()) : broken.id());
            assertEquals(1, update.executeUpdate());
        }
        EventDecodingException error = assertThrows(EventDecodingException.class,
                () -> store.recoder().recodeBatch("cbor", Position.START, 100));
        assertTrue(error.getMessage().contains("Event 4 of stream account/a"), error.getMessage());
        assertTrue(error.getMessage().contains("Nothing of this batch was written"), error.getMessage());
        assertEquals(6, store.recoder().remaining("cbor"));
        assertTrue(rawLog(store).stream().allMatch(event -> event.codec().equals("json")));
    }

    @Test
    void recodingRefusesAnUnknownFormatAndABadBatchSize() {
        JdbiEventStore store = db().newStore();
        EventRecoder recoder = store.recoder();
        assertThrows(dev.eskit.InvalidInputException.class, () -> recoder.recodeBatch("xml", Position.START, 10));
        assertThrows(dev.eskit.InvalidInputException.class, () -> recoder.recodeBatch("cbor", Position.START, 0));
    }

    private static byte[] uuidBytes(java.util.UUID id) {
        return java.nio.ByteBuffer.allocate(16).putLong(id.getMostSignificantBits())
                .putLong(id.getLeastSignificantBits()).array();
    }
}
