package dev.eskit.jdbi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.eskit.ExpectedVersion;
import dev.eskit.Position;
import dev.eskit.StoredEvent;
import dev.eskit.StreamRef;
import dev.eskit.jdbi.TestEvents.Deposited;
import dev.eskit.jdbi.TestEvents.Withdrawn;
import dev.eskit.subscription.SubscriptionLag;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * SQLite's events table has no event type index by default (schema version 11): reads filtered by type scan the log
 * by position, bounded by the head read just before, and remember where they found nothing ({@link TypeScans}), so a
 * reader of a rare type does not scan the same events on every poll; the answers are those of an unfiltered read.
 */
class SqliteTypeScanTest {

    @RegisterExtension
    static final Databases DB = Databases.sqlite();

    @Test
    void aReadOfARareTypeScansUpToTheHeadOnceAndThenStartsThere() {
        JdbiEventStore store = DB.newStore();
        StreamRef a = StreamRef.of("account", "a");
        store.append(a, ExpectedVersion.noStream(), List.of(new Deposited("a", 0)));
        for (int i = 1; i < 50; i++) {
            store.append(a, ExpectedVersion.exactly(i), List.of(new Deposited("a", i)));
        }
        String withdrawn = typeOf(store, new Withdrawn("a", 1));
        TypeScans scans = ((SqliteDatabase) store.database()).typeScans();
        assertEquals(List.of(), store.readAll(Position.START, 10, Set.of(withdrawn)));
        assertEquals(50, scans.startOf(Set.of(withdrawn), 0), "the empty read scanned to the head");
        store.append(a, ExpectedVersion.exactly(50), List.of(new Withdrawn("a", 1), new Deposited("a", 51)));
        List<StoredEvent<Object>> found = store.readAll(Position.START, 10, Set.of(withdrawn));
        assertEquals(List.of(51L), found.stream().map(e -> e.position().sequence()).toList());
        assertEquals(52, scans.startOf(Set.of(withdrawn), 51), "after the event found: up to the head again");
        assertEquals(List.of(), store.readAll(found.get(0).position(), 10, Set.of(withdrawn)));
        // A full page says nothing about what lies beyond it.
        String deposited = typeOf(store, new Deposited("a", 0));
        assertEquals(5, store.readAll(Position.START, 5, Set.of(deposited)).size());
        assertEquals(0, scans.startOf(Set.of(deposited), 0));
        assertEquals(5, scans.startOf(Set.of(deposited), 5));
        // The backlog of the rare type's reader counts from where the reads found nothing.
        SubscriptionLag lag = store.backlog(Position.START, Set.of(withdrawn), 100, Instant.now());
        assertEquals(1, lag.events());
        assertEquals(0, store.backlog(found.get(0).position(), Set.of(withdrawn), 100, Instant.now()).events());
    }

    /**
     * Random appends of three types to a few streams, deletions of streams, and filtered reads of random type sets
     * from random positions with random limits, some read twice: every answer equals the unfiltered log filtered by
     * hand.
     */
    @Test
    void filteredReadsAnswerWhatTheLogHoldsWhateverWasScannedBefore() {
        JdbiEventStore store = DB.newStore();
        Random random = new Random(16);
        List<Object> kinds = List.of(new Deposited("x", 1), new Withdrawn("x", 1), new TestEvents.Marked("w", 1, 0,
                1, "n"));
        List<String> types = kinds.stream().map(kind -> typeOf(store, kind)).toList();
        List<List<String>> typeSets = List.of(List.of(types.get(0)), List.of(types.get(1)), List.of(types.get(2)),
                List.of(types.get(1), types.get(2)));
        List<Position> seen = new ArrayList<>(List.of(Position.START));
        for (int step = 0; step < 600; step++) {
            int what = random.nextInt(10);
            if (what < 6) {
                StreamRef stream = StreamRef.of(random.nextBoolean() ? "t1.account" : "t2.account",
                        "s" + random.nextInt(6));
                int count = 1 + random.nextInt(3);
                List<Object> events = new ArrayList<>();
                for (int i = 0; i < count; i++) {
                    // Mostly the first type: the other two are rare.
                    int kind = random.nextInt(10) < 8 ? 0 : 1 + random.nextInt(2);
                    events.add(kinds.get(kind));
                }
                store.append(stream, ExpectedVersion.any(), events).events()
                        .forEach(event -> seen.add(event.position()));
            } else if (what == 6) {
                store.delete(StreamRef.of(random.nextBoolean() ? "t1.account" : "t2.account",
                        "s" + random.nextInt(6)));
            } else {
                Set<String> wanted = Set.copyOf(typeSets.get(random.nextInt(typeSets.size())));
                Position after = seen.get(random.nextInt(seen.size()));
                int limit = 1 + random.nextInt(8);
                // The whole log, or a tenant's view of it (streams whose type starts with the prefix).
                String prefix = List.of("", "t1.", "t2.").get(random.nextInt(3));
                for (int twice = 0; twice < 2; twice++) {
                    List<Long> expected = store.readAll(after, 10_000, Set.of()).stream()
                            .filter(event -> wanted.contains(event.eventType()))
                            .filter(event -> event.stream().type().startsWith(prefix)).limit(limit)
                            .map(event -> event.position().sequence()).toList();
                    List<Long> actual = (prefix.isEmpty() ? store.readAll(after, limit, wanted)
                            : store.readAllWithStreamTypePrefix(prefix, after, limit, wanted)).stream()
                            .map(event -> event.position().sequence()).toList();
                    assertEquals(expected, actual, "step " + step + ": " + prefix + wanted + " after " + after
                            + " limit " + limit);
                    if (!actual.isEmpty()) {
                        after = Position.of(actual.get(actual.size() - 1));
                    }
                }
            }
        }
    }

