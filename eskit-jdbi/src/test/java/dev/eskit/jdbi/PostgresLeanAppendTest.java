package dev.eskit.jdbi;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import dev.eskit.AppendRequest;
import dev.eskit.ConcurrencyException;
import dev.eskit.ExpectedVersion;
import dev.eskit.Metadata;
import dev.eskit.StoredEvent;
import dev.eskit.StreamArchivedException;
import dev.eskit.StreamRef;
import dev.eskit.codec.EncodedEvent;
import dev.eskit.codec.EventContext;
import dev.eskit.jdbi.TestEvents.Marked;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The lean PostgreSQL statement of a command-shaped append (one untagged event, no key, a known version >= 1): it is
 * the one such appends take, it writes exactly what the general statement writes, and when its checks fail it writes
 * nothing (the store then reports why through the general statement).
 */
class PostgresLeanAppendTest {

    @RegisterExtension
    static final Databases DB = Databases.postgres();

    private static PendingAppend pending(JdbiEventStore store, StreamRef stream, ExpectedVersion expected, String key) {
        return pending(store, stream, expected, key, 1);
    }

    private static PendingAppend pending(JdbiEventStore store, StreamRef stream, ExpectedVersion expected, String key,
                                         int count) {
        List<Marked> events = new java.util.ArrayList<>();
        UUID[] ids = new UUID[count];
        EncodedEvent[] encoded = new EncodedEvent[count];
        BoundaryLocks locks = new BoundaryLocks(store.tableNames().events());
        for (int i = 0; i < count; i++) {
            events.add(new Marked("lean", 0, i, 1, UUID.randomUUID().toString()));
            ids[i] = UUID.randomUUID();
            encoded[i] = TestEvents.codec().encode(events.get(i), EventContext.writing(ids[i], stream));
            locks.event(encoded[i].type(), List.of());
        }
        EncodedAppend append = new EncodedAppend(stream, ids, encoded, null,
                Instant.now().truncatedTo(ChronoUnit.MICROS));
        return new PendingAppend(new AppendRequest(stream, expected, List.copyOf(events), Metadata.empty(), key),
                append, locks.keys().keys());
    }

    /**
     * A new stream's first append and several events at a known version take lean statements too: they write what
     * the general statement writes (versions, positions in version order within the transaction), or nothing.
     */
    @ParameterizedTest(name = "one auto-commit statement: {0}")
    @ValueSource(booleans = {true, false})
    void newStreamsAndSeveralEventsTakeLeanStatementsThatWriteAllOrNothing(boolean single) throws Exception {
        Databases.Location location = DB.newLocation();
        JdbiEventStore store = DB.open(location);
        StreamRef stream = StreamRef.of("lean", "fresh");
        PostgresAppends appends = new PostgresAppends(new PostgresDialect(store.tableNames()));
        PendingAppend first = pending(store, stream, ExpectedVersion.noStream(), null, 3);
        PendingAppend again = pending(store, stream, ExpectedVersion.noStream(), null);
        PendingAppend more = pending(store, stream, ExpectedVersion.exactly(3), null, 4);
        PendingAppend stale = pending(store, stream, ExpectedVersion.exactly(3), null, 2);
        PendingAppend one = pending(store, StreamRef.of("lean", "fresh1"), ExpectedVersion.noStream(), null);
        try (Connection connection = location.rawConnection()) {
            assertTrue(appends.writeLean(connection, first, single));
            assertFalse(appends.writeLean(connection, again, single), "an existing stream is not new");
            assertTrue(appends.writeLean(connection, more, single));
            assertFalse(appends.writeLean(connection, stale, single), "a stale version writes nothing");
            assertTrue(appends.writeLean(connection, one, single));
        }
        List<StoredEvent<Object>> events = store.load(stream);
        assertEquals(7, events.size());
        assertEquals(7, store.streamVersion(stream));
        assertEquals(0, first.written.baseVersion());
        assertEquals(3, more.written.baseVersion());
        for (int i = 0; i < 7; i++) {
            PendingAppend append = i < 3 ? first : more;
            int at = i < 3 ? i : i - 3;
            assertEquals(i + 1, events.get(i).version());
            assertEquals(append.encoded.id(at), events.get(i).id());
            assertEquals(append.request.events().get(at), events.get(i).data());
            assertEquals(append.written.positions()[at], events.get(i).position());
            if (i > 0) {
                assertTrue(events.get(i).position().isAfter(events.get(i - 1).position()),
                        "a later version has a later position");
            }
        }
        assertEquals(1, store.load(StreamRef.of("lean", "fresh1")).size());
        assertEquals(one.written.positions()[0], store.load(StreamRef.of("lean", "fresh1")).get(0).position());

        // Through the store: the refusals are reported as the general statement reports them.
        assertThrows(ConcurrencyException.class, () -> store.append(stream, ExpectedVersion.noStream(),
                List.of(new Marked("lean", 0, 0, 1, "exists"))));
        assertThrows(ConcurrencyException.class, () -> store.append(stream, ExpectedVersion.exactly(3),
                List.of(new Marked("lean", 0, 0, 1, "a"), new Marked("lean", 0, 1, 1, "b"))));
        assertEquals(7, store.load(stream).size());
    }

