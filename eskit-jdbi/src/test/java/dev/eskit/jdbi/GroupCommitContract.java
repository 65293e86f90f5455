package dev.eskit.jdbi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.eskit.AppendRequest;
import dev.eskit.AppendResult;
import dev.eskit.ConcurrencyException;
import dev.eskit.ExpectedVersion;
import dev.eskit.IdempotencyKeyReusedException;
import dev.eskit.Metadata;
import dev.eskit.Position;
import dev.eskit.StoredEvent;
import dev.eskit.StreamRef;
import dev.eskit.StreamTombstonedException;
import dev.eskit.jdbi.TestEvents.Marked;
import java.sql.Connection;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Group commit: appends queued while a group is being written go into one transaction together, and each keeps its
 * own outcome. Groups are made deterministic by holding the database's write path from outside (a stream lock on
 * PostgreSQL, the write lock on SQLite) while the appends queue up behind a first, blocked one.
 */
abstract class GroupCommitContract {

    abstract Databases db();

    /** Holds the store's write path from outside until the returned handle is closed. */
    abstract AutoCloseable blockWrites(Databases.Location location, JdbiEventStore store, StreamRef stream)
            throws Exception;

    /** Writes an event row at {@code version} of {@code stream} behind the store's back (no streams row update). */
    abstract void insertBehindTheStoresBack(Connection connection, JdbiEventStore store, StreamRef stream,
                                            long version) throws Exception;

    private static AppendRequest request(StreamRef stream, ExpectedVersion expected, String key, String nonce) {
        return new AppendRequest(stream, expected, List.of(new Marked("group", 0, 0, 1, nonce)), Metadata.empty(), key);
    }

    private static StreamRef stream(String id) {
        return StreamRef.of("group", id);
    }

    /**
     * Runs {@code requests} so that they are written as one group: a first append to a blocked stream holds the only
     * writer's place, the requests queue behind it in order, then the block is released. Returns each request's
     * result or exception.
     */
    private List<Object> asOneGroup(Databases.Location location, JdbiEventStore store, List<AppendRequest> requests)
            throws Exception {
        StreamRef blocker = stream("blocker-" + ThreadLocalRandom.current().nextInt(1_000_000));
        return asOneGroup(store, request(blocker, ExpectedVersion.any(), null, "b"),
                () -> blockWrites(location, store, blocker), requests);
    }

    /**
     * Runs {@code requests} as one group of {@code store} (whose group commit has one writer's place): {@code blocked},
     * an append whose writing {@code block} holds up until it is closed, takes the place; the requests queue behind it
     * in order; then the block is released. Returns each request's result or exception.
     */
    static List<Object> asOneGroup(JdbiEventStore store, AppendRequest blocked, Callable<AutoCloseable> block,
                                   List<AppendRequest> requests) throws Exception {
        List<Callable<Object>> appends = new ArrayList<>();
        for (AppendRequest request : requests) {
            appends.add(() -> store.append(request));
        }
        return asOneGroupOf(store, blocked, block, appends);
    }

    /**
     * As {@link #asOneGroup}, for appends of any kind ({@code appendAtHead} too): each returns its result, or the
     * exception it throws.
     */
    static List<Object> asOneGroupOf(JdbiEventStore store, AppendRequest blocked, Callable<AutoCloseable> block,
                                     List<Callable<Object>> requests) throws Exception {
        GroupCommit groups = store.groupCommit();
        ExecutorService threads = Executors.newFixedThreadPool(requests.size() + 1);
        try {
            Future<Object> first;
            List<Future<Object>> outcomes = new ArrayList<>();
            try (AutoCloseable held = block.call()) {
                first = threads.submit(() -> outcome(() -> store.append(blocked)));
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
                while (!groups.writing() || groups.queued() > 0) {
                    if (System.nanoTime() > deadline) {
                        fail("the first append was not taken into a group");
                    }
                    Thread.onSpinWait();
                }
                // Behind the blocked first group, each append stays queued, in order.
                for (Callable<Object> request : requests) {
                    int before = groups.queued();
                    outcomes.add(threads.submit(() -> outcome(request)));
                    while (groups.queued() == before) {
                        if (System.nanoTime() > deadline) {
                            fail("the appends did not queue behind the blocked one");
                        }
                        Thread.onSpinWait();
                    }
                }
            }
            assertInstanceOf(AppendResult.class, first.get(60, TimeUnit.SECONDS));
            List<Object> results = new ArrayList<>();
            for (Future<Object> outcome : outcomes) {
                results.add(outcome.get(60, TimeUnit.SECONDS));
            }
            assertTrue(groups.largestGroup() >= requests.size(), "one group of " + requests.size() + ", largest "
                    + groups.largestGroup());
            return results;
        } finally {
            threads.shutdownNow();
        }
    }

