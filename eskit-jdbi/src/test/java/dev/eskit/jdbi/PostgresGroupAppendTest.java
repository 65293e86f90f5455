package dev.eskit.jdbi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.eskit.AppendRequest;
import dev.eskit.AppendResult;
import dev.eskit.ConcurrencyException;
import dev.eskit.ExpectedVersion;
import dev.eskit.Metadata;
import dev.eskit.Position;
import dev.eskit.StoredEvent;
import dev.eskit.StreamRef;
import dev.eskit.StreamTombstonedException;
import dev.eskit.jdbi.TestEvents.Marked;
import java.sql.Connection;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * PostgreSQL's group statement ({@link PostgresGroupAppends}): the lean members of a group written by one statement,
 * the ones it could not write settled alone afterwards with the reason, a stream's second member after it, and the
 * order of sequence numbers within and across members. Groups are made deterministic as in {@link GroupCommitContract}:
 * a first append to a stream whose advisory lock another session holds keeps the only leader's place while the
 * others queue behind it.
 */
class PostgresGroupAppendTest {

    @RegisterExtension
    static final Databases DB = Databases.postgres();

    private static StreamRef stream(String id) {
        return StreamRef.of("lg", id);
    }

    private static AppendRequest request(StreamRef stream, ExpectedVersion expected, String nonce, int events) {
        List<Marked> marked = new ArrayList<>();
        for (int i = 0; i < events; i++) {
            marked.add(new Marked(nonce, 0, i, events, nonce + "/" + i));
        }
        return new AppendRequest(stream, expected, marked, Metadata.empty(), null);
    }

    private static AppendRequest request(StreamRef stream, ExpectedVersion expected, String nonce) {
        return request(stream, expected, nonce, 1);
    }

    private static JdbiEventStore grouped(Databases.Location location) {
        return DB.open(location, builder -> builder.groupCommit(true).groupWriters(1));
    }

    /** Runs {@code requests} as one group behind a blocked first append; returns each result or exception. */
    private static List<Object> asOneGroup(Databases.Location location, JdbiEventStore store,
                                           List<AppendRequest> requests) throws Exception {
        StreamRef blocker = stream("blocker-" + UUID.randomUUID());
        int[] key = new PostgresDialect(store.tableNames()).streamLockKey(blocker);
        return GroupCommitContract.asOneGroup(store, request(blocker, ExpectedVersion.any(), "blocker"), () -> {
            // The blocker stream's lock, held by another session until it closes.
            Connection raw = location.rawConnection();
            AdvisoryLocks.lock(raw, key[0], key[1]);
            return raw::close;
        }, requests);
    }

    private static List<StoredEvent<Object>> log(JdbiEventStore store) {
        List<StoredEvent<Object>> log = new ArrayList<>();
        for (List<StoredEvent<Object>> page = store.readAll(Position.START, 100); !page.isEmpty();
             page = store.readAll(page.get(page.size() - 1).position(), 100)) {
            log.addAll(page);
        }
        return log;
    }

    private static List<String> nonces(List<StoredEvent<Object>> events) {
        List<String> nonces = new ArrayList<>();
        for (StoredEvent<Object> event : events) {
            nonces.add(((Marked) event.data()).nonce());
        }
        return nonces;
    }