    @Test
    void onlyCommandShapedAppendsTakeTheLeanStatement() {
        JdbiEventStore store = DB.newStore();
        StreamRef stream = StreamRef.of("lean", "shape");
        assertTrue(PostgresAppends.lean(List.of(pending(store, stream, ExpectedVersion.exactly(3), null)), null));
        assertFalse(PostgresAppends.lean(List.of(pending(store, stream, ExpectedVersion.exactly(3), "k")), null),
                "an idempotency key needs the general statement");
        assertTrue(PostgresAppends.lean(List.of(pending(store, stream, ExpectedVersion.noStream(), null)), null),
                "a new stream's first append");
        assertTrue(PostgresAppends.lean(List.of(pending(store, stream, ExpectedVersion.exactly(3), null, 5)), null),
                "several events");
        assertFalse(PostgresAppends.lean(List.of(pending(store, stream, ExpectedVersion.any(), null)), null));
        assertFalse(PostgresAppends.lean(List.of(pending(store, stream, ExpectedVersion.exactly(3), null),
                pending(store, stream, ExpectedVersion.exactly(4), null)), null), "a group");
        assertFalse(PostgresAppends.lean(List.of(pending(store, stream, ExpectedVersion.exactly(3), null)),
                s -> { }), "a test hook");
    }

    @ParameterizedTest(name = "one auto-commit statement: {0}")
    @ValueSource(booleans = {true, false})
    void theLeanStatementWritesTheEventOrNothing(boolean single) throws Exception {
        Databases.Location location = DB.newLocation();
        JdbiEventStore store = DB.open(location);
        StreamRef stream = StreamRef.of("lean", "s1");
        store.append(stream, ExpectedVersion.noStream(), List.of(new Marked("lean", 0, 0, 1, "first")));
        PostgresAppends appends = new PostgresAppends(new PostgresDialect(store.tableNames()));
        PendingAppend right = pending(store, stream, ExpectedVersion.exactly(1), null);
        PendingAppend stale = pending(store, stream, ExpectedVersion.exactly(1), null);
        try (Connection connection = location.rawConnection()) {
            assertTrue(appends.writeLean(connection, right, single));
            assertFalse(appends.writeLean(connection, stale, single), "a stale version writes nothing");
            assertNull(stale.written);
        }
        List<StoredEvent<Object>> events = store.load(stream);
        assertEquals(2, events.size());
        assertEquals(2, store.streamVersion(stream));
        assertEquals(1, right.written.baseVersion());
        assertArrayEquals(right.written.positions(), new Object[] {events.get(1).position()});
        assertEquals(right.encoded.id(0), events.get(1).id());
        assertEquals(right.request.events().get(0), events.get(1).data());
        assertTrue(events.get(1).position().isAfter(events.get(0).position()));

        // Through the store: a stale version and an archived stream are reported as such, nothing written.
        assertThrows(ConcurrencyException.class, () -> store.append(stream, ExpectedVersion.exactly(1),
                List.of(new Marked("lean", 0, 0, 1, "stale"))));
        store.archive(stream);
        try (Connection connection = location.rawConnection()) {
            assertFalse(appends.writeLean(connection, pending(store, stream, ExpectedVersion.exactly(2), null),
                    single), "an archived stream takes no event");
        }
        assertThrows(StreamArchivedException.class, () -> store.append(stream, ExpectedVersion.exactly(2),
                List.of(new Marked("lean", 0, 0, 1, "archived"))));
        assertEquals(2, store.load(stream).size());
    }