    private static Object outcome(Callable<Object> append) throws Exception {
        try {
            return append.call();
        } catch (RuntimeException e) {
            return e;
        }
    }

    @Test
    void eachMemberOfAGroupKeepsItsOwnOutcomeAndTheWrittenOnesCommitTogether() throws Exception {
        Databases.Location location = db().newLocation();
        JdbiEventStore store = db().open(location, builder -> builder.groupCommit(true).groupWriters(1));
        store.append(request(stream("conflict"), ExpectedVersion.noStream(), null, "setup-1"));
        store.append(request(stream("tomb"), ExpectedVersion.noStream(), null, "setup-2"));
        store.tombstone(stream("tomb"));
        AppendResult original = store.append(request(stream("dup"), ExpectedVersion.noStream(), "k-dup", "setup-3"));

        List<Object> results = asOneGroup(location, store, List.of(
                request(stream("ok"), ExpectedVersion.noStream(), "k-ok", "ok"),
                request(stream("conflict"), ExpectedVersion.exactly(5), null, "conflict"),
                request(stream("tomb"), ExpectedVersion.any(), null, "tomb"),
                request(stream("dup"), ExpectedVersion.any(), "k-dup", "dup"),
                request(stream("reuse"), ExpectedVersion.any(), "k-dup", "reuse"),
                request(stream("same"), ExpectedVersion.noStream(), null, "same-1"),
                request(stream("same"), ExpectedVersion.exactly(1), null, "same-2"),
                request(stream("same"), ExpectedVersion.exactly(1), null, "same-3")));

        AppendResult ok = assertInstanceOf(AppendResult.class, results.get(0));
        assertEquals(1, ok.streamVersion());
        ConcurrencyException conflict = assertInstanceOf(ConcurrencyException.class, results.get(1));
        assertTrue(conflict.getMessage().contains("1"), conflict.getMessage());
        assertInstanceOf(StreamTombstonedException.class, results.get(2));
        AppendResult duplicate = assertInstanceOf(AppendResult.class, results.get(3));
        assertTrue(duplicate.duplicate());
        assertEquals(original.events().get(0).id(), duplicate.events().get(0).id());
        assertInstanceOf(IdempotencyKeyReusedException.class, results.get(4));
        AppendResult same1 = assertInstanceOf(AppendResult.class, results.get(5));
        AppendResult same2 = assertInstanceOf(AppendResult.class, results.get(6));
        assertEquals(1, same1.streamVersion());
        assertEquals(2, same2.streamVersion(), "a member sees the members before it");
        assertInstanceOf(ConcurrencyException.class, results.get(7));

        // Written members: in the log once each, in queue order, and (PostgreSQL) in one transaction.
        List<StoredEvent<Object>> log = store.readAll(Position.START, 1000);
        List<String> nonces = new ArrayList<>();
        for (StoredEvent<Object> event : log) {
            nonces.add(((Marked) event.data()).nonce());
        }
        assertEquals(List.of("setup-1", "setup-2", "setup-3", "b", "ok", "same-1", "same-2"), nonces);
        Position okAt = ok.events().get(0).position();
        assertEquals(okAt.commitOrder(), same2.events().get(0).position().commitOrder(), "one transaction");
        assertEquals(okAt, log.get(4).position());
        assertEquals(ok.events().get(0).id(), log.get(4).id());
        assertTrue(store.findIdempotentAppend("k-ok").isPresent(), "a member's key is recorded");
        assertEquals(0, store.streamVersion(stream("reuse")));
        assertEquals(1, store.streamVersion(stream("conflict")));
    }

    @Test
    void aMemberTheDatabaseRejectsFailsAloneAndTheOthersCommit() throws Exception {
        Databases.Location location = db().newLocation();
        JdbiEventStore store = db().open(location, builder -> builder.groupCommit(true).groupWriters(1));
        try (Connection raw = location.rawConnection()) {
            insertBehindTheStoresBack(raw, store, stream("outside"), 1);
        }
        List<Object> results = asOneGroup(location, store, List.of(
                request(stream("first"), ExpectedVersion.noStream(), null, "first"),
                request(stream("outside"), ExpectedVersion.noStream(), null, "outside"),
                request(stream("last"), ExpectedVersion.noStream(), "k-last", "last")));
        assertEquals(1, assertInstanceOf(AppendResult.class, results.get(0)).streamVersion());
        assertInstanceOf(ConcurrencyException.class, results.get(1));
        assertEquals(1, assertInstanceOf(AppendResult.class, results.get(2)).streamVersion());
        assertEquals(1, store.load(stream("first")).size());
        assertEquals(1, store.load(stream("last")).size());
        assertTrue(store.findIdempotentAppend("k-last").isPresent());
    }

