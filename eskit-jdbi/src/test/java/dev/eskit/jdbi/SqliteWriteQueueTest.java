package dev.eskit.jdbi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.eskit.ExpectedVersion;
import dev.eskit.Position;
import dev.eskit.StreamRef;
import dev.eskit.jdbi.subscription.JdbiRebuildRequests;
import dev.eskit.jdbi.subscription.JdbiTransactor;
import dev.eskit.projection.rebuild.ShadowProgress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * SQLite has one writer, and a writer waiting for it only polls (its busy handler sleeps up to 100 ms between tries).
 * A thread that commits and at once begins its next transaction, as a shadow rebuild or a catching-up projection does,
 * used to keep the database to itself: a rebuild's progress reports and lease renewals, and the live projection,
 * waited until it was done or failed with SQLITE_BUSY after the busy timeout. The write transactions of one process on
 * one database file now queue fairly: here every other writer gets its turn while a hog writes back to back.
 */
class SqliteWriteQueueTest {

    @RegisterExtension
    static final Databases DB = Databases.sqlite();

    static final int WRITES = 10;

    @Test
    void writersInterleaveWithAThreadThatWritesBackToBack() throws Exception {
        Databases.Location location = DB.newLocation();
        JdbiEventStore store = DB.open(location);
        Jdbi jdbi = Jdbi.create(location.dataSource());
        jdbi.useHandle(h -> h.execute("CREATE TABLE hog (n integer)"));
        jdbi.useHandle(h -> h.execute("CREATE TABLE live (n integer)"));
        JdbiTransactor transactor = JdbiTransactor.of(jdbi, store);
        JdbiRebuildRequests requests = JdbiRebuildRequests.create(jdbi, store);
        List<String> projections = List.of("p0", "p1", "p2");
        for (String projection : projections) {
            requests.request(projection);
            assertTrue(requests.tryClaim(projection, "node-1", List.of(projection), Duration.ofMinutes(1))
                    .isPresent());
        }

        // The hog: transactions of about 50 ms of work each, one right after the other (a shadow catching up with a
        // handler of 2.5 ms per event, 20 events a transaction). Between two of them the database is free for well
        // under a millisecond, which a polling writer, sleeping up to 100 ms between tries, seldom hits.
        AtomicBoolean stop = new AtomicBoolean();
        AtomicLong hogCommits = new AtomicLong();
        CountDownLatch hogRunning = new CountDownLatch(3);
        ExecutorService pool = Executors.newFixedThreadPool(1 + projections.size() + 1);
        Future<?> hog = pool.submit(() -> {
            while (!stop.get()) {
                transactor.inTransaction(h -> {
                    h.execute("INSERT INTO hog VALUES (1)");
                    LockSupport.parkNanos(Duration.ofMillis(50).toNanos());
                });
                hogCommits.incrementAndGet();
                hogRunning.countDown();
            }
            return null;
        });
        try {
            assertTrue(hogRunning.await(60, TimeUnit.SECONDS), "the hog writes");
            long hogBefore = hogCommits.get();
            CountDownLatch go = new CountDownLatch(1);
            List<Future<Long>> writers = new ArrayList<>();
            for (String projection : projections) {
                // A node reporting rebuild progress (and renewing its lease) while the shadow writes.
                writers.add(pool.submit(() -> timed(go, () -> assertTrue(requests.progress(projection, "node-1",
                        new ShadowProgress(Position.START, Position.of(100), 50, 10.0, Optional.empty()),
                        Duration.ofMinutes(1)), "still holds " + projection))));
            }
            // The live projection, writing at the same time.
            writers.add(pool.submit(() -> timed(go, () -> transactor.inTransaction(
                    h -> h.execute("INSERT INTO live VALUES (1)")))));
            go.countDown();
            for (Future<Long> writer : writers) {
                long slowestMillis = writer.get(120, TimeUnit.SECONDS);
                // Fair: a writer waits for the transactions queued before it (one of the hog's at most, and the other
                // writers' short ones), not for the hog to end (it never ends) nor the 10 s busy timeout. Generous
                // for a loaded machine.
                assertTrue(slowestMillis < 5_000, "slowest write waited " + slowestMillis + " ms");
            }
            assertTrue(hogCommits.get() > hogBefore, "the hog went on writing meanwhile, its turn among the others");
        } finally {
            stop.set(true);
            hog.get(60, TimeUnit.SECONDS);
            pool.shutdown();
        }
        int rows = jdbi.withHandle(h -> h.createQuery("SELECT count(*) FROM live").mapTo(Integer.class).one());
        assertEquals(WRITES, rows);
        store.close();
    }