    /**
     * The append's one lock statement takes the stream lock first: while it waits for it, it holds neither boundary
     * keys nor the store's horizon lock (so readers do not wait for an append that is itself waiting).
     */
    @Test
    void whileWaitingForItsStreamLockAnAppendHoldsNoOtherLock() throws Exception {
        Databases.Location location = DB.newLocation();
        JdbiEventStore store = DB.open(location);
        StreamRef stream = StreamRef.of("lean", "order");
        store.append(stream, ExpectedVersion.noStream(), List.of(new Marked("lean", 0, 0, 1, "first")));
        int[] key = new PostgresDialect(store.tableNames()).streamLockKey(stream);
        CompletableFuture<Long> append;
        try (Connection holder = location.rawConnection()) {
            AdvisoryLocks.lock(holder, key[0], key[1]);
            append = CompletableFuture.supplyAsync(() -> store.append(stream, ExpectedVersion.exactly(1),
                    List.of(new Marked("lean", 0, 0, 1, "second"))).streamVersion());
            int pid = AdvisoryLocks.awaitWaiter(holder, key[0] & 0xffffffffL, key[1] & 0xffffffffL, 2);
            assertEquals(List.of(), AdvisoryLocks.held(holder, pid), "no lock before the stream lock");
        }
        assertEquals(2L, append.get(30, TimeUnit.SECONDS));
    }

    /**
     * The horizon lock comes last: an append waiting for a boundary key holds its stream lock but not yet the
     * horizon lock.
     */
    @Test
    void whileWaitingForABoundaryKeyAnAppendHoldsItsStreamLockButNotTheHorizonLock() throws Exception {
        Databases.Location location = DB.newLocation();
        JdbiEventStore store = DB.open(location);
        StreamRef stream = StreamRef.of("lean", "order2");
        store.append(stream, ExpectedVersion.noStream(), List.of(new Marked("lean", 0, 0, 1, "first")));
        int[] streamKey = new PostgresDialect(store.tableNames()).streamLockKey(stream);
        String type = TestEvents.codec().encode(new Marked("lean", 0, 0, 1, "x")).type();
        long key = new BoundaryLocks(store.tableNames().events()).hash(type, "*");
        long horizon = PostgresHorizon.lockKey(store.tableNames());
        CompletableFuture<Long> append;
        try (Connection condition = location.rawConnection()) {
            AdvisoryLocks.lock(condition, key);
            append = CompletableFuture.supplyAsync(() -> store.append(stream, ExpectedVersion.exactly(1),
                    List.of(new Marked("lean", 0, 0, 1, "second"))).streamVersion());
            int pid = AdvisoryLocks.awaitWaiter(condition, key >>> 32, key & 0xffffffffL, 1);
            List<List<Long>> held = AdvisoryLocks.held(condition, pid);
            assertTrue(held.contains(List.of(streamKey[0] & 0xffffffffL, streamKey[1] & 0xffffffffL, 2L)),
                    "the stream lock is taken first: " + held);
            assertFalse(held.contains(List.of(horizon >>> 32, horizon & 0xffffffffL, 1L)),
                    "the horizon lock comes last: " + held);
        }
        assertEquals(2L, append.get(30, TimeUnit.SECONDS));
    }

    /**
     * The one-statement lean append takes the store's horizon lock before anything gives its transaction an id
     * (readers compute the horizon from the lock's holders, so an appender must hold it before it has an id): while
     * it waits for that lock, its backend has no transaction id, for a new stream's append and for a known version.
     */
    @Test
    void whileWaitingForTheHorizonLockAnAppendHasNoTransactionId() throws Exception {
        Databases.Location location = DB.newLocation();
        JdbiEventStore store = DB.open(location);
        StreamRef known = StreamRef.of("lean", "xid");
        store.append(known, ExpectedVersion.noStream(), List.of(new Marked("lean", 0, 0, 1, "first")));
        long horizon = PostgresHorizon.lockKey(store.tableNames());
        for (ExpectedVersion expected : List.of(ExpectedVersion.exactly(1), ExpectedVersion.noStream())) {
            StreamRef stream = expected == ExpectedVersion.noStream() ? StreamRef.of("lean", "xid-new") : known;
            CompletableFuture<Long> append;
            try (Connection reader = location.rawConnection()) {
                AdvisoryLocks.lock(reader, horizon);
                append = CompletableFuture.supplyAsync(() -> store.append(stream, expected,
                        List.of(new Marked("lean", 0, 0, 1, "waits"))).streamVersion());
                int pid = AdvisoryLocks.awaitWaiter(reader, horizon >>> 32, horizon & 0xffffffffL, 1);
                try (PreparedStatement xid = reader.prepareStatement(
                        "SELECT backend_xid IS NULL FROM pg_stat_activity WHERE pid = ?")) {
                    xid.setInt(1, pid);
                    try (java.sql.ResultSet row = xid.executeQuery()) {
                        assertTrue(row.next());
                        assertTrue(row.getBoolean(1), "no transaction id before the horizon lock (" + expected + ")");
                    }
                }
            }
            assertEquals(expected == ExpectedVersion.noStream() ? 1L : 2L, append.get(30, TimeUnit.SECONDS));
        }
    }