    /** What one attempt did, for the checks after the hammer. */
    private record Attempt(StreamRef stream, long expected, String nonce, String key, AppendResult result,
                           RuntimeException failure, AppendResult firstTime) {
    }

    @Test
    void concurrentWritersWithConflictsAndDuplicateKeysGetExactlyTheirOwnOutcomes() throws Exception {
        JdbiEventStore store = db().open(db().newLocation(), builder -> builder.groupCommit(true));
        int threads = 16;
        int perThread = 40;
        List<StreamRef> streams = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            streams.add(stream("h" + i));
        }
        List<Attempt> attempts = java.util.Collections.synchronizedList(new ArrayList<>());
        CountDownLatch start = new CountDownLatch(1);
        AtomicInteger nonces = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        List<Future<?>> done = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int thread = t;
            done.add(pool.submit(() -> {
                start.await();
                ThreadLocalRandom random = ThreadLocalRandom.current();
                Map<String, AppendResult> mine = new HashMap<>();
                for (int i = 0; i < perThread; i++) {
                    StreamRef stream = streams.get(random.nextInt(streams.size()));
                    String nonce = "n" + nonces.incrementAndGet();
                    String key;
                    AppendResult firstTime = null;
                    if (!mine.isEmpty() && random.nextInt(5) == 0) {
                        key = new ArrayList<>(mine.keySet()).get(random.nextInt(mine.size()));
                        firstTime = mine.get(key);
                        stream = firstTime.events().get(0).stream();
                    } else {
                        key = "t" + thread + "-" + i;
                    }
                    // A stale version now and then: a conflict in the middle of the others.
                    long expected = store.streamVersion(stream) - (random.nextInt(6) == 0 ? 1 : 0);
                    try {
                        AppendResult result = store.append(request(stream, expected <= 0
                                ? ExpectedVersion.noStream() : ExpectedVersion.exactly(expected), key, nonce));
                        if (firstTime == null) {
                            mine.put(key, result);
                        }
                        attempts.add(new Attempt(stream, expected, nonce, key, result, null, firstTime));
                    } catch (ConcurrencyException conflict) {
                        attempts.add(new Attempt(stream, expected, nonce, key, null, conflict, firstTime));
                    }
                }
                return null;
            }));
        }
        start.countDown();
        for (Future<?> future : done) {
            future.get(300, TimeUnit.SECONDS);
        }
        pool.shutdown();

        // The log, read in pages as a subscription does: gap-free, ascending, each event once.
        List<StoredEvent<Object>> log = new ArrayList<>();
        for (List<StoredEvent<Object>> page = store.readAll(Position.START, 100); !page.isEmpty();
             page = store.readAll(page.get(page.size() - 1).position(), 100)) {
            log.addAll(page);
        }
        Map<String, StoredEvent<Object>> byNonce = new HashMap<>();
        for (int i = 0; i < log.size(); i++) {
            if (i > 0) {
                assertTrue(log.get(i - 1).position().compareTo(log.get(i).position()) < 0, "ascending at " + i);
            }
            assertTrue(byNonce.put(((Marked) log.get(i).data()).nonce(), log.get(i)) == null, "once");
        }
        int written = 0;
        for (Attempt attempt : attempts) {
            StoredEvent<Object> stored = byNonce.get(attempt.nonce());
            if (attempt.result() != null && !attempt.result().duplicate()) {
                written++;
                assertNotNull(stored, "a successful append is in the log");
                StoredEvent<Object> returned = attempt.result().events().get(0);
                assertEquals(stored.id(), returned.id());
                assertEquals(stored.position(), returned.position());
                assertEquals(stored.version(), returned.version());
                assertEquals(Math.max(attempt.expected(), 0) + 1, returned.version(), "the version it expected + 1");
            } else if (attempt.result() != null) {
                assertNotNull(attempt.firstTime(), "only a reused key is a duplicate");
                assertEquals(attempt.firstTime().events().get(0).id(), attempt.result().events().get(0).id());
                assertFalse(byNonce.containsKey(attempt.nonce()), "a duplicate writes nothing");
            } else {
                assertFalse(byNonce.containsKey(attempt.nonce()), "a refused append writes nothing");
                assertInstanceOf(ConcurrencyException.class, attempt.failure());
            }
        }
        assertEquals(written, log.size(), "nothing else in the log");
        Set<String> seen = new HashSet<>();
        for (StreamRef stream : streams) {
            List<StoredEvent<Object>> events = store.load(stream);
            for (int v = 0; v < events.size(); v++) {
                assertEquals(v + 1, events.get(v).version(), "no holes in " + stream);
                seen.add(((Marked) events.get(v).data()).nonce());
            }
            assertEquals(events.size(), store.streamVersion(stream));
        }
        assertEquals(byNonce.keySet(), seen);
        assertTrue(store.groupCommit().largestGroup() > 1, "appends were grouped");
    }
}
