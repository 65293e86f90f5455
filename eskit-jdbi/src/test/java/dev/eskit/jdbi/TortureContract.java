package dev.eskit.jdbi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.eskit.ConcurrencyException;
import dev.eskit.ExpectedVersion;
import dev.eskit.Position;
import dev.eskit.StoredEvent;
import dev.eskit.StreamRef;
import dev.eskit.jdbi.TestEvents.Marked;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;

/**
 * Many writers on their own connections, a reader following the global log from the start: the reader must see every
 * committed event exactly once, each stream in version order, each append's events together, and nothing of the
 * appends that were rolled back on purpose.
 */
abstract class TortureContract {

    static final int WRITERS = 8;
    static final int APPENDS_PER_WRITER = 40;
    static final int HOT_STREAMS = 3;

    abstract Databases db();

    /** Thrown by the append hook to roll an append back on purpose. */
    static final class ForcedRollback extends RuntimeException {
        private static final long serialVersionUID = 1L;

        ForcedRollback() {
            super("rolled back on purpose by the test", null, false, false);
        }
    }

    @Test
    void aReaderFollowingTheLogSeesEveryCommittedEventOnceInOrderAndNothingRolledBack() throws Exception {
        torture(true, true);
    }

    /**
     * Without a test hook, one event per append at a known version: the shape of a command's append, which PostgreSQL
     * writes with its lean statement (see PostgresAppends#writeLean), a new stream's first append included; the same
     * checks.
     */
    @Test
    void singleEventAppendsAtKnownVersionsKeepTheSameGuarantees() throws Exception {
        torture(false, false);
    }

    /** Without a test hook, one to three events per append at a known version (PostgreSQL's lean statement too). */
    @Test
    void severalEventAppendsAtKnownVersionsKeepTheSameGuarantees() throws Exception {
        torture(false, true);
    }

    /** The hook of the first test: a small random delay, and one append in eight rolled back. */
    private static void delayOrRollBack(StreamRef stream) {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        // A small random delay inside the transaction widens the window in which commits overtake each other.
        LockSupport.parkNanos(random.nextLong(0, 3_000_000));
        if (random.nextInt(8) == 0) {
            throw new ForcedRollback();
        }
    }

    private void torture(boolean hooked, boolean several) throws Exception {
        JdbiEventStore store = hooked ? db().open(db().newLocation(), builder -> builder.appendHook(
                TortureContract::delayOrRollBack)) : db().newStore();
        Set<String> committed = ConcurrentHashMap.newKeySet();
        Set<String> neverCommitted = ConcurrentHashMap.newKeySet();
        AtomicInteger rollbacks = new AtomicInteger();
        AtomicInteger conflicts = new AtomicInteger();
        AtomicBoolean writersDone = new AtomicBoolean();
        ExecutorService pool = Executors.newFixedThreadPool(WRITERS + 1);
        try {
            CountDownLatch start = new CountDownLatch(1);
            Future<List<StoredEvent<Object>>> reader = TortureContract.followLog(pool, store, start, writersDone);
            List<Future<?>> writers = new ArrayList<>();
            for (int w = 0; w < WRITERS; w++) {
                String writer = "w" + w;
                writers.add(pool.submit(() -> {
                    start.await();
                    StreamRef own = StreamRef.of("own", writer);
                    long ownVersion = 0;
                    ThreadLocalRandom random = ThreadLocalRandom.current();
                    for (int a = 0; a < APPENDS_PER_WRITER; a++) {
                        boolean hot = random.nextBoolean();
                        StreamRef stream = hot ? StreamRef.of("hot", "h" + random.nextInt(HOT_STREAMS)) : own;
                        while (true) {
                            int size = several ? 1 + random.nextInt(3) : 1;
                            List<Marked> events = new ArrayList<>();
                            for (int i = 0; i < size; i++) {
                                events.add(new Marked(writer, a, i, size, UUID.randomUUID().toString()));
                            }
                            ExpectedVersion expected = !hot ? ExpectedVersion.exactly(ownVersion)
                                    : hooked && random.nextBoolean() ? ExpectedVersion.any()
                                    : ExpectedVersion.exactly(store.streamVersion(stream));
                            try {
                                long version = store.append(stream, expected, events).streamVersion();
                                events.forEach(event -> committed.add(event.nonce()));
                                if (!hot) {
                                    ownVersion = version;
                                }
                                break;
                            } catch (ForcedRollback e) {
                                events.forEach(event -> neverCommitted.add(event.nonce()));
                                rollbacks.incrementAndGet();
                                break;
                            } catch (ConcurrencyException e) {
                                events.forEach(event -> neverCommitted.add(event.nonce()));
                                conflicts.incrementAndGet();
                            }
                        }
                    }
                    return null;
                }));
            }
            start.countDown();
            for (Future<?> writer : writers) {
                writer.get(300, TimeUnit.SECONDS);
            }
            writersDone.set(true);
            List<StoredEvent<Object>> seen = reader.get(300, TimeUnit.SECONDS);

            assertTrue(!hooked || rollbacks.get() > 0, "some appends were rolled back on purpose");
            checkLog(store, seen, committed, neverCommitted, "seen but rolled back or refused: ");
        } finally {
            writersDone.set(true);
            pool.shutdownNow();
        }
    }