    /**
     * A DCB append whose condition covers an event type holds that type's boundary key exclusively while it checks;
     * a command-shaped append of that type must wait for it (else it could slip in between check and append).
     */
    @Test
    void theLeanStatementWaitsForAConditionHoldingItsEventTypesKey() throws Exception {
        Databases.Location location = DB.newLocation();
        JdbiEventStore store = DB.open(location);
        StreamRef stream = StreamRef.of("lean", "dcb");
        store.append(stream, ExpectedVersion.noStream(), List.of(new Marked("lean", 0, 0, 1, "first")));
        String type = TestEvents.codec().encode(new Marked("lean", 0, 0, 1, "x")).type();
        long key = new BoundaryLocks(store.tableNames().events()).hash(type, "*");
        CompletableFuture<Long> append;
        try (Connection condition = location.rawConnection()) {
            AdvisoryLocks.lock(condition, key);
            append = CompletableFuture.supplyAsync(() -> store.append(stream, ExpectedVersion.exactly(1),
                    List.of(new Marked("lean", 0, 0, 1, "second"))).streamVersion());
            assertThrows(TimeoutException.class, () -> append.get(500, TimeUnit.MILLISECONDS),
                    "the append waits while the condition holds the key");
        }
        assertEquals(2L, append.get(30, TimeUnit.SECONDS));
        // Several events of the type (their keys kept per type), on the lean statement too.
        CompletableFuture<Long> batch;
        try (Connection condition = location.rawConnection()) {
            AdvisoryLocks.lock(condition, key);
            batch = CompletableFuture.supplyAsync(() -> store.append(stream, ExpectedVersion.exactly(2),
                    List.of(new Marked("lean", 1, 0, 2, "third"), new Marked("lean", 1, 1, 2, "fourth")))
                    .streamVersion());
            assertThrows(TimeoutException.class, () -> batch.get(500, TimeUnit.MILLISECONDS),
                    "a batch of the type waits while the condition holds the key");
        }
        assertEquals(4L, batch.get(30, TimeUnit.SECONDS));
    }