    @Test
    void onlyTheMembersTheGroupStatementCannotWriteAreRefusedEachWithItsOwnReason() throws Exception {
        Databases.Location location = DB.newLocation();
        JdbiEventStore store = grouped(location);
        store.append(request(stream("stale"), ExpectedVersion.noStream(), "setup-stale"));
        store.append(request(stream("known"), ExpectedVersion.noStream(), "setup-known"));
        store.append(request(stream("taken"), ExpectedVersion.noStream(), "setup-taken"));
        store.append(request(stream("tomb"), ExpectedVersion.noStream(), "setup-tomb"));
        store.tombstone(stream("tomb"));

        List<Object> results = asOneGroup(location, store, List.of(
                request(stream("new-1"), ExpectedVersion.noStream(), "new-1"),
                request(stream("stale"), ExpectedVersion.exactly(5), "stale"),
                request(stream("known"), ExpectedVersion.exactly(1), "known", 2),
                request(stream("tomb"), ExpectedVersion.exactly(1), "tomb"),
                request(stream("taken"), ExpectedVersion.noStream(), "taken"),
                request(stream("missing"), ExpectedVersion.exactly(3), "missing"),
                request(stream("new-2"), ExpectedVersion.noStream(), "new-2", 3)));

        AppendResult new1 = assertInstanceOf(AppendResult.class, results.get(0));
        ConcurrencyException stale = assertInstanceOf(ConcurrencyException.class, results.get(1));
        assertEquals(1, stale.actualVersion());
        assertEquals(stream("stale"), stale.stream());
        AppendResult known = assertInstanceOf(AppendResult.class, results.get(2));
        assertInstanceOf(StreamTombstonedException.class, results.get(3));
        assertEquals(1, assertInstanceOf(ConcurrencyException.class, results.get(4)).actualVersion());
        assertEquals(0, assertInstanceOf(ConcurrencyException.class, results.get(5)).actualVersion());
        AppendResult new2 = assertInstanceOf(AppendResult.class, results.get(6));

        assertEquals(1, new1.streamVersion());
        assertEquals(3, known.streamVersion());
        assertEquals(List.of(2L, 3L), known.events().stream().map(StoredEvent::version).toList());
        assertEquals(3, new2.streamVersion());
        long tx = new1.events().get(0).position().commitOrder();
        for (AppendResult written : List.of(known, new2)) {
            for (StoredEvent<Object> event : written.events()) {
                assertEquals(tx, event.position().commitOrder(), "one transaction");
            }
        }
        List<StoredEvent<Object>> log = log(store);
        assertEquals(List.of("setup-stale/0", "setup-known/0", "setup-taken/0", "setup-tomb/0", "blocker/0", "new-1/0",
                "known/0", "known/1", "new-2/0", "new-2/1", "new-2/2"), nonces(log));
        List<StoredEvent<Object>> tail = log.subList(5, log.size());
        List<StoredEvent<Object>> returned = new ArrayList<>(new1.events());
        returned.addAll(known.events());
        returned.addAll(new2.events());
        for (int i = 0; i < tail.size(); i++) {
            assertEquals(tail.get(i).position(), returned.get(i).position());
            assertEquals(tail.get(i).id(), returned.get(i).id());
            assertEquals(tail.get(i).version(), returned.get(i).version());
        }
        assertEquals(1, store.streamVersion(stream("stale")));
        assertEquals(1, store.streamVersion(stream("taken")));
        assertEquals(0, store.streamVersion(stream("missing")));
        assertEquals(0, store.load(stream("missing")).size());
    }