    /**
     * Reads the whole log in pages of 50 from when {@code start} opens while writers run, until {@code writersDone} is
     * set and a page comes back empty: what a subscription sees of concurrent appends.
     */
    static Future<List<StoredEvent<Object>>> followLog(ExecutorService pool, JdbiEventStore store,
                                                       CountDownLatch start, AtomicBoolean writersDone) {
        return pool.submit(() -> {
            start.await();
            List<StoredEvent<Object>> seen = new ArrayList<>();
            Position after = Position.START;
            while (true) {
                boolean finished = writersDone.get();
                List<StoredEvent<Object>> page = store.readAll(after, 50);
                if (page.isEmpty()) {
                    if (finished) {
                        return seen;
                    }
                    LockSupport.parkNanos(1_000_000);
                    continue;
                }
                seen.addAll(page);
                after = page.get(page.size() - 1).position();
            }
        });
    }

    /**
     * The log's guarantees over what a {@link #followLog reader} saw of {@link Marked} events: each committed event
     * once and nothing else ({@code neverCommitted} named by {@code neverMessage}), each stream's versions in order
     * without gaps, positions increasing, an append's events together, and each stream's row and load agreeing.
     */
    static void checkLog(JdbiEventStore store, List<StoredEvent<Object>> seen, Set<String> committed,
                         Set<String> neverCommitted, String neverMessage) {
        Set<String> seenNonces = new HashSet<>();
        Map<StreamRef, Long> lastVersion = new HashMap<>();
        for (int i = 0; i < seen.size(); i++) {
            StoredEvent<Object> event = seen.get(i);
            Marked marked = (Marked) event.data();
            assertTrue(seenNonces.add(marked.nonce()), "seen twice: " + event);
            assertFalse(neverCommitted.contains(marked.nonce()), neverMessage + event);
            long expectedVersion = lastVersion.getOrDefault(event.stream(), 0L) + 1;
            assertEquals(expectedVersion, event.version(), "stream " + event.stream() + " out of order at " + i);
            lastVersion.put(event.stream(), event.version());
            if (i > 0) {
                assertTrue(event.position().isAfter(seen.get(i - 1).position()), "positions go backwards at " + i);
            }
            if (marked.index() > 0) {
                Marked previous = (Marked) seen.get(i - 1).data();
                assertEquals(marked.writer() + "/" + marked.batch() + "/" + (marked.index() - 1),
                        previous.writer() + "/" + previous.batch() + "/" + previous.index(),
                        "an append's events are not together in the log at " + i);
            }
        }
        assertEquals(committed, seenNonces, "the reader saw exactly the committed events");
        for (Map.Entry<StreamRef, Long> stream : lastVersion.entrySet()) {
            assertEquals(stream.getValue(), store.streamVersion(stream.getKey()));
            assertEquals(stream.getValue(), (long) store.load(stream.getKey()).size());
        }
    }
}
