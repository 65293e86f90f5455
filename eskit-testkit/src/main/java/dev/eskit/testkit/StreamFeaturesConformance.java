package dev.eskit.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.eskit.EventStore;
import dev.eskit.ExpectedVersion;
import dev.eskit.InvalidInputException;
import dev.eskit.InvalidReadLimitException;
import dev.eskit.Position;
import dev.eskit.StoredEvent;
import dev.eskit.StreamAdmin;
import dev.eskit.StreamArchivedException;
import dev.eskit.StreamRef;
import dev.eskit.StreamStatus;
import dev.eskit.StreamTombstonedException;
import dev.eskit.Tombstone;
import dev.eskit.codec.EventTypes;
import dev.eskit.testkit.domain.AccountOpened;
import dev.eskit.testkit.domain.Deposited;
import dev.eskit.testkit.domain.TestEventTypes;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Store behaviour beyond appends and loads: the latest position of the log, reading by stream type, and the stream
 * life cycle of {@link StreamAdmin} stores (archive, restore, tombstone with a reason and time, delete). Extend it and
 * supply a fresh store per test:
 *
 * <pre>{@code
 * class SqliteStreamFeaturesConformanceTest extends StreamFeaturesConformance {
 *     @Override
 *     protected EventStore createStore(EventTypes types) { return JdbiEventStore.sqlite(url, types); }
 * }
 * }</pre>
 *
 * <p>Life-cycle tests are skipped for stores that are not a {@link StreamAdmin}.
 */
public abstract class StreamFeaturesConformance {

    private static final StreamRef A = StreamRef.of("account", "a");
    private static final StreamRef B = StreamRef.of("account", "b");
    private static final StreamRef C = StreamRef.of("customer", "c");

    /** The store of the running test. */
    protected EventStore store;

    /** A fresh, empty store that knows {@code types}. */
    protected abstract EventStore createStore(EventTypes types);

    /** Opens the store. */
    @BeforeEach
    protected final void openFeaturesStore() {
        store = createStore(TestEventTypes.all());
    }

    /** Closes the store. */
    @AfterEach
    protected final void closeFeaturesStore() {
        store.close();
    }

    private StreamAdmin admin() {
        assumeTrue(store instanceof StreamAdmin, "the store has no stream life cycle");
        return (StreamAdmin) store;
    }

    private static List<Object> data(List<StoredEvent<Object>> events) {
        return events.stream().map(StoredEvent::data).toList();
    }

    private void seed() {
        store.append(A, ExpectedVersion.noStream(), List.of(new AccountOpened("a", "ann"), new Deposited("a", 1)));
        store.append(C, ExpectedVersion.noStream(), List.of(new AccountOpened("c", "cid")));
        store.append(B, ExpectedVersion.noStream(), List.of(new AccountOpened("b", "bob")));
        store.append(A, ExpectedVersion.exactly(2), List.of(new Deposited("a", 2)));
        awaitReadable(5);
    }