    /**
     * Appends at a known last event (a state cache's warm commands) share the group statement with its check: the one
     * at its stream's last event is written in the group's transaction, the one whose last event is another writes
     * nothing and reports a miss, alone; one after the leading run is written alone afterwards with the check, and
     * misses when an earlier member of the group moved its stream on.
     */
    @Test
    void appendsAtTheirLastEventsShareTheGroupStatementAndEachMissesAlone() throws Exception {
        Databases.Location location = DB.newLocation();
        JdbiEventStore store = grouped(location);
        Map<String, UUID> heads = new HashMap<>();
        for (String id : List.of("h-ok", "h-stale", "h-plain", "h-after")) {
            store.append(request(stream(id), ExpectedVersion.noStream(), "setup-" + id));
            heads.put(id, store.load(stream(id)).get(0).id());
        }
        StreamRef blocker = stream("blocker-" + UUID.randomUUID());
        int[] key = new PostgresDialect(store.tableNames()).streamLockKey(blocker);
        List<java.util.concurrent.Callable<Object>> appends = List.of(
                () -> store.appendAtHead(request(stream("h-ok"), ExpectedVersion.exactly(1), "ok"), heads.get("h-ok")),
                () -> store.appendAtHead(request(stream("h-stale"), ExpectedVersion.exactly(1), "stale"),
                        UUID.randomUUID()),
                () -> store.append(request(stream("h-plain"), ExpectedVersion.exactly(1), "plain")),
                () -> store.append(request(stream("h-ok"), ExpectedVersion.exactly(2), "second")),
                () -> store.appendAtHead(request(stream("h-after"), ExpectedVersion.exactly(1), "after"),
                        heads.get("h-after")),
                () -> store.appendAtHead(request(stream("h-plain"), ExpectedVersion.exactly(1), "late"),
                        heads.get("h-plain")));
        List<Object> results = GroupCommitContract.asOneGroupOf(store, request(blocker, ExpectedVersion.any(),
                "blocker"), () -> {
                    Connection raw = location.rawConnection();
                    AdvisoryLocks.lock(raw, key[0], key[1]);
                    return raw::close;
                }, appends);

        AppendResult ok = ((java.util.Optional<?>) results.get(0)).map(AppendResult.class::cast).orElseThrow();
        assertEquals(java.util.Optional.empty(), results.get(1), "another last event: a miss");
        AppendResult plain = assertInstanceOf(AppendResult.class, results.get(2));
        AppendResult second = assertInstanceOf(AppendResult.class, results.get(3));
        AppendResult after = ((java.util.Optional<?>) results.get(4)).map(AppendResult.class::cast).orElseThrow();
        assertEquals(java.util.Optional.empty(), results.get(5), "the group's plain member moved the stream on");

        long tx = ok.events().get(0).position().commitOrder();
        assertEquals(tx, plain.events().get(0).position().commitOrder(), "one transaction");
        assertEquals(tx, second.events().get(0).position().commitOrder(), "one transaction");
        assertTrue(after.events().get(0).position().isAfter(second.events().get(0).position()),
                "written alone, after the group");
        assertEquals(2, ok.streamVersion());
        assertEquals(3, second.streamVersion(), "the stream's second member sees the first");
        assertEquals(2, after.streamVersion());
        assertEquals(List.of("setup-h-ok/0", "ok/0", "second/0"), nonces(store.load(stream("h-ok"))));
        assertEquals(List.of("setup-h-stale/0"), nonces(store.load(stream("h-stale"))), "the miss wrote nothing");
        assertEquals(List.of("setup-h-plain/0", "plain/0"), nonces(store.load(stream("h-plain"))));
        assertEquals(List.of("setup-h-after/0", "after/0"), nonces(store.load(stream("h-after"))));
    }

    @Test
    void aStreamsSecondMemberInAGroupSeesTheFirstAndAThirdAtTheSameVersionIsRefused() throws Exception {
        Databases.Location location = DB.newLocation();
        JdbiEventStore store = grouped(location);
        store.append(request(stream("s"), ExpectedVersion.noStream(), "setup"));

        List<Object> results = asOneGroup(location, store, List.of(
                request(stream("s"), ExpectedVersion.exactly(1), "s-1", 2),
                request(stream("other"), ExpectedVersion.noStream(), "other"),
                request(stream("s"), ExpectedVersion.exactly(3), "s-2"),
                request(stream("s"), ExpectedVersion.exactly(1), "s-3"),
                request(stream("fresh"), ExpectedVersion.noStream(), "fresh-1"),
                request(stream("fresh"), ExpectedVersion.noStream(), "fresh-2")));

        assertEquals(3, assertInstanceOf(AppendResult.class, results.get(0)).streamVersion());
        assertEquals(1, assertInstanceOf(AppendResult.class, results.get(1)).streamVersion());
        assertEquals(4, assertInstanceOf(AppendResult.class, results.get(2)).streamVersion(),
                "the second member sees the first");
        assertEquals(4, assertInstanceOf(ConcurrencyException.class, results.get(3)).actualVersion());
        assertEquals(1, assertInstanceOf(AppendResult.class, results.get(4)).streamVersion());
        assertEquals(1, assertInstanceOf(ConcurrencyException.class, results.get(5)).actualVersion());
        assertEquals(List.of("setup/0", "s-1/0", "s-1/1", "s-2/0"), nonces(store.load(stream("s"))));
        assertEquals(List.of("fresh-1/0"), nonces(store.load(stream("fresh"))));
        assertEquals(List.of("setup/0", "blocker/0", "s-1/0", "s-1/1", "other/0", "s-2/0", "fresh-1/0"),
                nonces(log(store)), "queue order");
    }

