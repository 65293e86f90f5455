package dev.eskit.jdbi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.eskit.ConcurrencyException;
import dev.eskit.ExpectedVersion;
import dev.eskit.Position;
import dev.eskit.StoredEvent;
import dev.eskit.StreamArchivedException;
import dev.eskit.StreamRef;
import dev.eskit.StreamTombstonedException;
import dev.eskit.jdbi.TestEvents.Deposited;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * SQLite's lean append ({@link SqliteLeanAppends}): one event at a known version (or any) to a stream that exists is
 * one {@code INSERT … SELECT} that reads the stream's version from its events and its status from its row, and
 * writes only the event row. A refused one writes nothing and takes no sequence number; a row another writer put in
 * counts as the stream's version.
 */
class SqliteLeanAppendTest {

    @RegisterExtension
    static final Databases DB = Databases.sqlite();

    private static final StreamRef A = StreamRef.of("account", "a");

    @Test
    void appendsWriteTheStreamRowOnceAndTheVersionComesFromTheEvents() throws Exception {
        Databases.Location location = DB.newLocation();
        JdbiEventStore store = DB.open(location);
        store.append(A, ExpectedVersion.noStream(), List.of(new Deposited("a", 1)));
        for (int version = 1; version < 20; version++) {
            List<StoredEvent<Object>> written = store.append(A, ExpectedVersion.exactly(version),
                    List.of(new Deposited("a", version + 1))).events();
            assertEquals(version + 1, written.get(0).version());
        }
        store.append(A, ExpectedVersion.any(), List.of(new Deposited("a", 21)));
        assertEquals(21, store.streamVersion(A));
        assertEquals(21, store.load(A, 1).size());
        try (Connection connection = location.rawConnection()) {
            // Written when the stream was created and never again: the appends wrote only their event rows.
            assertEquals(0, single(connection, "SELECT version FROM eskit_streams WHERE stream_id = 'a'"));
            assertEquals(1, single(connection, "SELECT count(*) FROM eskit_streams"));
        }
        assertEquals(21, store.raw().stream(A).orElseThrow().version());
        assertEquals(21, store.raw().streams(null, null, 10).get(0).version());
    }

    @Test
    void refusedAppendsWriteNothingAndTakeNoSequenceNumber() {
        JdbiEventStore store = DB.newStore();
        StreamRef archived = StreamRef.of("account", "archived");
        StreamRef tombstoned = StreamRef.of("account", "tombstoned");
        store.append(A, ExpectedVersion.noStream(), List.of(new Deposited("a", 1)));
        store.append(archived, ExpectedVersion.noStream(), List.of(new Deposited("archived", 1)));
        store.append(tombstoned, ExpectedVersion.noStream(), List.of(new Deposited("tombstoned", 1)));
        store.archive(archived);
        store.tombstone(tombstoned);

        ConcurrencyException conflict = assertThrows(ConcurrencyException.class,
                () -> store.append(A, ExpectedVersion.exactly(2), List.of(new Deposited("a", 2))));
        assertEquals(1, conflict.actualVersion());
        assertThrows(StreamArchivedException.class,
                () -> store.append(archived, ExpectedVersion.exactly(1), List.of(new Deposited("archived", 2))));
        assertThrows(StreamArchivedException.class,
                () -> store.append(archived, ExpectedVersion.any(), List.of(new Deposited("archived", 2))));
        assertThrows(StreamTombstonedException.class,
                () -> store.append(tombstoned, ExpectedVersion.exactly(1), List.of(new Deposited("tombstoned", 2))));
        // Any version to a new stream: the lean statement finds no stream row, the general steps create it.
        store.append(StreamRef.of("account", "new"), ExpectedVersion.any(), List.of(new Deposited("new", 1)));
        store.append(A, ExpectedVersion.exactly(1), List.of(new Deposited("a", 2)));

        List<StoredEvent<Object>> log = store.readAll(Position.START, 100, Set.of());
        assertEquals(5, log.size());
        for (int i = 0; i < log.size(); i++) {
            assertEquals(i + 1, log.get(i).position().sequence(), "positions stay dense");
        }
        assertEquals(1, store.streamVersion(archived));
        assertEquals(1, store.streamVersion(tombstoned));
        assertEquals(2, store.streamVersion(A));
    }