    /**
     * Two threads append (a rare type one time in ten) while a reader polls the rare type from its last event, as a
     * subscription does: it sees every rare event once, in order, although most of its reads scan past events that
     * are being written at that moment.
     */
    @Test
    void aPollingReaderOfARareTypeMissesNothingWhileOthersAppend() throws Exception {
        JdbiEventStore store = DB.newStore();
        String rare = typeOf(store, new Withdrawn("a", 1));
        java.util.concurrent.ExecutorService writers = java.util.concurrent.Executors.newFixedThreadPool(2);
        java.util.concurrent.CountDownLatch start = new java.util.concurrent.CountDownLatch(1);
        List<java.util.concurrent.Future<?>> done = new ArrayList<>();
        for (int w = 0; w < 2; w++) {
            StreamRef stream = StreamRef.of("account", "w" + w);
            int seed = w;
            done.add(writers.submit(() -> {
                Random random = new Random(seed);
                start.await();
                for (int i = 0; i < 300; i++) {
                    Object event = random.nextInt(10) == 0 ? new Withdrawn("a", i) : new Deposited("a", i);
                    store.append(stream, ExpectedVersion.any(), List.of(event));
                }
                return null;
            }));
        }
        List<Long> read = new ArrayList<>();
        Position after = Position.START;
        start.countDown();
        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(60);
        while (!done.stream().allMatch(java.util.concurrent.Future::isDone)) {
            assertTrue(System.nanoTime() < deadline, "writers did not finish");
            for (StoredEvent<Object> event : store.readAll(after, 3, Set.of(rare))) {
                read.add(event.position().sequence());
                after = event.position();
            }
        }
        for (java.util.concurrent.Future<?> future : done) {
            future.get(60, java.util.concurrent.TimeUnit.SECONDS);
        }
        writers.shutdown();
        List<StoredEvent<Object>> rest;
        while (!(rest = store.readAll(after, 3, Set.of(rare))).isEmpty()) {
            for (StoredEvent<Object> event : rest) {
                read.add(event.position().sequence());
                after = event.position();
            }
        }
        List<Long> expected = store.readAll(Position.START, 10_000, Set.of()).stream()
                .filter(event -> event.eventType().equals(rare)).map(event -> event.position().sequence()).toList();
        assertTrue(expected.size() > 20, "the test wrote rare events");
        assertEquals(expected, read);
    }

    @Test
    void theIndexIsAnOptionThatCreatesItWhereMissing() throws Exception {
        Databases.Location location = DB.newLocation();
        JdbiEventStore plain = DB.open(location);
        plain.close();
        try (Connection connection = location.rawConnection()) {
            assertEquals(0, indexes(connection));
        }
        JdbiEventStore indexed = DB.open(location, builder -> builder.eventTypeIndex(true));
        StreamRef a = StreamRef.of("account", "a");
        indexed.append(a, ExpectedVersion.noStream(), List.of(new Withdrawn("a", 1), new Deposited("a", 1)));
        assertEquals(1, indexed.readAll(Position.START, 10, Set.of(typeOf(indexed, new Withdrawn("a", 1)))).size());
        indexed.close();
        try (Connection connection = location.rawConnection()) {
            assertEquals(1, indexes(connection));
            try (Statement statement = connection.createStatement(); ResultSet plan = statement.executeQuery(
                    "EXPLAIN QUERY PLAN SELECT seq FROM eskit_events WHERE event_type = 'x' ORDER BY seq")) {
                assertTrue(plan.next());
                assertTrue(plan.getString(4).contains("eskit_events_type"), plan.getString(4));
            }
        }
        // Off again (the default): the index stays, reads go on.
        JdbiEventStore again = DB.open(location);
        assertEquals(2, again.readAll(Position.START, 10, Set.of()).size());
        again.close();
        try (Connection connection = location.rawConnection()) {
            assertEquals(1, indexes(connection));
        }
    }

    private static int indexes(Connection connection) throws Exception {
        try (Statement statement = connection.createStatement(); ResultSet rows = statement.executeQuery(
                "SELECT count(*) FROM sqlite_master WHERE type = 'index' AND name = 'eskit_events_type'")) {
            rows.next();
            return rows.getInt(1);
        }
    }

    private static String typeOf(JdbiEventStore store, Object event) {
        return TestEvents.codec().encode(event).type();
    }
}