    /**
     * The event store's own writer takes its turn on the same queue: a transactional projection (or a shadow rebuild)
     * writing back to back through a {@link JdbiTransactor} does not keep appends out, nor do appends keep the
     * projection out.
     */
    @Test
    void appendsAndTransactorWritesTakeTurnsOnTheSameQueue() throws Exception {
        Databases.Location location = DB.newLocation();
        JdbiEventStore store = DB.open(location);
        Jdbi jdbi = Jdbi.create(location.dataSource());
        jdbi.useHandle(h -> h.execute("CREATE TABLE hog (n integer)"));
        JdbiTransactor transactor = JdbiTransactor.of(jdbi, store);
        StreamRef busy = StreamRef.of("account", "busy");

        // A transactor hog (about 50 ms of work per transaction, back to back) against two appending threads.
        long slowestAppend = whileHogging(() -> transactor.inTransaction(h -> {
            h.execute("INSERT INTO hog VALUES (1)");
            LockSupport.parkNanos(Duration.ofMillis(50).toNanos());
        }), 2, writer -> () -> store.append(StreamRef.of("account", "w" + writer), ExpectedVersion.any(),
                List.of(new TestEvents.Deposited("w" + writer, 1))));
        assertTrue(slowestAppend < 5_000, "slowest append waited " + slowestAppend + " ms behind the transactor");

        // An appending hog (one event after another, no pause) against two transactor writers.
        long slowestTransaction = whileHogging(() -> store.append(busy, ExpectedVersion.any(),
                List.of(new TestEvents.Deposited("busy", 1))), 2, writer -> () -> transactor.inTransaction(
                h -> h.execute("INSERT INTO hog VALUES (2)")));
        assertTrue(slowestTransaction < 5_000, "slowest transactor write waited " + slowestTransaction
                + " ms behind the appends");

        for (int writer = 0; writer < 2; writer++) {
            assertEquals(WRITES, store.load(StreamRef.of("account", "w" + writer)).size());
        }
        int rows = jdbi.withHandle(h -> h.createQuery("SELECT count(*) FROM hog WHERE n = 2").mapTo(Integer.class)
                .one());
        assertEquals(2 * WRITES, rows);
        store.close();
    }

    /**
     * An append that cannot get its turn within the busy timeout, because a write transaction of this process holds
     * the file, fails with SQLite's busy code and a message saying what to change; nothing of it is written.
     */
    @Test
    void anAppendWaitingLongerThanTheBusyTimeoutFailsWithAClearMessage() throws Exception {
        Databases.Location location = DB.newLocation();
        JdbiEventStore store = DB.open(location, builder -> builder.busyTimeout(Duration.ofMillis(300)));
        Jdbi jdbi = Jdbi.create(location.dataSource());
        JdbiTransactor transactor = JdbiTransactor.of(jdbi, store);
        jdbi.useHandle(h -> h.execute("CREATE TABLE held (n integer)"));
        CountDownLatch inside = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        ExecutorService pool = Executors.newSingleThreadExecutor();
        Future<?> holder = pool.submit(() -> {
            transactor.inTransaction(h -> {
                h.execute("INSERT INTO held VALUES (1)");
                inside.countDown();
                assertTrue(release.await(60, TimeUnit.SECONDS));
            });
            return null;
        });
        StreamRef stream = StreamRef.of("account", "late");
        try {
            assertTrue(inside.await(60, TimeUnit.SECONDS), "the transaction holds the file");
            StoreAccessException failure = org.junit.jupiter.api.Assertions.assertThrows(StoreAccessException.class,
                    () -> store.append(stream, ExpectedVersion.noStream(), List.of(new TestEvents.Deposited("late",
                            1))));
            String message = String.valueOf(failure.getMessage()) + " / " + failure.getCause();
            assertTrue(message.contains("SQLITE_BUSY") && message.contains("Keep write transactions short"),
                    message);
        } finally {
            release.countDown();
            holder.get(60, TimeUnit.SECONDS);
            pool.shutdown();
        }
        assertEquals(0, store.load(stream).size());
        store.close();
    }

    /**
     * Runs {@code hog} back to back on one thread while {@code writers} threads each run their write {@link #WRITES}
     * times; returns the slowest of those writes in milliseconds, after checking that the hog went on meanwhile.
     */
    private static long whileHogging(Write hog, int writers, java.util.function.IntFunction<Write> write)
            throws Exception {
        AtomicBoolean stop = new AtomicBoolean();
        AtomicLong hogWrites = new AtomicLong();
        CountDownLatch hogRunning = new CountDownLatch(3);
        ExecutorService pool = Executors.newFixedThreadPool(1 + writers);
        Future<?> hogging = pool.submit(() -> {
            while (!stop.get()) {
                hog.run();
                hogWrites.incrementAndGet();
                hogRunning.countDown();
            }
            return null;
        });
        try {
            assertTrue(hogRunning.await(60, TimeUnit.SECONDS), "the hog writes");
            long before = hogWrites.get();
            CountDownLatch go = new CountDownLatch(1);
            List<Future<Long>> results = new ArrayList<>();
            for (int i = 0; i < writers; i++) {
                Write one = write.apply(i);
                results.add(pool.submit(() -> timed(go, one)));
            }
            go.countDown();
            long slowest = 0;
            for (Future<Long> result : results) {
                slowest = Math.max(slowest, result.get(120, TimeUnit.SECONDS));
            }
            assertTrue(hogWrites.get() > before, "the hog went on writing meanwhile, its turn among the others");
            return slowest;
        } finally {
            stop.set(true);
            hogging.get(60, TimeUnit.SECONDS);
            pool.shutdown();
        }
    }

    /** Runs {@code write} {@link #WRITES} times after {@code go}; returns the slowest one's milliseconds. */
    private static long timed(CountDownLatch go, Write write) throws Exception {
        go.await();
        long slowest = 0;
        for (int i = 0; i < WRITES; i++) {
            long started = System.nanoTime();
            write.run();
            slowest = Math.max(slowest, (System.nanoTime() - started) / 1_000_000);
        }
        return slowest;
    }

    @FunctionalInterface
    private interface Write {
        void run() throws Exception;
    }
}