    @Test
    void anEventRowWrittenBehindTheStoresBackIsTheStreamsVersion() throws Exception {
        Databases.Location location = DB.newLocation();
        JdbiEventStore store = DB.open(location);
        store.append(A, ExpectedVersion.noStream(), List.of(new Deposited("a", 1)));
        try (Connection connection = location.rawConnection();
             PreparedStatement insert = connection.prepareStatement("INSERT INTO eskit_events (id, stream_type,"
                     + " stream_id, version, event_type, schema_version, created_at, data) VALUES (randomblob(16),"
                     + " 'account', 'a', 2, 'test.Deposited', 1, 0, CAST('{\"account\":\"a\",\"cents\":2}' AS BLOB))")) {
            insert.executeUpdate();
        }
        ConcurrencyException conflict = assertThrows(ConcurrencyException.class,
                () -> store.append(A, ExpectedVersion.exactly(1), List.of(new Deposited("a", 3))));
        assertEquals(2, conflict.actualVersion());
        assertEquals(3, store.append(A, ExpectedVersion.exactly(2), List.of(new Deposited("a", 3))).events().get(0)
                .version());
    }

    /**
     * A group of lean members (no savepoints around them): each keeps its own outcome, a member the database refuses
     * (a trigger here) fails alone, a later member sees an earlier one's event, and the written ones commit together.
     */
    @Test
    void leanMembersOfAGroupKeepTheirOwnOutcomes() throws Exception {
        Databases.Location location = DB.newLocation();
        JdbiEventStore store = DB.open(location, builder -> builder.groupCommit(true).groupWriters(1));
        for (String id : List.of("x", "y", "z", "w", "bad")) {
            store.append(StreamRef.of("account", id), ExpectedVersion.noStream(), List.of(new Deposited(id, 1)));
        }
        store.archive(StreamRef.of("account", "w"));
        try (Connection connection = location.rawConnection();
             PreparedStatement trigger = connection.prepareStatement("CREATE TRIGGER refuse_bad BEFORE INSERT ON"
                     + " eskit_events WHEN NEW.stream_id = 'bad' BEGIN SELECT RAISE(ABORT, 'bad refused'); END")) {
            trigger.executeUpdate();
        }
        List<Object> results = GroupCommitContract.asOneGroup(store,
                new dev.eskit.AppendRequest(StreamRef.of("account", "blocker"), ExpectedVersion.any(),
                        List.of(new Deposited("blocker", 1)), dev.eskit.Metadata.empty(), null),
                () -> SqliteGroupCommitTest.holdWriteLock(location),
                List.of(request("x", ExpectedVersion.exactly(1)), request("bad", ExpectedVersion.exactly(1)),
                        request("y", ExpectedVersion.exactly(5)), request("w", ExpectedVersion.exactly(1)),
                        request("x", ExpectedVersion.exactly(2)), request("z", ExpectedVersion.any())));
        assertEquals(2, ((dev.eskit.AppendResult) results.get(0)).streamVersion());
        StoreAccessException refused = (StoreAccessException) results.get(1);
        assertTrue(String.valueOf(refused.getCause()).contains("bad refused"), refused::toString);
        assertEquals(1, ((ConcurrencyException) results.get(2)).actualVersion());
        assertTrue(results.get(3) instanceof StreamArchivedException, String.valueOf(results.get(3)));
        assertEquals(3, ((dev.eskit.AppendResult) results.get(4)).streamVersion(), "sees the member before it");
        assertEquals(2, ((dev.eskit.AppendResult) results.get(5)).streamVersion());
        assertEquals(1, store.streamVersion(StreamRef.of("account", "bad")));
        List<StoredEvent<Object>> log = store.readAll(Position.START, 100, Set.of());
        assertEquals(9, log.size(), "5 setup events, the blocker, x twice and z");
        for (int i = 0; i < log.size(); i++) {
            assertEquals(i + 1, log.get(i).position().sequence(), "positions stay dense");
        }
    }

