package dev.eskit.jdbi;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.eskit.AppendRequest;
import dev.eskit.EventDecodingException;
import dev.eskit.ExpectedVersion;
import dev.eskit.InvalidInputException;
import dev.eskit.Metadata;
import dev.eskit.StoredEvent;
import dev.eskit.StreamRef;
import dev.eskit.UnknownEventTypeException;
import dev.eskit.codec.EventContext;
import dev.eskit.codec.EventDataTransform;
import dev.eskit.codec.JsonEventCodec;
import dev.eskit.jdbi.TestEvents.Deposited;
import dev.eskit.jdbi.TestEvents.Withdrawn;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@link JdbiEventStore#loadData}, the command handler's load without metadata: the same versions and data as
 * {@code load}, over several pages, from any version, and the same failures for a row that cannot be decoded.
 */
abstract class StreamDataReaderContract {

    static final StreamRef A = StreamRef.of("account", "a");

    abstract Databases db();

    /** Appends deposits of 1..count cents in appends of {@code perAppend}, each append with its own metadata. */
    static void deposit(JdbiEventStore store, int count, int perAppend) {
        for (int first = 1; first <= count; first += perAppend) {
            List<Deposited> events = new ArrayList<>();
            for (int i = first; i < first + perAppend && i <= count; i++) {
                events.add(new Deposited("a", i));
            }
            store.append(new AppendRequest(A, ExpectedVersion.any(), events,
                    Metadata.empty().withCorrelationId("c-" + first), null));
        }
    }

    private static List<Object[]> viaLoadData(JdbiEventStore store, long from) {
        List<Object[]> seen = new ArrayList<>();
        store.loadData(A, from, (version, data) -> seen.add(new Object[] {version, data}));
        return seen;
    }

    private static List<Object[]> viaLoad(JdbiEventStore store, long from) {
        List<Object[]> seen = new ArrayList<>();
        for (StoredEvent<Object> event : store.load(A, from)) {
            seen.add(new Object[] {event.version(), event.data()});
        }
        return seen;
    }

    private static void assertSame(List<Object[]> expected, List<Object[]> actual) {
        assertEquals(expected.size(), actual.size());
        for (int i = 0; i < expected.size(); i++) {
            assertEquals(expected.get(i)[0], actual.get(i)[0], "version at " + i);
            assertEquals(expected.get(i)[1], actual.get(i)[1], "data at " + i);
        }
    }

    @Test
    void handsOverTheVersionsAndDataLoadReturnsAcrossPages() {
        JdbiEventStore store = db().newStore();
        // 600 events: more than two pages of the store's reads (256 rows).
        deposit(store, 600, 7);
        for (long from : new long[] {0, 1, 256, 257, 513, 600, 601}) {
            List<Object[]> expected = viaLoad(store, from);
            assertSame(expected, viaLoadData(store, from));
        }
        assertEquals(600, viaLoadData(store, 1).size());
        assertEquals(new Deposited("a", 600), viaLoadData(store, 1).get(599)[1]);
        assertEquals(0, viaLoadData(store, 601).size());
        store.loadData(StreamRef.of("account", "none"), 1, (v, d) -> {
            throw new AssertionError("no events expected");
        });
    }

    @Test
    void handsOverTheIdsLoadReturnsAcrossPages() {
        JdbiEventStore store = db().newStore();
        deposit(store, 300, 7);
        for (long from : new long[] {1, 256, 257, 300, 301}) {
            List<Object[]> expected = new ArrayList<>();
            for (StoredEvent<Object> event : store.load(A, from)) {
                expected.add(new Object[] {event.version(), event.id(), event.data()});
            }
            List<Object[]> seen = new ArrayList<>();
            assertTrue(store.loadDataWithIds(A, from,
                    (version, id, data) -> seen.add(new Object[] {version, id, data})));
            assertEquals(expected.size(), seen.size());
            for (int i = 0; i < expected.size(); i++) {
                assertArrayEquals(expected.get(i), seen.get(i), "event at " + i);
            }
        }
    }

    @Test
    void keepsEachRowsTypeWhenTypesAlternate() {
        JdbiEventStore store = db().newStore();
        List<Object> events = new ArrayList<>();
        for (int i = 1; i <= 40; i++) {
            // Runs of one type, then the other, then single rows of each.
            events.add(i <= 10 || i > 20 && i % 2 == 0 ? new Deposited("a", i) : new Withdrawn("a", i));
        }
        store.append(A, ExpectedVersion.noStream(), events);
        List<Object[]> seen = viaLoadData(store, 1);
        assertSame(viaLoad(store, 1), seen);
        for (int i = 0; i < 40; i++) {
            assertEquals(events.get(i), seen.get(i)[1], "event " + (i + 1));
        }
    }

    @Test
    void refusesANegativeFromVersionLikeLoad() {
        JdbiEventStore store = db().newStore();
        assertThrows(InvalidInputException.class, () -> store.loadData(A, -1, (v, d) -> { }));
        assertThrows(NullPointerException.class, () -> store.loadData(A, 1, null));
    }