    /**
     * Waits (bounded) until the global log shows {@code count} events: a PostgreSQL reader sees an append only once no
     * older write transaction on the server can still commit, which other clients' transactions may delay.
     */
    private void awaitReadable(int count) {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (store.readAll(Position.START, 100).size() < count) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("The log did not show " + count + " appended events within 30 s.");
            }
            java.util.concurrent.locks.LockSupport.parkNanos(Duration.ofMillis(20).toNanos());
        }
    }

    @Test
    void latestPositionIsStartForAnEmptyStoreAndThenTheLastEventsPosition() {
        assertEquals(Position.START, store.latestPosition());
        seed();
        List<StoredEvent<Object>> all = store.readAll(Position.START, 100);
        assertEquals(all.get(all.size() - 1).position(), store.latestPosition());
        assertEquals(List.of(), store.readAll(store.latestPosition(), 100), "nothing comes after the latest");
    }

    @Test
    void readStreamTypeReturnsThatTypesEventsInLogOrderFromAPosition() {
        seed();
        List<StoredEvent<Object>> accounts = store.readStreamType("account", Position.START, 100);
        assertEquals(List.of(new AccountOpened("a", "ann"), new Deposited("a", 1), new AccountOpened("b", "bob"),
                new Deposited("a", 2)), data(accounts));
        assertEquals(List.of(new AccountOpened("b", "bob"), new Deposited("a", 2)),
                data(store.readStreamType("account", accounts.get(1).position(), 100)));
        assertEquals(List.of(new AccountOpened("a", "ann"), new Deposited("a", 1)),
                data(store.readStreamType("account", Position.START, 2)), "the limit counts matching events");
        assertEquals(List.of(new AccountOpened("c", "cid")),
                data(store.readStreamType("customer", Position.START, 100)));
        assertEquals(List.of(), store.readStreamType("nothing", Position.START, 100));
        assertThrows(InvalidReadLimitException.class, () -> store.readStreamType("account", Position.START, 0));
    }

    @Test
    void anArchivedStreamIsReadOnlyUntilRestored() {
        StreamAdmin admin = admin();
        seed();
        admin.archive(A);
        admin.archive(A);
        assertEquals(StreamStatus.ARCHIVED, admin.status(A));
        assertThrows(StreamArchivedException.class,
                () -> store.append(A, ExpectedVersion.exactly(3), List.of(new Deposited("a", 3))));
        assertEquals(3, store.load(A).size(), "an archived stream's events stay readable");
        admin.restore(A);
        assertEquals(StreamStatus.ACTIVE, admin.status(A));
        store.append(A, ExpectedVersion.exactly(3), List.of(new Deposited("a", 3)));
        assertEquals(StreamStatus.ACTIVE, admin.status(StreamRef.of("account", "never-written")));
    }

    @Test
    void aTombstoneIsFinalAndKeepsItsReasonAndTime() {
        StreamAdmin admin = admin();
        seed();
        Instant before = Instant.now().minus(Duration.ofMinutes(5));
        assertEquals(Optional.empty(), admin.tombstoneOf(A));
        admin.tombstone(A, "closed by the customer");
        assertEquals(StreamStatus.TOMBSTONED, admin.status(A));
        assertThrows(StreamTombstonedException.class,
                () -> store.append(A, ExpectedVersion.any(), List.of(new Deposited("a", 3))));
        assertThrows(StreamTombstonedException.class, () -> admin.archive(A));
        assertThrows(StreamTombstonedException.class, () -> admin.restore(A));
        assertEquals(3, store.load(A).size(), "a tombstoned stream's events stay readable");
        Tombstone tombstone = admin.tombstoneOf(A).orElseThrow();
        assertEquals(A, tombstone.stream());
        assertEquals("closed by the customer", tombstone.reason());
        assertTrue(tombstone.at().isAfter(before) && !tombstone.at().isAfter(Instant.now().plusSeconds(300)),
                "recorded when it happened: " + tombstone.at());
        admin.tombstone(A, "another reason");
        assertEquals(tombstone, admin.tombstoneOf(A).orElseThrow(), "tombstoning again changes nothing");
        assertThrows(InvalidInputException.class, () -> admin.tombstone(B, " "));
        assertEquals(StreamStatus.ACTIVE, admin.status(B), "a refused tombstone writes nothing");
    }

    @Test
    void aStreamNeverWrittenCanBeTombstonedToReserveItsId() {
        StreamAdmin admin = admin();
        StreamRef reserved = StreamRef.of("account", "reserved");
        admin.tombstone(reserved);
        assertThrows(StreamTombstonedException.class,
                () -> store.append(reserved, ExpectedVersion.noStream(), List.of(new AccountOpened("r", "x"))));
        Tombstone tombstone = admin.tombstoneOf(reserved).orElseThrow();
        assertEquals(null, tombstone.reason(), "tombstoned without a reason");
        assertTrue(tombstone.at() != null, "but with its time");
        admin.archive(B);
        admin.tombstone(B, "archived, then closed");
        assertEquals("archived, then closed", admin.tombstoneOf(B).orElseThrow().reason());
        assertEquals(Optional.empty(), admin.tombstoneOf(StreamRef.of("account", "never")));
    }

    @Test
    void deleteRemovesTheEventsAndTheStreamStartsAgainAtVersionOne() {
        StreamAdmin admin = admin();
        seed();
        Position latest = store.latestPosition();
        assertEquals(3, admin.delete(A));
        assertEquals(List.of(), store.load(A));
        assertEquals(0, store.streamVersion(A));
        assertFalse(data(store.readAll(Position.START, 100)).contains(new Deposited("a", 1)));
        assertEquals(List.of(new AccountOpened("b", "bob")),
                data(store.readStreamType("account", Position.START, 100)));
        assertEquals(0, admin.delete(A));
        store.append(A, ExpectedVersion.noStream(), List.of(new AccountOpened("a", "again")));
        assertTrue(store.load(A).get(0).position().isAfter(latest), "positions of deleted events are not reused");
    }
}