    @Test
    void onlyConstraintFailuresLeaveAGroupsTransactionOpen() throws Exception {
        Databases.Location location = DB.newLocation();
        DB.open(location);
        try (Connection connection = location.rawConnection();
             java.sql.Statement statement = connection.createStatement()) {
            statement.execute("CREATE TABLE t (k INTEGER PRIMARY KEY, v TEXT NOT NULL)");
            statement.execute("INSERT INTO t VALUES (1, 'a')");
            SQLException duplicate = assertThrows(SQLException.class,
                    () -> statement.execute("INSERT INTO t VALUES (1, 'b')"));
            SQLException nullValue = assertThrows(SQLException.class,
                    () -> statement.execute("INSERT INTO t VALUES (2, NULL)"));
            statement.execute("CREATE TRIGGER refuse BEFORE INSERT ON t BEGIN SELECT RAISE(ABORT, 'no'); END");
            SQLException trigger = assertThrows(SQLException.class,
                    () -> statement.execute("INSERT INTO t VALUES (3, 'c')"));
            SQLException missing = assertThrows(SQLException.class,
                    () -> statement.execute("INSERT INTO missing VALUES (1)"));
            assertTrue(SqliteDialect.isConstraintFailure(duplicate), duplicate::toString);
            assertTrue(SqliteDialect.isConstraintFailure(nullValue), nullValue::toString);
            assertTrue(SqliteDialect.isConstraintFailure(trigger), trigger::toString);
            assertTrue(!SqliteDialect.isConstraintFailure(missing), missing::toString);
            assertTrue(!SqliteDialect.isConstraintFailure(new SQLException("disk I/O error")));
        }
    }