    @Test
    void undecodableRowFailsWithTheSameNamedErrorAsLoad() throws SQLException {
        Databases.Location location = db().newLocation();
        JdbiEventStore store = db().open(location);
        deposit(store, 10, 1);
        update(location, store, "data = CAST(? AS " + blobType(store) + ")", "{not json", 5);
        EventDecodingException viaLoad = assertThrows(EventDecodingException.class, () -> store.load(A, 1));
        List<Long> before = new ArrayList<>();
        EventDecodingException viaData = assertThrows(EventDecodingException.class,
                () -> store.loadData(A, 1, (version, data) -> before.add(version)));
        assertEquals(viaLoad.getMessage(), viaData.getMessage());
        EventDecodingException viaIds = assertThrows(EventDecodingException.class,
                () -> store.loadDataWithIds(A, 1, (version, id, data) -> before.add(version)));
        assertEquals(viaLoad.getMessage(), viaIds.getMessage());
        assertEquals(viaLoad.event(), viaIds.event());
        assertEquals(5, viaData.event().orElseThrow().version());
        assertEquals(viaLoad.event(), viaData.event());
        // Pages are decoded before their events are handed over: nothing of the failed page was handed over.
        assertEquals(List.of(), before);
    }

    @Test
    void unknownEventTypeFailsLikeLoad() throws SQLException {
        Databases.Location location = db().newLocation();
        JdbiEventStore store = db().open(location);
        deposit(store, 3, 1);
        update(location, store, "event_type = ?", "test.Gone", 2);
        UnknownEventTypeException viaLoad = assertThrows(UnknownEventTypeException.class, () -> store.load(A, 1));
        UnknownEventTypeException viaData = assertThrows(UnknownEventTypeException.class,
                () -> store.loadData(A, 1, (version, data) -> { }));
        assertEquals(viaLoad.getMessage(), viaData.getMessage());
        assertTrue(viaData.getMessage().contains("Event 2 of stream account/a"), viaData.getMessage());
    }

    @Test
    void aCodecThatReadsTheContextGetsTheSameContextAsLoad() {
        // A transform reads each event's context (id, stream, version, position): the load must read those columns.
        List<EventContext> seen = new ArrayList<>();
        EventDataTransform recording = new EventDataTransform() {
            @Override
            public boolean appliesTo(String eventType) {
                return true;
            }

            @Override
            public void beforeWrite(String eventType, ObjectNode data) {
            }

            @Override
            public void afterRead(String eventType, ObjectNode data) {
                throw new AssertionError("the store must hand over the context");
            }

            @Override
            public void afterRead(String eventType, ObjectNode data, EventContext where) {
                seen.add(where);
            }
        };
        JsonEventCodec codec = ((JsonEventCodec) TestEvents.codec()).withTransform(recording);
        assertTrue(codec.needsContext());
        assertFalse(((JsonEventCodec) TestEvents.codec()).needsContext());
        JdbiEventStore store = db().track(db().newLocation().builder(codec).build());
        deposit(store, 5, 2);
        List<StoredEvent<Object>> loaded = store.load(A, 1);
        List<Object[]> expected = viaLoad(store, 1);
        seen.clear();
        assertSame(expected, viaLoadData(store, 1));
        assertEquals(5, seen.size());
        for (int i = 0; i < 5; i++) {
            StoredEvent<Object> event = loaded.get(i);
            assertEquals(new EventContext(event.id(), A, event.version(), event.position()), seen.get(i));
        }
    }

    @Test
    void readsANonAsciiEventTypeLikeLoad() throws SQLException {
        Databases.Location location = db().newLocation();
        JdbiEventStore store = db().open(location);
        deposit(store, 4, 1);
        // Rows of a known type around one whose name is not ASCII (SQLite reads type names from their bytes).
        update(location, store, "event_type = ?", "test.Überweisung-€", 3);
        UnknownEventTypeException viaLoad = assertThrows(UnknownEventTypeException.class, () -> store.load(A, 1));
        UnknownEventTypeException viaData = assertThrows(UnknownEventTypeException.class,
                () -> store.loadData(A, 1, (version, data) -> { }));
        assertEquals(viaLoad.getMessage(), viaData.getMessage());
        assertTrue(viaData.getMessage().contains("test.Überweisung-€"), viaData.getMessage());
        List<Object[]> seen = new ArrayList<>();
        store.loadData(A, 4, (version, data) -> seen.add(new Object[] {version, data}));
        assertSame(viaLoad(store, 4), seen);
    }

    private static String blobType(JdbiEventStore store) {
        return store.databaseName().equals("SQLite") ? "BLOB" : "BYTEA";
    }

    private static void update(Databases.Location location, JdbiEventStore store, String set, String value,
                               long version) throws SQLException {
        try (Connection raw = location.rawConnection();
             PreparedStatement update = raw.prepareStatement("UPDATE " + store.tableNames().events() + " SET " + set
                     + " WHERE stream_id = ? AND version = ?")) {
            if (set.startsWith("data")) {
                update.setBytes(1, value.getBytes(java.nio.charset.StandardCharsets.UTF_8));
            } else {
                update.setString(1, value);
            }
            update.setString(2, A.id());
            update.setLong(3, version);
            assertEquals(1, update.executeUpdate());
        }
    }
}