    @Test
    void aGroupWhoseResultWasUnreadableAfterCommitReportsEachMemberAsUnknownAndWritesItOnce() throws Exception {
        Databases.Location location = DB.newLocation();
        JdbiEventStore store = grouped(location);
        store.append(request(stream("u-known"), ExpectedVersion.noStream(), "setup"));
        PostgresAppends appends = ((PostgresDatabase) store.database()).appends();
        AtomicInteger executed = new AtomicInteger();
        // The first string is the blocked first append's; the second, the group's.
        appends.resultFault = () -> {
            if (executed.incrementAndGet() == 2) {
                throw new java.sql.SQLException("injected: the result could not be read");
            }
        };
        List<Object> results;
        try {
            results = asOneGroup(location, store, List.of(
                    request(stream("u-new"), ExpectedVersion.noStream(), "u-new", 2),
                    request(stream("u-known"), ExpectedVersion.exactly(1), "u-known")));
        } finally {
            appends.resultFault = null;
        }
        assertEquals(2, executed.get(), "the group's string ran once, not retried");
        AppendOutcomeUnknownException fresh = assertInstanceOf(AppendOutcomeUnknownException.class, results.get(0));
        AppendOutcomeUnknownException known = assertInstanceOf(AppendOutcomeUnknownException.class, results.get(1));
        assertEquals(stream("u-new"), fresh.stream());
        assertEquals(stream("u-known"), known.stream());
        assertEquals(fresh.eventIds(), store.load(stream("u-new")).stream().map(StoredEvent::id).toList(),
                "committed once, the ids named");
        assertEquals(known.eventIds(), store.load(stream("u-known")).subList(1, 2).stream().map(StoredEvent::id)
                .toList());
        assertEquals(2, store.streamVersion(stream("u-known")));
    }

    /**
     * The group's events take sequence numbers in (member, version) order, each member's consecutive among the
     * group's; with a sequence stepping by 3 the list of numbers comes back instead of the first one.
     */
    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void sequenceNumbersFollowTheMembersAndTheirVersions(boolean gaps) throws Exception {
        Databases.Location location = DB.newLocation();
        JdbiEventStore store = grouped(location);
        if (gaps) {
            try (Connection connection = location.rawConnection(); Statement alter = connection.createStatement()) {
                alter.execute("ALTER SEQUENCE " + store.tableNames().table("events_seq") + " INCREMENT BY 3");
            }
        }
        List<AppendRequest> requests = new ArrayList<>();
        for (int m = 0; m < 12; m++) {
            StreamRef stream = stream("seq-" + m);
            boolean existing = m % 2 == 0;
            if (existing) {
                store.append(request(stream, ExpectedVersion.noStream(), "setup-" + m));
            }
            AppendRequest plain = request(stream, existing ? ExpectedVersion.exactly(1) : ExpectedVersion.noStream(),
                    "m" + m, 1 + m % 3);
            // Every third member with metadata: the metadata array mixes values and nulls.
            requests.add(m % 3 == 0 ? new AppendRequest(stream, plain.expected(), plain.events(),
                    Metadata.correlatedBy("c-" + m), null) : plain);
        }
        List<Object> results = asOneGroup(location, store, requests);
        Map<Position, StoredEvent<Object>> stored = new HashMap<>();
        for (StoredEvent<Object> event : log(store)) {
            stored.put(event.position(), event);
        }
        Position previous = null;
        Long tx = null;
        for (int m = 0; m < results.size(); m++) {
            AppendResult result = assertInstanceOf(AppendResult.class, results.get(m));
            long base = m % 2 == 0 ? 1 : 0;
            assertEquals(base + 1 + m % 3, result.streamVersion());
            for (int e = 0; e < result.events().size(); e++) {
                StoredEvent<Object> event = result.events().get(e);
                assertEquals(base + 1 + e, event.version());
                if (tx == null) {
                    tx = event.position().commitOrder();
                }
                assertEquals(tx, event.position().commitOrder(), "one transaction");
                if (previous != null) {
                    long step = gaps ? 3 : 1;
                    assertEquals(previous.sequence() + step, event.position().sequence(),
                            "member " + m + " event " + e + " follows the one before without a hole");
                }
                previous = event.position();
                StoredEvent<Object> row = stored.get(event.position());
                assertNotNull(row, "stored at the position returned");
                assertEquals(event.id(), row.id());
                assertEquals(event.stream(), row.stream());
                assertEquals(event.version(), row.version());
                assertEquals("m" + m + "/" + e, ((Marked) row.data()).nonce());
                assertEquals(m % 3 == 0 ? "c-" + m : null, row.metadata().correlationId(), "metadata of member " + m);
            }
        }
    }