    /**
     * Writers appending at "any" version (the lean statement, alone and in groups) while the stream is tombstoned:
     * once {@code tombstone} returns, every append fails with {@link StreamTombstonedException} and the stream keeps
     * exactly the events written before it, versions 1, 2, 3, ... without a gap.
     */
    @Test
    void aTombstoneStopsConcurrentLeanAppendsAtOnce() throws Exception {
        JdbiEventStore store = DB.newStore();
        store.append(A, ExpectedVersion.noStream(), List.of(new Deposited("a", 0)));
        int threads = 4;
        AtomicInteger written = new AtomicInteger(1);
        AtomicInteger afterTombstone = new AtomicInteger();
        java.util.concurrent.atomic.AtomicBoolean tombstoned = new java.util.concurrent.atomic.AtomicBoolean();
        CountDownLatch running = new CountDownLatch(threads);
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                futures.add(pool.submit(() -> {
                    running.countDown();
                    while (true) {
                        boolean after = tombstoned.get();
                        try {
                            store.append(A, ExpectedVersion.any(), List.of(new Deposited("a", 1)));
                            written.incrementAndGet();
                            if (after) {
                                afterTombstone.incrementAndGet();
                            }
                        } catch (StreamTombstonedException closed) {
                            return null;
                        }
                    }
                }));
            }
            assertTrue(running.await(30, TimeUnit.SECONDS));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (written.get() < 200 && System.nanoTime() < deadline) {
                Thread.onSpinWait();
            }
            store.tombstone(A);
            tombstoned.set(true);
            for (Future<?> future : futures) {
                future.get(60, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        assertEquals(0, afterTombstone.get(), "no append started after the tombstone returned got through");
        List<StoredEvent<Object>> events = store.load(A, 1);
        assertEquals(written.get(), events.size());
        for (int i = 0; i < events.size(); i++) {
            assertEquals(i + 1, events.get(i).version());
        }
        assertThrows(StreamTombstonedException.class,
                () -> store.append(A, ExpectedVersion.exactly(events.size()), List.of(new Deposited("a", 2))));
    }

    /** A deleted stream starts again at version 1, through the general steps, and then appends leanly again. */
    @Test
    void aDeletedStreamStartsAgainAtVersionOne() {
        JdbiEventStore store = DB.newStore();
        store.append(A, ExpectedVersion.noStream(), List.of(new Deposited("a", 1)));
        store.append(A, ExpectedVersion.exactly(1), List.of(new Deposited("a", 2)));
        assertEquals(2, store.delete(A));
        assertThrows(ConcurrencyException.class,
                () -> store.append(A, ExpectedVersion.exactly(2), List.of(new Deposited("a", 3))));
        assertEquals(1, store.append(A, ExpectedVersion.any(), List.of(new Deposited("a", 3))).streamVersion());
        assertEquals(2, store.append(A, ExpectedVersion.exactly(1), List.of(new Deposited("a", 4))).streamVersion());
        assertEquals(2, store.streamVersion(A));
        List<StoredEvent<Object>> log = store.readAll(Position.START, 100, Set.of());
        assertEquals(List.of(3L, 4L), log.stream().map(event -> event.position().sequence()).toList(),
                "sequence numbers are never reused");
    }

    private static dev.eskit.AppendRequest request(String id, ExpectedVersion expected) {
        return new dev.eskit.AppendRequest(StreamRef.of("account", id), expected, List.of(new Deposited(id, 2)),
                dev.eskit.Metadata.empty(), null);
    }

    /**
     * Two stores on one file (two writer connections, as two processes would have) and four threads each, appending
     * at the versions they loaded to a few shared streams: every append that returned is stored once, each stream's
     * versions run 1, 2, 3, ... and the positions stay dense.
     */
    @Test
    void writersOfTwoStoresOnOneFileNeitherLoseNorDoubleAppends() throws Exception {
        Databases.Location location = DB.newLocation();
        JdbiEventStore first = DB.open(location);
        JdbiEventStore second = DB.open(location, builder -> builder.groupCommit(false));
        List<StreamRef> streams = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            StreamRef stream = StreamRef.of("account", "s" + i);
            first.append(stream, ExpectedVersion.noStream(), List.of(new Deposited(stream.id(), 0)));
            streams.add(stream);
        }
        int threads = 8;
        int appendsEach = 150;
        AtomicInteger written = new AtomicInteger(streams.size());
        AtomicInteger conflicts = new AtomicInteger();
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                JdbiEventStore store = t % 2 == 0 ? first : second;
                int thread = t;
                futures.add(pool.submit(() -> {
                    start.await();
                    for (int i = 0; i < appendsEach; i++) {
                        StreamRef stream = streams.get((thread + i) % streams.size());
                        long version = store.streamVersion(stream);
                        try {
                            store.append(stream, i % 5 == 0 ? ExpectedVersion.any() : ExpectedVersion.exactly(version),
                                    List.of(new Deposited(stream.id(), version + 1)));
                            written.incrementAndGet();
                        } catch (ConcurrencyException lost) {
                            conflicts.incrementAndGet();
                        }
                    }
                    return null;
                }));
            }
            start.countDown();
            for (Future<?> future : futures) {
                future.get(120, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        assertEquals(threads * appendsEach + streams.size(), written.get() + conflicts.get());
        List<StoredEvent<Object>> log = first.readAll(Position.START, 10_000, Set.of());
        assertEquals(written.get(), log.size(), "every returned append stored once, nothing else");
        for (int i = 0; i < log.size(); i++) {
            assertEquals(i + 1, log.get(i).position().sequence(), "positions stay dense");
        }
        long total = 0;
        for (StreamRef stream : streams) {
            List<StoredEvent<Object>> events = second.load(stream, 1);
            for (int i = 0; i < events.size(); i++) {
                assertEquals(i + 1, events.get(i).version(), stream + " has no gap or repeat");
            }
            assertEquals(events.size(), second.streamVersion(stream));
            total += events.size();
        }
        assertEquals(log.size(), total);
    }

    private static long single(Connection connection, String sql) throws SQLException {
        try (PreparedStatement query = connection.prepareStatement(sql); ResultSet row = query.executeQuery()) {
            assertTrue(row.next(), sql);
            return row.getLong(1);
        }
    }
}