    /**
     * An append of events of one to four types has two to five shared boundary keys: up to four go as parameters of
     * their own, five as one array. In every form, on every path that locks one stream (the lean statement, the
     * general statement of an append with an idempotency key, an application transaction's append before and after
     * the transaction has an id), the append takes each key (it waits while a condition holds any one of them
     * exclusively) and then writes the events.
     */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"lean", "keyed", "transaction", "late transaction"})
    void everyFormOfTheSharedKeysTakesEachKeyThenWrites(String path) throws Exception {
        Databases.Location location = DB.newLocation();
        JdbiEventStore store = DB.open(location);
        StreamRef stream = StreamRef.of("lean", "forms");
        store.append(stream, ExpectedVersion.noStream(), List.of(new Marked("lean", 0, 0, 1, "first")));
        List<Object> kinds = List.of(new TestEvents.Deposited("a", 1), new TestEvents.Withdrawn("a", 1),
                new Marked("lean", 0, 0, 1, "m"), new TestEvents.Named("n", List.of()));
        long version = 1;
        for (int types = 1; types <= kinds.size(); types++) {
            List<Object> events = kinds.subList(0, types);
            BoundaryLocks locks = new BoundaryLocks(store.tableNames().events());
            for (Object event : events) {
                locks.event(TestEvents.codec().encode(event).type(), List.of());
            }
            long[] keys = locks.keys().keys();
            assertEquals(types + 1, keys.length);
            for (long key : keys) {
                long expected = version;
                AppendRequest request = AppendRequest.of(stream, ExpectedVersion.exactly(expected), events);
                CompletableFuture<Long> append;
                try (Connection condition = location.rawConnection()) {
                    AdvisoryLocks.lock(condition, key);
                    append = CompletableFuture.supplyAsync(() -> appendOn(path, location, store,
                            path.equals("keyed") ? request.withIdempotencyKey("forms-" + expected) : request));
                    assertThrows(TimeoutException.class, () -> append.get(300, TimeUnit.MILLISECONDS),
                            types + " types: the append waits while a condition holds key " + key);
                }
                version = append.get(30, TimeUnit.SECONDS);
                assertEquals(expected + types, version);
            }
        }
        List<StoredEvent<Object>> stored = store.load(stream);
        assertEquals(version, stored.size());
        assertEquals(kinds.get(3), stored.get(stored.size() - 1).data());
        assertEquals(kinds.get(0), stored.get(stored.size() - 4).data());
    }

    /** Appends {@code request} on {@code path}: the store's own pool, or an application transaction it commits. */
    private static long appendOn(String path, Databases.Location location, JdbiEventStore store,
                                 AppendRequest request) {
        if (!path.contains("transaction")) {
            return store.append(request).streamVersion();
        }
        try (Connection connection = location.rawConnection()) {
            connection.setAutoCommit(false);
            if (path.startsWith("late")) {
                try (var statement = connection.createStatement()) {
                    statement.execute("SELECT pg_current_xact_id()");
                }
            }
            long version = store.append(connection, request).streamVersion();
            connection.commit();
            return version;
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * The store's own pool makes its sessions READ COMMITTED, so its one-statement lean appends stay correct on a
     * server whose default is SERIALIZABLE: writers racing for the same streams get version conflicts (and retry),
     * never serialization failures, and every stream ends with gap-free versions. An application's data source keeps
     * the server's default, and its appends begin their transaction at READ COMMITTED themselves.
     */
    @ParameterizedTest(name = "on the application's data source: {0}")
    @ValueSource(booleans = {false, true})
    void racingAppendsStayCorrectWhenTheServersDefaultIsSerializable(boolean dataSource) throws Exception {
        String url = Databases.postgresUrl();
        String serializable = url + (url.contains("?") ? "&" : "?")
                + "options=-c%20default_transaction_isolation%3Dserializable";
        Databases.Location location = DB.newLocation();
        JdbiEventStore.Builder builder;
        if (dataSource) {
            org.postgresql.ds.PGSimpleDataSource source = new org.postgresql.ds.PGSimpleDataSource();
            source.setURL(serializable);
            builder = location.onDataSource(TestEvents.codec()).dataSource(source);
        } else {
            builder = location.builder(TestEvents.codec()).url(serializable);
        }
        JdbiEventStore store = DB.track(builder.build());
        try (Connection connection = java.sql.DriverManager.getConnection(serializable);
             java.sql.Statement statement = connection.createStatement();
             java.sql.ResultSet row = statement.executeQuery("SHOW default_transaction_isolation")) {
            row.next();
            assertEquals("serializable", row.getString(1), "the server's default for these sessions");
        }
        List<StreamRef> streams = List.of(StreamRef.of("lean", "race-a"), StreamRef.of("lean", "race-b"));
        int writers = 6;
        int appendsEach = 40;
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(writers);
        java.util.concurrent.CountDownLatch start = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.atomic.AtomicInteger conflicts = new java.util.concurrent.atomic.AtomicInteger();
        List<java.util.concurrent.Future<?>> done = new java.util.ArrayList<>();
        for (int w = 0; w < writers; w++) {
            int writer = w;
            done.add(pool.submit(() -> {
                start.await();
                for (int i = 0; i < appendsEach; i++) {
                    StreamRef stream = streams.get((writer + i) % streams.size());
                    while (true) {
                        long version = store.streamVersion(stream);
                        ExpectedVersion expected = version == 0 ? ExpectedVersion.noStream()
                                : ExpectedVersion.exactly(version);
                        try {
                            store.append(stream, expected, List.of(new Marked("race", writer, i, 1, "x")));
                            break;
                        } catch (ConcurrencyException lost) {
                            conflicts.incrementAndGet();
                        }
                    }
                }
                return null;
            }));
        }
        start.countDown();
        try {
            for (java.util.concurrent.Future<?> writer : done) {
                writer.get(120, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        long total = 0;
        for (StreamRef stream : streams) {
            List<StoredEvent<Object>> events = store.load(stream);
            for (int v = 0; v < events.size(); v++) {
                assertEquals(v + 1, events.get(v).version(), "gap-free versions in " + stream);
                if (v > 0) {
                    assertTrue(events.get(v).position().isAfter(events.get(v - 1).position()));
                }
            }
            assertEquals(events.size(), store.streamVersion(stream));
            total += events.size();
        }
        assertEquals(writers * appendsEach, total, "every append landed exactly once");
        assertTrue(conflicts.get() > 0, "the writers did race for the streams");
    }
}