    @Test
    void newStreamsRacedByManyWritersGetExactlyOneFirstAppendEach() throws Exception {
        JdbiEventStore store = DB.open(DB.newLocation(), builder -> builder.groupCommit(true));
        int threads = 12;
        int streams = 30;
        Map<StreamRef, String> winners = new ConcurrentHashMap<>();
        AtomicInteger refused = new AtomicInteger();
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int thread = t;
                done.add(pool.submit(() -> {
                    List<Integer> order = new ArrayList<>();
                    for (int s = 0; s < streams; s++) {
                        order.add(s);
                    }
                    Collections.shuffle(order);
                    start.await();
                    for (int s : order) {
                        StreamRef stream = stream("race-" + s);
                        String nonce = "t" + thread + "-" + s;
                        try {
                            AppendResult result = store.append(request(stream, ExpectedVersion.noStream(), nonce));
                            assertEquals(1, result.streamVersion());
                            assertTrue(winners.put(stream, nonce) == null, "two first appends to " + stream);
                        } catch (ConcurrencyException e) {
                            assertEquals(1, e.actualVersion());
                            refused.incrementAndGet();
                        }
                    }
                    return null;
                }));
            }
            start.countDown();
            for (Future<?> future : done) {
                future.get(300, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        assertEquals(streams, winners.size());
        assertEquals(streams * (threads - 1), refused.get());
        for (Map.Entry<StreamRef, String> winner : winners.entrySet()) {
            assertEquals(List.of(winner.getValue() + "/0"), nonces(store.load(winner.getKey())));
            assertEquals(1, store.streamVersion(winner.getKey()));
        }
        assertEquals(streams, log(store).size());
    }

    /**
     * Many threads appending at known versions (mostly lean members, now and then an idempotency key), a reader
     * following the log meanwhile: the torture test's checks with group commit on.
     */
    @Test
    void manyWritersHammeringGroupCommitKeepTheLogsGuarantees() throws Exception {
        JdbiEventStore store = DB.open(DB.newLocation(), builder -> builder.groupCommit(true));
        int writers = 16;
        int appends = 50;
        Set<String> committed = ConcurrentHashMap.newKeySet();
        Set<String> refused = ConcurrentHashMap.newKeySet();
        AtomicBoolean writersDone = new AtomicBoolean();
        ExecutorService pool = Executors.newFixedThreadPool(writers + 1);
        try {
            CountDownLatch start = new CountDownLatch(1);
            Future<List<StoredEvent<Object>>> reader = TortureContract.followLog(pool, store, start, writersDone);
            List<Future<?>> done = new ArrayList<>();
            for (int w = 0; w < writers; w++) {
                String writer = "w" + w;
                done.add(pool.submit(() -> {
                    start.await();
                    ThreadLocalRandom random = ThreadLocalRandom.current();
                    StreamRef own = stream("own-" + writer);
                    for (int a = 0; a < appends; a++) {
                        StreamRef stream = random.nextInt(3) == 0 ? own : stream("hot-" + random.nextInt(6));
                        int size = 1 + random.nextInt(3);
                        List<Marked> events = new ArrayList<>();
                        for (int i = 0; i < size; i++) {
                            events.add(new Marked(writer, a, i, size, writer + "-" + a + "-" + i));
                        }
                        long version = store.streamVersion(stream);
                        ExpectedVersion expected = version == 0 ? ExpectedVersion.noStream()
                                : ExpectedVersion.exactly(version);
                        String key = random.nextInt(10) == 0 ? writer + "-key-" + a : null;
                        try {
                            store.append(new AppendRequest(stream, expected, events, Metadata.empty(), key));
                            events.forEach(event -> committed.add(event.nonce()));
                        } catch (ConcurrencyException e) {
                            events.forEach(event -> refused.add(event.nonce()));
                        }
                    }
                    return null;
                }));
            }
            start.countDown();
            for (Future<?> future : done) {
                future.get(300, TimeUnit.SECONDS);
            }
            writersDone.set(true);
            List<StoredEvent<Object>> seen = reader.get(300, TimeUnit.SECONDS);

            TortureContract.checkLog(store, seen, committed, refused, "seen but refused: ");
            assertTrue(store.groupCommit().largestGroup() > 1, "appends were grouped");
        } finally {
            writersDone.set(true);
            pool.shutdownNow();
        }
    }
}
