package dev.eskit.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.eskit.AppendRequest;
import dev.eskit.AppendResult;
import dev.eskit.BatchTooLargeException;
import dev.eskit.ConcurrencyException;
import dev.eskit.EmptyAppendException;
import dev.eskit.EventStore;
import dev.eskit.ExpectedVersion;
import dev.eskit.IdempotencyKeyReusedException;
import dev.eskit.InvalidIdempotencyKeyException;
import dev.eskit.InvalidInputException;
import dev.eskit.InvalidReadLimitException;
import dev.eskit.InvalidStreamException;
import dev.eskit.Limits;
import dev.eskit.Metadata;
import dev.eskit.MetadataTooLargeException;
import dev.eskit.Position;
import dev.eskit.StoredEvent;
import dev.eskit.StreamRef;
import dev.eskit.UnknownEventTypeException;
import dev.eskit.codec.EventTypes;
import dev.eskit.testkit.domain.AccountOpened;
import dev.eskit.testkit.domain.Address;
import dev.eskit.testkit.domain.Blob;
import dev.eskit.testkit.domain.Counted;
import dev.eskit.testkit.domain.Deposited;
import dev.eskit.testkit.domain.Pinged;
import dev.eskit.testkit.domain.Tagged;
import dev.eskit.testkit.domain.TestEventTypes;
import dev.eskit.testkit.domain.Unregistered;
import dev.eskit.testkit.domain.Withdrawn;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.IntFunction;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The behaviour every {@link EventStore} must have, as a JUnit 5 test class. A store implementation runs it by
 * extending this class and supplying a factory:
 *
 * <pre>{@code
 * class SqliteEventStoreConformanceTest extends EventStoreConformance {
 *     @Override
 *     protected EventStore createStore(EventTypes types) {
 *         return JdbiEventStore.sqlite("jdbc:sqlite:" + tempDir.resolve(UUID.randomUUID() + ".db"), types);
 *     }
 * }
 * }</pre>
 *
 * <p>The suite appends the records of {@link dev.eskit.testkit.domain} (registered by {@link TestEventTypes#all()}),
 * which round-trip through Jackson, so serializing stores run it unchanged. Every test gets a fresh store from
 * {@link #createStore(EventTypes)} and closes it with {@link #closeStore(EventStore)}. Tests are grouped by behaviour
 * in {@code @Nested} classes; concurrent tests use latches and bounded waits, never sleeps.
 *
 * <p>{@code createStore} runs in this class's own {@code @BeforeEach}, which JUnit runs before any
 * {@code @BeforeEach} of the subclass: prepare shared resources in a static {@code @BeforeAll} (a database server, a
 * schema), use injected fields such as {@code @TempDir Path dir} (injected before any {@code @BeforeEach}), or do
 * the work inside {@code createStore} itself. Each test must get an empty store, for example a new SQLite file or a
 * new PostgreSQL schema per call. The tests reach the store through {@link #store}.
 *
 * <p>Besides the appends, reads and bounds of {@link EventStore}, the suite checks properties that only show under
 * concurrency: exactly one winner among writers that expect the same version, dense versions under {@code any()},
 * and readers that page the global log while writers append and never see a position go backwards nor a stream
 * version arrive before the one preceding it (gap-free, in-order delivery).
 */
public abstract class EventStoreConformance {

    /** How long any concurrent test waits for its threads before failing. */
    private static final long AWAIT_SECONDS = 120;

    private static final String ACCOUNT = "account";

    /** The store of the running test, made by {@link #createStore(EventTypes)} before each test. */
    protected EventStore store;

    /** A fresh, empty store that knows the given event types. Called once per test method. */
    protected abstract EventStore createStore(EventTypes types);

    /** Closes a store made by createStore; default calls store.close(). */
    protected void closeStore(EventStore store) {
        store.close();
    }

    /**
     * A multiplier for the sizes of the stress and volume tests (threads stay fixed, operations per thread scale).
     * The default, 1, keeps the suite to seconds on the in-memory store and well under two minutes on SQLite;
     * override it with a larger value to hammer a store harder.
     */
    protected int stressScale() {
        return 1;
    }

    /**
     * How far a stored timestamp may lie outside the window [just before the append, just after it]. Stores that
     * take the time from a database server on another machine may need some slack for clock skew; the default
     * allows none beyond rounding to milliseconds.
     */
    protected Duration clockTolerance() {
        return Duration.ZERO;
    }

    /** Creates the store for one test. */
    @BeforeEach
    protected final void openStoreForTest() {
        store = createStore(TestEventTypes.all());
        assertNotNull(store, "createStore returned null");
    }

    /** Closes the store of one test. */
    @AfterEach
    protected final void closeStoreAfterTest() {
        if (store != null) {
            EventStore toClose = store;
            store = null;
            closeStore(toClose);
        }
    }

    // ---------------------------------------------------------------------------------------------------------
    // Helpers
    // ---------------------------------------------------------------------------------------------------------

    /** A stream of type {@code "account"}. */
    private static StreamRef account(String id) {
        return StreamRef.of(ACCOUNT, id);
    }

    private static List<Deposited> deposits(String accountId, int count) {
        List<Deposited> events = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            events.add(new Deposited(accountId, i + 1));
        }
        return events;
    }

    private static Tagged tagged(String id) {
        Map<String, Integer> counts = new LinkedHashMap<>();
        counts.put("apples", 3);
        counts.put("pears", 0);
        counts.put("négatif", -7);
        return new Tagged(id, List.of("red", "größe", "日本", "🙂"), counts, new Address("1 Main St", "Zürich"), true,
                0.125);
    }

    private static List<Object> data(List<? extends StoredEvent<?>> events) {
        List<Object> data = new ArrayList<>(events.size());
        for (StoredEvent<?> event : events) {
            data.add(event.data());
        }
        return data;
    }

    private static List<Long> versions(List<? extends StoredEvent<?>> events) {
        List<Long> versions = new ArrayList<>(events.size());
        for (StoredEvent<?> event : events) {
            versions.add(event.version());
        }
        return versions;
    }

    private static List<Long> range(long fromInclusive, long toInclusive) {
        List<Long> values = new ArrayList<>();
        for (long v = fromInclusive; v <= toInclusive; v++) {
            values.add(v);
        }
        return values;
    }

    private static List<UUID> ids(List<? extends StoredEvent<?>> events) {
        List<UUID> ids = new ArrayList<>(events.size());
        for (StoredEvent<?> event : events) {
            ids.add(event.id());
        }
        return ids;
    }

    /** The whole global log, paged with the largest allowed limit. */
    private List<StoredEvent<Object>> readWholeLog() {
        return readWholeLog(Set.of(), Limits.MAX_READ_LIMIT);
    }

    private List<StoredEvent<Object>> readWholeLog(Set<String> types, int pageSize) {
        List<StoredEvent<Object>> all = new ArrayList<>();
        Position after = Position.START;
        while (true) {
            List<StoredEvent<Object>> page = store.readAll(after, pageSize, types);
            assertTrue(page.size() <= pageSize, "readAll returned more events than the limit");
            if (page.isEmpty()) {
                return all;
            }
            all.addAll(page);
            after = page.get(page.size() - 1).position();
        }
    }

    private static void assertStrictlyIncreasingPositions(List<? extends StoredEvent<?>> events) {
        for (int i = 1; i < events.size(); i++) {
            Position previous = events.get(i - 1).position();
            Position current = events.get(i).position();
            assertTrue(current.isAfter(previous), "position " + current + " at index " + i
                    + " does not come after " + previous);
        }
    }

    /** Checks every field of two views of one stored event (the timestamp to within a millisecond). */
    private static void assertSameStoredEvent(StoredEvent<?> expected, StoredEvent<?> actual) {
        assertEquals(expected.id(), actual.id(), "id");
        assertEquals(expected.stream(), actual.stream(), "stream");
        assertEquals(expected.version(), actual.version(), "version");
        assertEquals(expected.eventType(), actual.eventType(), "eventType");
        assertEquals(expected.schemaVersion(), actual.schemaVersion(), "schemaVersion");
        assertEquals(expected.position(), actual.position(), "position");
        assertEquals(expected.metadata(), actual.metadata(), "metadata");
        assertEquals(expected.data(), actual.data(), "data");
        Duration skew = Duration.between(expected.timestamp(), actual.timestamp()).abs();
        assertTrue(skew.compareTo(Duration.ofMillis(1)) <= 0,
                "timestamps " + expected.timestamp() + " and " + actual.timestamp() + " differ by " + skew);
    }

    private static void assertSameStoredEvents(List<? extends StoredEvent<?>> expected,
                                               List<? extends StoredEvent<?>> actual) {
        assertEquals(expected.size(), actual.size(), "number of events");
        for (int i = 0; i < expected.size(); i++) {
            assertSameStoredEvent(expected.get(i), actual.get(i));
        }
    }

    /** What the store holds: the ids of the whole log, in order. Equal snapshots mean nothing was written. */
    private List<UUID> snapshot() {
        return ids(readWholeLog());
    }

    private <T extends Throwable> T assertRejectedWithNothingWritten(Class<T> type, Runnable action) {
        List<UUID> before = snapshot();
        T error = assertThrows(type, action::run);
        assertNotNull(error.getMessage(), "the exception has no message");
        assertEquals(before, snapshot(), "the rejected call changed the store");
        return error;
    }

    /**
     * Runs {@code threads} tasks at once (all released by one latch) and returns their results in task order.
     * A task that throws fails the test with its exception as the cause.
     */
    private static <T> List<T> runConcurrently(int threads, IntFunction<Callable<T>> task) {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        CountDownLatch ready = new CountDownLatch(threads);
        CountDownLatch go = new CountDownLatch(1);
        try {
            List<Future<T>> futures = new ArrayList<>(threads);
            for (int i = 0; i < threads; i++) {
                Callable<T> work = task.apply(i);
                futures.add(pool.submit(() -> {
                    ready.countDown();
                    if (!go.await(AWAIT_SECONDS, TimeUnit.SECONDS)) {
                        throw new TimeoutException("start signal never came");
                    }
                    return work.call();
                }));
            }
            if (!ready.await(AWAIT_SECONDS, TimeUnit.SECONDS)) {
                fail("the worker threads did not start within " + AWAIT_SECONDS + " s");
            }
            go.countDown();
            List<T> results = new ArrayList<>(threads);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(AWAIT_SECONDS);
            for (Future<T> future : futures) {
                long left = Math.max(1, deadline - System.nanoTime());
                try {
                    results.add(future.get(left, TimeUnit.NANOSECONDS));
                } catch (ExecutionException e) {
                    throw new AssertionError("a concurrent task failed: " + e.getCause(), e.getCause());
                } catch (TimeoutException e) {
                    throw new AssertionError("a concurrent task did not finish within " + AWAIT_SECONDS + " s", e);
                }
            }
            return results;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        } finally {
            pool.shutdownNow();
            try {
                if (!pool.awaitTermination(AWAIT_SECONDS, TimeUnit.SECONDS)) {
                    fail("worker threads did not stop");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Appends one event with {@code exactly(version)}, retrying with the fresh version after each conflict. */
    private long appendWithRetry(StreamRef stream, Object event, int maxAttempts) {
        for (int attempt = 1; attempt <= maxAttempts; attempt++) {
            long version = store.streamVersion(stream);
            try {
                return store.append(stream, ExpectedVersion.exactly(version), List.of(event)).streamVersion();
            } catch (ConcurrencyException conflict) {
                Thread.yield();
            }
        }
        throw new AssertionError("append to " + stream + " lost " + maxAttempts + " times in a row");
    }

    private Instant windowStart() {
        return Instant.now().truncatedTo(ChronoUnit.MILLIS).minus(clockTolerance());
    }

    private Instant windowEnd() {
        return Instant.now().plusMillis(1).plus(clockTolerance());
    }

    /** Stream ids with characters that stores must keep exactly as given. */
    static Stream<String> specialStreamIds() {
        return Stream.of(
                "order-2024-000001",
                "tenant/42/orders/7",
                "3f1c6c1e-8f5d-4c7a-9a55-1b5cf6f7e0a1",
                "ünïcødé-名前-имя",
                "emoji-🚀🔥-👩‍👩‍👧",
                "with space and 'quotes' \"double\" and \\backslash",
                "percent%_underscore;semicolon--comment",
                "a",
                "x".repeat(Limits.MAX_ID_LENGTH),
                "é".repeat(Limits.MAX_ID_LENGTH),
                "🙂".repeat(Limits.MAX_ID_LENGTH / 2));
    }

    // ---------------------------------------------------------------------------------------------------------
    // Basic append and load
    // ---------------------------------------------------------------------------------------------------------

    /** Appending and loading single streams. */
    @Nested
    class BasicAppendAndLoad {

        @Test
        void appendedEventsLoadBackInOrder() {
            StreamRef stream = account("a-1");
            List<Object> events = List.of(new AccountOpened("a-1", "Ann"), new Deposited("a-1", 500),
                    new Withdrawn("a-1", 200, "rent"));
            store.append(stream, ExpectedVersion.noStream(), events);
            assertEquals(events, data(store.load(stream)));
        }

        @Test
        void appendReturnsTheStoredEventsWithVersionsAndPositions() {
            StreamRef stream = account("a-1");
            AppendResult result = store.append(stream, ExpectedVersion.noStream(), deposits("a-1", 3));
            assertFalse(result.duplicate());
            assertEquals(3, result.events().size());
            assertEquals(List.of(1L, 2L, 3L), versions(result.events()));
            assertEquals(3, result.streamVersion());
            assertEquals(result.events().get(2).position(), result.lastPosition());
            assertSameStoredEvents(result.events(), store.load(stream));
        }

        @Test
        void loadOfAStreamWithoutEventsIsEmpty() {
            assertEquals(List.of(), store.load(account("never-written")));
            assertEquals(List.of(), store.load(account("never-written"), 1));
        }

        @Test
        void streamVersionIsZeroForANewStreamAndCountsEvents() {
            StreamRef stream = account("a-1");
            assertEquals(0, store.streamVersion(stream));
            store.append(stream, ExpectedVersion.noStream(), deposits("a-1", 2));
            assertEquals(2, store.streamVersion(stream));
            store.append(stream, ExpectedVersion.exactly(2), deposits("a-1", 3));
            assertEquals(5, store.streamVersion(stream));
        }

        @Test
        void successiveAppendsAccumulateInOneStream() {
            StreamRef stream = account("a-1");
            List<Object> expected = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                Deposited event = new Deposited("a-1", 100 + i);
                store.append(stream, ExpectedVersion.exactly(i), List.of(event));
                expected.add(event);
            }
            assertEquals(expected, data(store.load(stream)));
            assertEquals(range(1, 5), versions(store.load(stream)));
        }

        @Test
        void eventsOfDifferentClassesInOneStreamLoadAsTheirOwnClasses() {
            StreamRef stream = account("a-1");
            store.append(stream, ExpectedVersion.noStream(), List.of(new AccountOpened("a-1", "Ann"),
                    tagged("a-1"), new Pinged(), new Blob("a-1", "text"), new Withdrawn("a-1", 1, "fee")));
            List<StoredEvent<Object>> loaded = store.load(stream);
            assertInstanceOf(AccountOpened.class, loaded.get(0).data());
            assertInstanceOf(Tagged.class, loaded.get(1).data());
            assertInstanceOf(Pinged.class, loaded.get(2).data());
            assertInstanceOf(Blob.class, loaded.get(3).data());
            assertInstanceOf(Withdrawn.class, loaded.get(4).data());
            assertEquals(TestEventTypes.ACCOUNT_OPENED, loaded.get(0).eventType());
            assertEquals(TestEventTypes.TAGGED, loaded.get(1).eventType());
            assertEquals(TestEventTypes.PINGED, loaded.get(2).eventType());
            assertEquals(TestEventTypes.BLOB, loaded.get(3).eventType());
            assertEquals(TestEventTypes.WITHDRAWN, loaded.get(4).eventType());
        }

        @Test
        void structuredDataRoundTripsUnchanged() {
            StreamRef stream = account("a-1");
            Tagged event = tagged("a-1");
            store.append(stream, ExpectedVersion.noStream(), List.of(event));
            StoredEvent<Tagged> loaded = store.load(stream).get(0).as(Tagged.class);
            assertEquals(event, loaded.data());
            assertEquals(List.of("red", "größe", "日本", "🙂"), loaded.data().tags());
            assertEquals(-7, loaded.data().counts().get("négatif"));
            assertEquals("Zürich", loaded.data().address().city());
        }

        @Test
        void appendedEventsAppearInTheGlobalLog() {
            store.append(account("a-1"), ExpectedVersion.noStream(), deposits("a-1", 2));
            store.append(account("a-2"), ExpectedVersion.noStream(), deposits("a-2", 1));
            List<StoredEvent<Object>> log = readWholeLog();
            assertEquals(3, log.size());
            assertSameStoredEvents(store.load(account("a-1")), log.subList(0, 2));
            assertSameStoredEvents(store.load(account("a-2")), log.subList(2, 3));
        }
    }

    // ---------------------------------------------------------------------------------------------------------
    // Optimistic concurrency
    // ---------------------------------------------------------------------------------------------------------

    /** Expected versions and conflicts. */
    @Nested
    @Timeout(value = 5, unit = TimeUnit.MINUTES)
    class OptimisticConcurrency {

        @Test
        void staleExpectedVersionIsRejectedWithExpectedAndActual() {
            StreamRef stream = account("a-1");
            store.append(stream, ExpectedVersion.noStream(), deposits("a-1", 2));
            ConcurrencyException conflict = assertRejectedWithNothingWritten(ConcurrencyException.class,
                    () -> store.append(stream, ExpectedVersion.exactly(1), deposits("a-1", 1)));
            assertEquals(stream, conflict.stream());
            assertEquals(ExpectedVersion.exactly(1), conflict.expected());
            assertEquals(2, conflict.actualVersion());
            assertEquals(2, store.streamVersion(stream));
        }

        @Test
        void expectedVersionAheadOfTheStreamIsRejected() {
            StreamRef stream = account("a-1");
            store.append(stream, ExpectedVersion.noStream(), deposits("a-1", 2));
            ConcurrencyException conflict = assertRejectedWithNothingWritten(ConcurrencyException.class,
                    () -> store.append(stream, ExpectedVersion.exactly(5), deposits("a-1", 1)));
            assertEquals(ExpectedVersion.exactly(5), conflict.expected());
            assertEquals(2, conflict.actualVersion());
        }

        @Test
        void exactVersionOnAStreamThatDoesNotExistIsRejected() {
            StreamRef stream = account("ghost");
            ConcurrencyException conflict = assertRejectedWithNothingWritten(ConcurrencyException.class,
                    () -> store.append(stream, ExpectedVersion.exactly(3), deposits("ghost", 1)));
            assertEquals(0, conflict.actualVersion());
            assertEquals(0, store.streamVersion(stream));
        }

        @Test
        void noStreamOnAnExistingStreamIsRejected() {
            StreamRef stream = account("a-1");
            store.append(stream, ExpectedVersion.noStream(), deposits("a-1", 1));
            ConcurrencyException conflict = assertRejectedWithNothingWritten(ConcurrencyException.class,
                    () -> store.append(stream, ExpectedVersion.noStream(), deposits("a-1", 1)));
            assertEquals(ExpectedVersion.noStream(), conflict.expected());
            assertEquals(1, conflict.actualVersion());
        }

        @Test
        void exactlyZeroCreatesANewStreamLikeNoStream() {
            StreamRef stream = account("a-1");
            AppendResult result = store.append(stream, ExpectedVersion.exactly(0), deposits("a-1", 1));
            assertEquals(1, result.streamVersion());
            assertThrows(ConcurrencyException.class,
                    () -> store.append(stream, ExpectedVersion.exactly(0), deposits("a-1", 1)));
        }

        @Test
        void currentVersionIsAccepted() {
            StreamRef stream = account("a-1");
            store.append(stream, ExpectedVersion.noStream(), deposits("a-1", 3));
            AppendResult result = store.append(stream, ExpectedVersion.exactly(3), deposits("a-1", 2));
            assertEquals(List.of(4L, 5L), versions(result.events()));
        }

        @Test
        void aRejectedBatchWritesNoneOfItsEvents() {
            StreamRef stream = account("a-1");
            store.append(stream, ExpectedVersion.noStream(), deposits("a-1", 1));
            assertRejectedWithNothingWritten(ConcurrencyException.class,
                    () -> store.append(stream, ExpectedVersion.noStream(), deposits("a-1", 50)));
            assertEquals(1, store.load(stream).size());
        }

        @Test
        void concurrentAppendsWithTheSameExpectedVersionHaveExactlyOneWinner() {
            int threads = 8;
            StreamRef stream = account("contended");
            for (int round = 0; round < 10 * stressScale(); round++) {
                long version = round;
                List<Object> outcomes = runConcurrently(threads, writer -> () -> {
                    try {
                        return store.append(stream, ExpectedVersion.exactly(version),
                                List.of(new Counted(writer, (int) version)));
                    } catch (ConcurrencyException conflict) {
                        return conflict;
                    }
                });
                long winners = outcomes.stream().filter(AppendResult.class::isInstance).count();
                assertEquals(1, winners, "round " + round + ": " + outcomes);
                for (Object outcome : outcomes) {
                    if (outcome instanceof ConcurrencyException conflict) {
                        assertEquals(version + 1, conflict.actualVersion());
                        assertEquals(ExpectedVersion.exactly(version), conflict.expected());
                    }
                }
                assertEquals(version + 1, store.streamVersion(stream));
            }
            assertEquals(range(1, 10L * stressScale()), versions(store.load(stream)));
        }

        @Test
        void concurrentStreamCreationWithNoStreamHasExactlyOneWinner() {
            int threads = 8;
            for (int round = 0; round < 5 * stressScale(); round++) {
                StreamRef stream = account("new-" + round);
                List<Object> outcomes = runConcurrently(threads, writer -> () -> {
                    try {
                        return store.append(stream, ExpectedVersion.noStream(),
                                List.of(new Counted(writer, 0), new Counted(writer, 1)));
                    } catch (ConcurrencyException conflict) {
                        return conflict;
                    }
                });
                List<AppendResult> winners = new ArrayList<>();
                for (Object outcome : outcomes) {
                    if (outcome instanceof AppendResult result) {
                        winners.add(result);
                    }
                }
                assertEquals(1, winners.size(), "round " + round + ": " + outcomes);
                assertSameStoredEvents(winners.get(0).events(), store.load(stream));
            }
        }
    }

    // ---------------------------------------------------------------------------------------------------------
    // Ordering
    // ---------------------------------------------------------------------------------------------------------

    /** Versions and global positions. */
    @Nested
    class Ordering {

        @Test
        void versionsStartAtOneAndIncreaseByOneAcrossAppends() {
            StreamRef stream = account("a-1");
            store.append(stream, ExpectedVersion.noStream(), deposits("a-1", 3));
            store.append(stream, ExpectedVersion.exactly(3), deposits("a-1", 1));
            store.append(stream, ExpectedVersion.any(), deposits("a-1", 4));
            assertEquals(range(1, 8), versions(store.load(stream)));
        }

        @Test
        void globalPositionsIncreaseStrictlyAcrossStreamsInAppendOrder() {
            List<StoredEvent<Object>> appended = new ArrayList<>();
            for (int i = 0; i < 6; i++) {
                StreamRef stream = account("a-" + (i % 3));
                appended.addAll(store.append(stream, ExpectedVersion.any(), deposits(stream.id(), 2)).events());
            }
            assertStrictlyIncreasingPositions(appended);
            assertSameStoredEvents(appended, readWholeLog());
        }

        @Test
        void positionsWithinOneBatchIncreaseInBatchOrder() {
            AppendResult result = store.append(account("a-1"), ExpectedVersion.noStream(), deposits("a-1", 20));
            assertStrictlyIncreasingPositions(result.events());
            assertTrue(result.events().get(0).position().isAfter(Position.START));
        }

        @Test
        void interleavedAppendsToTwoStreamsKeepTheirInterleavingInTheLog() {
            StreamRef first = account("first");
            StreamRef second = StreamRef.of("customer", "second");
            List<StreamRef> order = List.of(first, second, second, first, second, first, first);
            for (StreamRef stream : order) {
                store.append(stream, ExpectedVersion.any(), List.of(new Blob(stream.id(), "x")));
            }
            List<StreamRef> logged = new ArrayList<>();
            for (StoredEvent<Object> event : readWholeLog()) {
                logged.add(event.stream());
            }
            assertEquals(order, logged);
        }

        @Test
        void loadKeepsInsertionOrderOfData() {
            StreamRef stream = account("a-1");
            List<Object> expected = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                List<Object> batch = List.of(new Counted(0, 2 * i), new Blob("a-1", "batch " + i),
                        new Counted(0, 2 * i + 1));
                store.append(stream, ExpectedVersion.exactly(3L * i), batch);
                expected.addAll(batch);
            }
            assertEquals(expected, data(store.load(stream)));
        }

        @Test
        void laterStreamVersionsHaveLaterPositions() {
            StreamRef stream = account("a-1");
            for (int i = 0; i < 10; i++) {
                store.append(stream, ExpectedVersion.any(), deposits("a-1", 1));
                store.append(account("noise-" + i), ExpectedVersion.any(), deposits("noise", 1));
            }
            assertStrictlyIncreasingPositions(store.load(stream));
        }
    }

    // ---------------------------------------------------------------------------------------------------------
    // Read patterns
    // ---------------------------------------------------------------------------------------------------------

    /** Loading from a version and reading the global log. */
    @Nested
    class ReadPatterns {

        @Test
        void loadFromAVersionReturnsThatVersionAndLater() {
            StreamRef stream = account("a-1");
            store.append(stream, ExpectedVersion.noStream(), deposits("a-1", 10));
            List<StoredEvent<Object>> tail = store.load(stream, 4);
            assertEquals(range(4, 10), versions(tail));
            assertSameStoredEvents(store.load(stream).subList(3, 10), tail);
        }

        @Test
        void loadFromTheLastVersionReturnsOneEvent() {
            StreamRef stream = account("a-1");
            store.append(stream, ExpectedVersion.noStream(), deposits("a-1", 5));
            assertEquals(List.of(5L), versions(store.load(stream, 5)));
        }

        @Test
        void loadFromZeroOrOneReturnsTheWholeStream() {
            StreamRef stream = account("a-1");
            store.append(stream, ExpectedVersion.noStream(), deposits("a-1", 4));
            assertEquals(range(1, 4), versions(store.load(stream, 0)));
            assertEquals(range(1, 4), versions(store.load(stream, 1)));
        }

        @Test
        void loadFromBeyondTheEndIsEmpty() {
            StreamRef stream = account("a-1");
            store.append(stream, ExpectedVersion.noStream(), deposits("a-1", 3));
            assertEquals(List.of(), store.load(stream, 4));
            assertEquals(List.of(), store.load(stream, 1_000_000));
            assertEquals(List.of(), store.load(stream, Long.MAX_VALUE));
        }

        @Test
        void readAllOfAnEmptyStoreIsEmpty() {
            assertEquals(List.of(), store.readAll(Position.START, 100));
            assertEquals(List.of(), store.readAll(Position.START, 100, Set.of(TestEventTypes.DEPOSITED)));
        }

        @Test
        void readAllPagesWithLimitAndAfterPosition() {
            for (int i = 0; i < 25; i++) {
                store.append(account("a-" + (i % 4)), ExpectedVersion.any(), List.of(new Counted(0, i)));
            }
            List<StoredEvent<Object>> first = store.readAll(Position.START, 10);
            List<StoredEvent<Object>> second = store.readAll(first.get(9).position(), 10);
            List<StoredEvent<Object>> third = store.readAll(second.get(9).position(), 10);
            List<StoredEvent<Object>> fourth = store.readAll(third.get(third.size() - 1).position(), 10);
            assertEquals(10, first.size());
            assertEquals(10, second.size());
            assertEquals(5, third.size());
            assertEquals(List.of(), fourth);
            List<Object> all = new ArrayList<>();
            all.addAll(data(first));
            all.addAll(data(second));
            all.addAll(data(third));
            List<Object> expected = new ArrayList<>();
            for (int i = 0; i < 25; i++) {
                expected.add(new Counted(0, i));
            }
            assertEquals(expected, all);
        }

        @Test
        void readAllAfterTheLastPositionIsEmptyUntilMoreIsAppended() {
            AppendResult result = store.append(account("a-1"), ExpectedVersion.noStream(), deposits("a-1", 3));
            assertEquals(List.of(), store.readAll(result.lastPosition(), 100));
            AppendResult more = store.append(account("a-2"), ExpectedVersion.noStream(), deposits("a-2", 1));
            assertSameStoredEvents(more.events(), store.readAll(result.lastPosition(), 100));
        }

        @Test
        void readAllAfterAMiddlePositionReturnsOnlyLaterEvents() {
            List<StoredEvent<Object>> appended = store.append(account("a-1"), ExpectedVersion.noStream(),
                    deposits("a-1", 8)).events();
            List<StoredEvent<Object>> rest = store.readAll(appended.get(4).position(), 100);
            assertSameStoredEvents(appended.subList(5, 8), rest);
        }

        @Test
        void readAllWithLimitOneStepsThroughEveryEvent() {
            store.append(account("a-1"), ExpectedVersion.noStream(), deposits("a-1", 7));
            List<StoredEvent<Object>> stepped = readWholeLog(Set.of(), 1);
            assertEquals(7, stepped.size());
            assertSameStoredEvents(readWholeLog(), stepped);
        }

        @Test
        void readAllFiltersByEventType() {
            StreamRef stream = account("a-1");
            store.append(stream, ExpectedVersion.noStream(), List.of(new AccountOpened("a-1", "Ann"),
                    new Deposited("a-1", 1), new Withdrawn("a-1", 1, "x"), new Deposited("a-1", 2)));
            store.append(account("a-2"), ExpectedVersion.noStream(), List.of(new Deposited("a-2", 3),
                    new Pinged()));
            List<StoredEvent<Object>> deposits = store.readAll(Position.START, 100,
                    Set.of(TestEventTypes.DEPOSITED));
            assertEquals(List.of(new Deposited("a-1", 1), new Deposited("a-1", 2), new Deposited("a-2", 3)),
                    data(deposits));
            assertStrictlyIncreasingPositions(deposits);
            List<StoredEvent<Object>> two = store.readAll(Position.START, 100,
                    Set.of(TestEventTypes.WITHDRAWN, TestEventTypes.PINGED));
            assertEquals(List.of(new Withdrawn("a-1", 1, "x"), new Pinged()), data(two));
        }

        @Test
        void readAllWithAFilterCountsTheLimitInMatchingEventsAndPagesThroughThem() {
            for (int i = 0; i < 30; i++) {
                Object event = i % 3 == 0 ? new Counted(1, i) : new Blob("b", "filler " + i);
                store.append(account("a-" + (i % 5)), ExpectedVersion.any(), List.of(event));
            }
            List<StoredEvent<Object>> first = store.readAll(Position.START, 4, Set.of(TestEventTypes.COUNTED));
            assertEquals(4, first.size());
            List<StoredEvent<Object>> paged = readWholeLog(Set.of(TestEventTypes.COUNTED), 4);
            List<Object> expected = new ArrayList<>();
            for (int i = 0; i < 30; i += 3) {
                expected.add(new Counted(1, i));
            }
            assertEquals(expected, data(paged));
        }

        @Test
        void readAllWithATypeNobodyWroteIsEmpty() {
            store.append(account("a-1"), ExpectedVersion.noStream(), deposits("a-1", 3));
            assertEquals(List.of(), store.readAll(Position.START, 100, Set.of("testkit.NeverWritten")));
        }

        @Test
        void positionTokensReadBackToTheSamePlaceInTheLog() {
            List<StoredEvent<Object>> appended = store.append(account("a-1"), ExpectedVersion.noStream(),
                    deposits("a-1", 5)).events();
            Position middle = Position.parse(appended.get(1).position().toToken());
            assertEquals(appended.get(1).position(), middle);
            assertSameStoredEvents(appended.subList(2, 5), store.readAll(middle, 100));
        }
    }

    // ---------------------------------------------------------------------------------------------------------
    // any()
    // ---------------------------------------------------------------------------------------------------------

    /** Appends that do not check the version. */
    @Nested
    @Timeout(value = 5, unit = TimeUnit.MINUTES)
    class AnyVersion {

        @Test
        void anyCreatesANewStream() {
            StreamRef stream = account("a-1");
            AppendResult result = store.append(stream, ExpectedVersion.any(), deposits("a-1", 2));
            assertEquals(List.of(1L, 2L), versions(result.events()));
        }

        @Test
        void anyAppendsToAnExistingStreamAfterItsLastVersion() {
            StreamRef stream = account("a-1");
            store.append(stream, ExpectedVersion.noStream(), deposits("a-1", 3));
            AppendResult result = store.append(stream, ExpectedVersion.any(), deposits("a-1", 2));
            assertEquals(List.of(4L, 5L), versions(result.events()));
        }

        @Test
        void concurrentAnyAppendsLoseNothingAndKeepVersionsDense() {
            int threads = 8;
            int appendsPerThread = 40 * stressScale();
            StreamRef stream = account("shared");
            runConcurrently(threads, writer -> () -> {
                for (int i = 0; i < appendsPerThread; i++) {
                    // Alternate single events and pairs so batches of different sizes interleave.
                    List<Object> batch = i % 2 == 0
                            ? List.of(new Counted(writer, 2 * i))
                            : List.of(new Counted(writer, 2 * i), new Counted(writer, 2 * i + 1));
                    AppendResult result = store.append(stream, ExpectedVersion.any(), batch);
                    assertEquals(batch.size(), result.events().size());
                }
                return null;
            });
            List<StoredEvent<Object>> loaded = store.load(stream);
            Map<Integer, List<Integer>> byWriter = new HashMap<>();
            for (StoredEvent<Object> event : loaded) {
                Counted counted = (Counted) event.data();
                byWriter.computeIfAbsent(counted.writer(), w -> new ArrayList<>()).add(counted.sequence());
            }
            assertEquals(threads, byWriter.size());
            for (Map.Entry<Integer, List<Integer>> entry : byWriter.entrySet()) {
                List<Integer> expected = new ArrayList<>();
                for (int i = 0; i < appendsPerThread; i++) {
                    expected.add(2 * i);
                    if (i % 2 == 1) {
                        expected.add(2 * i + 1);
                    }
                }
                assertEquals(expected, entry.getValue(), "events of writer " + entry.getKey()
                        + " missing, duplicated or out of order");
            }
            assertEquals(range(1, loaded.size()), versions(loaded));
            assertStrictlyIncreasingPositions(loaded);
            assertEquals(loaded.size(), store.streamVersion(stream));
        }

        @Test
        void batchesAppendedWithAnyStayContiguous() {
            int threads = 4;
            StreamRef stream = account("shared");
            runConcurrently(threads, writer -> () -> {
                for (int i = 0; i < 10 * stressScale(); i++) {
                    List<Object> batch = new ArrayList<>();
                    for (int k = 0; k < 5; k++) {
                        batch.add(new Counted(writer, i * 5 + k));
                    }
                    store.append(stream, ExpectedVersion.any(), batch);
                }
                return null;
            });
            List<StoredEvent<Object>> loaded = store.load(stream);
            for (int start = 0; start < loaded.size(); start += 5) {
                Counted head = (Counted) loaded.get(start).data();
                assertEquals(0, head.sequence() % 5, "a batch does not start at a batch boundary");
                for (int k = 1; k < 5; k++) {
                    assertEquals(new Counted(head.writer(), head.sequence() + k), loaded.get(start + k).data(),
                            "another append landed inside a batch");
                }
            }
        }
    }

    // ---------------------------------------------------------------------------------------------------------
    // Stream-type isolation
    // ---------------------------------------------------------------------------------------------------------

    /** Stream types are separate namespaces. */
    @Nested
    class StreamTypeIsolation {

        @Test
        void sameIdInTwoStreamTypesAreTwoStreams() {
            StreamRef account = StreamRef.of("account", "42");
            StreamRef customer = StreamRef.of("customer", "42");
            store.append(account, ExpectedVersion.noStream(), List.of(new AccountOpened("42", "Ann")));
            store.append(customer, ExpectedVersion.noStream(), List.of(new Blob("42", "customer data")));
            store.append(customer, ExpectedVersion.exactly(1), List.of(new Pinged()));
            assertEquals(List.of(new AccountOpened("42", "Ann")), data(store.load(account)));
            assertEquals(List.of(new Blob("42", "customer data"), new Pinged()), data(store.load(customer)));
            assertEquals(1, store.streamVersion(account));
            assertEquals(2, store.streamVersion(customer));
        }

        @Test
        void versionChecksApplyPerStreamType() {
            store.append(StreamRef.of("account", "42"), ExpectedVersion.noStream(), deposits("42", 3));
            assertThrows(ConcurrencyException.class, () -> store.append(StreamRef.of("customer", "42"),
                    ExpectedVersion.exactly(3), deposits("42", 1)));
            AppendResult created = store.append(StreamRef.of("customer", "42"), ExpectedVersion.noStream(),
                    deposits("42", 1));
            assertEquals(1, created.streamVersion());
        }

        @Test
        void storedEventsCarryTheirOwnStreamType() {
            store.append(StreamRef.of("account", "x"), ExpectedVersion.noStream(), deposits("x", 1));
            store.append(StreamRef.of("Account", "x"), ExpectedVersion.noStream(), deposits("x", 1));
            store.append(StreamRef.of("account-archive", "x"), ExpectedVersion.noStream(), deposits("x", 1));
            List<StoredEvent<Object>> log = readWholeLog();
            assertEquals(List.of("account", "Account", "account-archive"),
                    log.stream().map(StoredEvent::streamType).toList());
            assertEquals(List.of("x", "x", "x"), log.stream().map(StoredEvent::streamId).toList());
            assertEquals(1, store.load(StreamRef.of("Account", "x")).size());
        }

        @Test
        void idThatLooksLikeAnotherTypesPrefixDoesNotCollide() {
            // A naive "type/id" or "type-id" key would merge these two streams.
            StreamRef first = StreamRef.of("a/b", "c");
            StreamRef second = StreamRef.of("a", "b/c");
            StreamRef third = StreamRef.of("a-b", "c");
            StreamRef fourth = StreamRef.of("a", "b-c");
            for (StreamRef stream : List.of(first, second, third, fourth)) {
                store.append(stream, ExpectedVersion.noStream(), List.of(new Blob(stream.toString(), "")));
            }
            for (StreamRef stream : List.of(first, second, third, fourth)) {
                assertEquals(1, store.streamVersion(stream), stream.toString());
                assertEquals(stream, store.load(stream).get(0).stream());
            }
        }
    }

    // ---------------------------------------------------------------------------------------------------------
    // Stored-event fields
    // ---------------------------------------------------------------------------------------------------------

    /** Every field of a stored event is populated correctly. */
    @Nested
    class StoredEventFields {

        @Test
        void everyFieldIsPopulated() {
            StreamRef stream = account("a-1");
            Metadata metadata = new Metadata("corr-1", "cause-1", "user-7", "node-3", Map.of("ip", "10.0.0.1"));
            Instant before = windowStart();
            AppendResult result = store.append(AppendRequest.of(stream, ExpectedVersion.noStream(),
                    List.of(new AccountOpened("a-1", "Ann"), new Withdrawn("a-1", 5, "fee"))).withMetadata(metadata));
            Instant after = windowEnd();
            List<StoredEvent<Object>> loaded = store.load(stream);
            assertSameStoredEvents(result.events(), loaded);
            assertSameStoredEvents(loaded, readWholeLog());

            StoredEvent<Object> opened = loaded.get(0);
            StoredEvent<Object> withdrawn = loaded.get(1);
            for (StoredEvent<Object> event : loaded) {
                assertNotNull(event.id());
                assertEquals(stream, event.stream());
                assertEquals("account", event.streamType());
                assertEquals("a-1", event.streamId());
                assertEquals(metadata, event.metadata());
                assertTrue(event.position().isAfter(Position.START));
                assertFalse(event.timestamp().isBefore(before), event.timestamp() + " is before " + before);
                assertFalse(event.timestamp().isAfter(after), event.timestamp() + " is after " + after);
            }
            assertEquals(1, opened.version());
            assertEquals(2, withdrawn.version());
            assertEquals(TestEventTypes.ACCOUNT_OPENED, opened.eventType());
            assertEquals(TestEventTypes.WITHDRAWN, withdrawn.eventType());
            assertEquals(1, opened.schemaVersion());
            assertEquals(TestEventTypes.WITHDRAWN_VERSION, withdrawn.schemaVersion());
            assertEquals(new AccountOpened("a-1", "Ann"), opened.data());
            assertEquals(new Withdrawn("a-1", 5, "fee"), withdrawn.data());
            assertEquals(opened.position().sequence(), opened.globalPosition());
        }

        @Test
        void eventIdsAreUniqueAcrossTheStore() {
            Set<UUID> seen = new HashSet<>();
            for (int i = 0; i < 20; i++) {
                store.append(account("a-" + i), ExpectedVersion.noStream(), deposits("a-" + i, 10));
            }
            for (StoredEvent<Object> event : readWholeLog()) {
                assertTrue(seen.add(event.id()), "duplicate event id " + event.id());
            }
            assertEquals(200, seen.size());
        }

        @Test
        void timestampsOfLaterAppendsAreNotEarlier() {
            StreamRef stream = account("a-1");
            for (int i = 0; i < 10; i++) {
                store.append(stream, ExpectedVersion.any(), deposits("a-1", 1));
            }
            List<StoredEvent<Object>> loaded = store.load(stream);
            for (int i = 1; i < loaded.size(); i++) {
                assertFalse(loaded.get(i).timestamp().isBefore(loaded.get(i - 1).timestamp().minus(clockTolerance())),
                        "timestamp went backwards at version " + loaded.get(i).version());
            }
        }

        @Test
        void eachEventOfABatchCarriesTheBatchMetadata() {
            Metadata metadata = Metadata.correlatedBy("batch-corr").withInitiator("tester");
            store.append(account("a-1"), ExpectedVersion.noStream(), deposits("a-1", 5), metadata);
            for (StoredEvent<Object> event : store.load(account("a-1"))) {
                assertEquals(metadata, event.metadata());
            }
        }

        @Test
        void aSchemaVersionTwoEventIsStoredWithVersionTwo() {
            store.append(account("a-1"), ExpectedVersion.noStream(), List.of(new Withdrawn("a-1", 1, "r")));
            StoredEvent<Object> event = readWholeLog().get(0);
            assertEquals(TestEventTypes.WITHDRAWN_VERSION, event.schemaVersion());
            assertEquals(new Withdrawn("a-1", 1, "r"), event.data());
        }
    }

    // ---------------------------------------------------------------------------------------------------------
    // Special stream ids
    // ---------------------------------------------------------------------------------------------------------

    /** Stream ids and types are stored exactly as given. */
    @Nested
    class SpecialStreamIds {

        @ParameterizedTest
        @MethodSource("dev.eskit.testkit.EventStoreConformance#specialStreamIds")
        void specialIdRoundTripsExactly(String id) {
            StreamRef stream = StreamRef.of("special", id);
            store.append(stream, ExpectedVersion.noStream(), List.of(new Blob(id, id)));
            store.append(stream, ExpectedVersion.exactly(1), List.of(new Pinged()));
            List<StoredEvent<Object>> loaded = store.load(stream);
            assertEquals(2, loaded.size());
            assertEquals(stream, loaded.get(0).stream());
            assertEquals(id, loaded.get(0).streamId());
            assertEquals(new Blob(id, id), loaded.get(0).data());
            assertEquals(2, store.streamVersion(stream));
            assertEquals(stream, readWholeLog().get(0).stream());
        }

        @Test
        void specialIdsAreDistinctStreams() {
            List<String> ids = specialStreamIds().toList();
            for (String id : ids) {
                store.append(StreamRef.of("special", id), ExpectedVersion.noStream(), List.of(new Blob(id, "")));
            }
            for (String id : ids) {
                List<StoredEvent<Object>> loaded = store.load(StreamRef.of("special", id));
                assertEquals(1, loaded.size(), id);
                assertEquals(new Blob(id, ""), loaded.get(0).data());
            }
            assertEquals(ids.size(), readWholeLog().size());
        }

        @Test
        void specialStreamTypesRoundTripExactly() {
            List<String> types = List.of("order-item", "billing/invoice", "Ünïcode-タイプ", "🚀",
                    "t".repeat(Limits.MAX_ID_LENGTH));
            for (String type : types) {
                store.append(StreamRef.of(type, "1"), ExpectedVersion.noStream(), List.of(new Pinged()));
            }
            for (String type : types) {
                List<StoredEvent<Object>> loaded = store.load(StreamRef.of(type, "1"));
                assertEquals(1, loaded.size(), type);
                assertEquals(type, loaded.get(0).streamType());
            }
        }

        @Test
        void idsThatDifferOnlyInCaseOrTrailingSpaceAreDistinct() {
            List<String> ids = List.of("abc", "ABC", "abc ", " abc", "abç");
            for (String id : ids) {
                store.append(account(id), ExpectedVersion.noStream(), List.of(new Blob(id, "")));
            }
            for (String id : ids) {
                assertEquals(List.of(new Blob(id, "")), data(store.load(account(id))), "stream \"" + id + "\"");
            }
        }
    }

    // ---------------------------------------------------------------------------------------------------------
    // Metadata
    // ---------------------------------------------------------------------------------------------------------

    /** Metadata comes back exactly as appended. */
    @Nested
    class MetadataPreservation {

        private StoredEvent<Object> appendAndLoad(Metadata metadata) {
            StreamRef stream = account("m-1");
            store.append(stream, ExpectedVersion.any(), deposits("m-1", 1), metadata);
            List<StoredEvent<Object>> loaded = store.load(stream);
            StoredEvent<Object> last = loaded.get(loaded.size() - 1);
            List<StoredEvent<Object>> log = readWholeLog();
            assertEquals(metadata, log.get(log.size() - 1).metadata(), "metadata read from the global log");
            return last;
        }

        @Test
        void allFourFieldsArePreserved() {
            Metadata metadata = new Metadata("corr", "cause", "initiator", "originator", Map.of());
            assertEquals(metadata, appendAndLoad(metadata).metadata());
        }

        @Test
        void emptyMetadataComesBackEmpty() {
            Metadata loaded = appendAndLoad(Metadata.empty()).metadata();
            assertTrue(loaded.isEmpty(), loaded.toString());
            assertEquals(Map.of(), loaded.extras());
        }

        @Test
        void someFieldsSetOthersNullArePreserved() {
            Metadata metadata = new Metadata(null, "cause-only", null, "origin-only", Map.of("k", "v"));
            Metadata loaded = appendAndLoad(metadata).metadata();
            assertEquals(metadata, loaded);
            assertNull(loaded.correlationId());
            assertNull(loaded.initiator());
        }

        @Test
        void oneHundredExtrasArePreserved() {
            Map<String, String> extras = new LinkedHashMap<>();
            for (int i = 0; i < Limits.MAX_METADATA_ENTRIES; i++) {
                extras.put("key-" + i, "value-" + i);
            }
            Metadata metadata = new Metadata("c", null, null, null, extras);
            assertEquals(extras, appendAndLoad(metadata).metadata().extras());
        }

        @Test
        void unicodeKeysAndValuesArePreserved() {
            Metadata metadata = new Metadata("корреляция-🔗", "原因", "usuário", "ノード",
                    Map.of("clé", "valeur ✓", "emoji 🎉", "👩‍💻", "quote\"key", "back\\slash\nnewline\ttab"));
            assertEquals(metadata, appendAndLoad(metadata).metadata());
        }

        @Test
        void emptyStringValuesArePreserved() {
            Metadata metadata = new Metadata("", "", "", "", Map.of("blank", ""));
            assertEquals(metadata, appendAndLoad(metadata).metadata());
        }

        @Test
        void metadataJustUnderTheSizeLimitIsPreserved() {
            String big = "m".repeat(Limits.MAX_METADATA_BYTES - 100);
            Metadata metadata = new Metadata("c", null, null, null, Map.of("big", big));
            assertEquals(metadata, appendAndLoad(metadata).metadata());
        }

        @Test
        void eachAppendKeepsItsOwnMetadata() {
            StreamRef stream = account("m-2");
            for (int i = 0; i < 5; i++) {
                store.append(stream, ExpectedVersion.any(), deposits("m-2", 1),
                        Metadata.correlatedBy("corr-" + i).with("n", Integer.toString(i)));
            }
            List<StoredEvent<Object>> loaded = store.load(stream);
            for (int i = 0; i < 5; i++) {
                assertEquals("corr-" + i, loaded.get(i).metadata().correlationId());
                assertEquals(Integer.toString(i), loaded.get(i).metadata().extras().get("n"));
            }
        }
    }

    // ---------------------------------------------------------------------------------------------------------
    // Idempotency keys
    // ---------------------------------------------------------------------------------------------------------

    /** Appends with an idempotency key happen at most once. */
    @Nested
    @Timeout(value = 5, unit = TimeUnit.MINUTES)
    class IdempotencyKeys {

        @Test
        void retryReturnsTheOriginalEventsAsDuplicateAndWritesNothing() {
            StreamRef stream = account("a-1");
            AppendRequest request = AppendRequest.of(stream, ExpectedVersion.noStream(), deposits("a-1", 3))
                    .withIdempotencyKey("op-1");
            AppendResult first = store.append(request);
            assertFalse(first.duplicate());
            List<UUID> before = snapshot();
            AppendResult retry = store.append(request);
            assertTrue(retry.duplicate());
            assertSameStoredEvents(first.events(), retry.events());
            assertEquals(before, snapshot());
            assertEquals(3, store.streamVersion(stream));
        }

        @Test
        void retryWithAStaleExpectedVersionIsStillADuplicate() {
            StreamRef stream = account("a-1");
            AppendRequest request = AppendRequest.of(stream, ExpectedVersion.noStream(), deposits("a-1", 1))
                    .withIdempotencyKey("op-1");
            AppendResult first = store.append(request);
            store.append(stream, ExpectedVersion.exactly(1), deposits("a-1", 2));
            AppendResult retry = store.append(request);
            assertTrue(retry.duplicate());
            assertSameStoredEvents(first.events(), retry.events());
            assertEquals(3, store.streamVersion(stream));
        }

        @Test
        void retryWithDifferentEventsStillReturnsTheOriginalEvents() {
            StreamRef stream = account("a-1");
            AppendResult first = store.append(AppendRequest.of(stream, ExpectedVersion.any(), deposits("a-1", 2))
                    .withIdempotencyKey("op-1"));
            AppendResult retry = store.append(AppendRequest.of(stream, ExpectedVersion.any(),
                    List.of(new Pinged())).withIdempotencyKey("op-1"));
            assertTrue(retry.duplicate());
            assertSameStoredEvents(first.events(), retry.events());
            assertEquals(2, store.streamVersion(stream));
        }

        @Test
        void sameKeyOnAnotherStreamIsRejectedAndWritesNothing() {
            store.append(AppendRequest.of(account("a-1"), ExpectedVersion.noStream(), deposits("a-1", 1))
                    .withIdempotencyKey("op-1"));
            IdempotencyKeyReusedException error = assertRejectedWithNothingWritten(IdempotencyKeyReusedException.class,
                    () -> store.append(AppendRequest.of(account("a-2"), ExpectedVersion.noStream(),
                            deposits("a-2", 1)).withIdempotencyKey("op-1")));
            assertTrue(error.getMessage().contains("op-1"), error.getMessage());
            assertEquals(0, store.streamVersion(account("a-2")));
        }

        @Test
        void differentKeysAppendIndependently() {
            StreamRef stream = account("a-1");
            AppendResult first = store.append(AppendRequest.of(stream, ExpectedVersion.any(), deposits("a-1", 1))
                    .withIdempotencyKey("op-1"));
            AppendResult second = store.append(AppendRequest.of(stream, ExpectedVersion.any(), deposits("a-1", 1))
                    .withIdempotencyKey("op-2"));
            assertFalse(first.duplicate());
            assertFalse(second.duplicate());
            assertEquals(2, store.streamVersion(stream));
        }

        @Test
        void aKeyWhoseAppendFailedOnAConflictCanBeUsedAgain() {
            StreamRef stream = account("a-1");
            store.append(stream, ExpectedVersion.noStream(), deposits("a-1", 1));
            assertThrows(ConcurrencyException.class, () -> store.append(AppendRequest.of(stream,
                    ExpectedVersion.noStream(), deposits("a-1", 1)).withIdempotencyKey("op-1")));
            AppendResult retry = store.append(AppendRequest.of(stream, ExpectedVersion.exactly(1),
                    deposits("a-1", 1)).withIdempotencyKey("op-1"));
            assertFalse(retry.duplicate());
            assertEquals(2, store.streamVersion(stream));
        }

        @Test
        void aKeyWhoseAppendFailedOnAnUnknownTypeCanBeUsedAgain() {
            StreamRef stream = account("a-1");
            assertThrows(UnknownEventTypeException.class, () -> store.append(AppendRequest.of(stream,
                    ExpectedVersion.noStream(), List.of(new Unregistered("x"))).withIdempotencyKey("op-1")));
            AppendResult retry = store.append(AppendRequest.of(stream, ExpectedVersion.noStream(),
                    deposits("a-1", 1)).withIdempotencyKey("op-1"));
            assertFalse(retry.duplicate());
        }

        @Test
        void withoutAKeyARepeatedAppendWritesAgain() {
            StreamRef stream = account("a-1");
            store.append(stream, ExpectedVersion.any(), deposits("a-1", 1));
            store.append(stream, ExpectedVersion.any(), deposits("a-1", 1));
            assertEquals(2, store.streamVersion(stream));
        }

        @Test
        void keysAreCaseSensitiveAndMayHoldAnyCharacters() {
            StreamRef stream = account("a-1");
            List<String> keys = List.of("Key", "key", "clé/🔑", "k".repeat(Limits.MAX_ID_LENGTH));
            for (String key : keys) {
                assertFalse(store.append(AppendRequest.of(stream, ExpectedVersion.any(), deposits("a-1", 1))
                        .withIdempotencyKey(key)).duplicate(), key);
            }
            for (String key : keys) {
                assertTrue(store.append(AppendRequest.of(stream, ExpectedVersion.any(), deposits("a-1", 1))
                        .withIdempotencyKey(key)).duplicate(), key);
            }
            assertEquals(keys.size(), store.streamVersion(stream));
        }

        @Test
        void findIdempotentAppendReturnsTheOriginalEventsAsADuplicate() {
            StreamRef stream = account("a-1");
            AppendResult first = store.append(AppendRequest.of(stream, ExpectedVersion.noStream(), deposits("a-1", 2))
                    .withIdempotencyKey("op-1"));
            store.append(stream, ExpectedVersion.any(), deposits("a-1", 1));
            List<UUID> before = snapshot();
            Optional<AppendResult> found = store.findIdempotentAppend("op-1");
            assertTrue(found.isPresent(), "the store forgot idempotency key op-1");
            assertTrue(found.get().duplicate());
            assertSameStoredEvents(first.events(), found.get().events());
            assertEquals(before, snapshot());
        }

        @Test
        void findIdempotentAppendIsEmptyForKeysThatStoredNothing() {
            StreamRef stream = account("a-1");
            assertEquals(Optional.empty(), store.findIdempotentAppend("never-used"));
            store.append(stream, ExpectedVersion.noStream(), deposits("a-1", 1));
            assertThrows(ConcurrencyException.class, () -> store.append(AppendRequest.of(stream,
                    ExpectedVersion.noStream(), deposits("a-1", 1)).withIdempotencyKey("failed-op")));
            assertEquals(Optional.empty(), store.findIdempotentAppend("failed-op"));
            assertThrows(InvalidIdempotencyKeyException.class, () -> store.findIdempotentAppend(""));
            assertThrows(InvalidIdempotencyKeyException.class,
                    () -> store.findIdempotentAppend("k".repeat(Limits.MAX_ID_LENGTH + 1)));
        }

        @Test
        void concurrentRetriesOfOneKeyWriteOnce() {
            int threads = 8;
            StreamRef stream = account("a-1");
            AppendRequest request = AppendRequest.of(stream, ExpectedVersion.any(), deposits("a-1", 3))
                    .withIdempotencyKey("op-concurrent");
            List<AppendResult> results = runConcurrently(threads, writer -> () -> store.append(request));
            long originals = results.stream().filter(r -> !r.duplicate()).count();
            assertEquals(1, originals, "exactly one append may write");
            for (AppendResult result : results) {
                assertEquals(ids(results.get(0).events()), ids(result.events()));
            }
            assertEquals(3, store.streamVersion(stream));
            assertEquals(3, readWholeLog().size());
        }
    }

    // ---------------------------------------------------------------------------------------------------------
    // Edge cases
    // ---------------------------------------------------------------------------------------------------------

    /** Large, empty and numerous. */
    @Nested
    @Timeout(value = 5, unit = TimeUnit.MINUTES)
    class EdgeCases {

        @Test
        void largePayloadOfAboutOneMegabyteRoundTrips() {
            StringBuilder text = new StringBuilder(1 << 20);
            while (text.length() < 1_000_000) {
                text.append("The quick brown fox jumps over the lazy dog. Größe 日本 🙂 \"quoted\" \\ ");
            }
            Blob blob = new Blob("big", text.toString());
            store.append(account("big"), ExpectedVersion.noStream(), List.of(blob));
            assertEquals(blob, store.load(account("big")).get(0).data());
            assertEquals(blob, store.readAll(Position.START, 1).get(0).data());
        }

        @Test
        void eventWithoutFieldsRoundTrips() {
            store.append(account("e"), ExpectedVersion.noStream(), List.of(new Pinged(), new Pinged()));
            assertEquals(List.of(new Pinged(), new Pinged()), data(store.load(account("e"))));
        }

        @Test
        void emptyStringsAndEmptyCollectionsRoundTrip() {
            Tagged empty = new Tagged("", List.of(), Map.of(), new Address("", ""), false, 0.0);
            Blob blank = new Blob("", "");
            store.append(account("e"), ExpectedVersion.noStream(), List.of(empty, blank));
            assertEquals(List.of(empty, blank), data(store.load(account("e"))));
        }

        @Test
        void extremeNumbersRoundTrip() {
            List<Object> events = List.of(new Deposited("n", Long.MAX_VALUE), new Deposited("n", Long.MIN_VALUE),
                    new Counted(Integer.MIN_VALUE, Integer.MAX_VALUE),
                    new Tagged("n", List.of(), Map.of("max", Integer.MAX_VALUE), new Address("s", "c"), true,
                            -1.0e-300));
            store.append(account("n"), ExpectedVersion.noStream(), events);
            assertEquals(events, data(store.load(account("n"))));
        }

        @Test
        void manyStreamsEachKeepTheirOwnEvents() {
            int streams = 200 * stressScale();
            for (int i = 0; i < streams; i++) {
                store.append(account("s-" + i), ExpectedVersion.noStream(),
                        List.of(new Counted(i, 0), new Counted(i, 1)));
            }
            for (int i = 0; i < streams; i++) {
                assertEquals(List.of(new Counted(i, 0), new Counted(i, 1)), data(store.load(account("s-" + i))));
            }
            assertEquals(2 * streams, readWholeLog().size());
        }

        @Test
        void thousandsOfEventsInOneStreamLoadInOrder() {
            StreamRef stream = account("long");
            int appends = 30 * stressScale();
            int perAppend = 100;
            for (int a = 0; a < appends; a++) {
                List<Object> batch = new ArrayList<>(perAppend);
                for (int k = 0; k < perAppend; k++) {
                    batch.add(new Counted(0, a * perAppend + k));
                }
                store.append(stream, ExpectedVersion.exactly((long) a * perAppend), batch);
            }
            int total = appends * perAppend;
            List<StoredEvent<Object>> loaded = store.load(stream);
            assertEquals(total, loaded.size());
            for (int i = 0; i < total; i++) {
                assertEquals(i + 1L, loaded.get(i).version());
                assertEquals(new Counted(0, i), loaded.get(i).data());
            }
            assertEquals(range(total - 9L, total), versions(store.load(stream, total - 9L)));
            assertEquals(total, store.streamVersion(stream));
        }

        @Test
        void appendOfTenThousandEventsIsStoredWhole() {
            StreamRef stream = account("huge");
            List<Object> batch = new ArrayList<>(Limits.MAX_EVENTS_PER_APPEND);
            for (int i = 0; i < Limits.MAX_EVENTS_PER_APPEND; i++) {
                batch.add(new Counted(7, i));
            }
            AppendResult result = store.append(stream, ExpectedVersion.noStream(), batch);
            assertEquals(Limits.MAX_EVENTS_PER_APPEND, result.events().size());
            assertEquals(Limits.MAX_EVENTS_PER_APPEND, result.streamVersion());
            List<StoredEvent<Object>> loaded = store.load(stream);
            assertEquals(batch, data(loaded));
            assertEquals(range(1, Limits.MAX_EVENTS_PER_APPEND), versions(loaded));
            List<StoredEvent<Object>> page = store.readAll(Position.START, Limits.MAX_READ_LIMIT);
            assertEquals(Limits.MAX_EVENTS_PER_APPEND, page.size());
            assertStrictlyIncreasingPositions(page);
        }

        @Test
        void readAllWithTheLargestLimitReturnsAtMostThatMany() {
            StreamRef stream = account("over");
            List<Object> batch = new ArrayList<>();
            for (int i = 0; i < Limits.MAX_READ_LIMIT; i++) {
                batch.add(new Counted(1, i));
            }
            store.append(stream, ExpectedVersion.noStream(), batch);
            store.append(stream, ExpectedVersion.any(), List.of(new Counted(1, Limits.MAX_READ_LIMIT)));
            List<StoredEvent<Object>> page = store.readAll(Position.START, Limits.MAX_READ_LIMIT);
            assertEquals(Limits.MAX_READ_LIMIT, page.size());
            List<StoredEvent<Object>> rest = store.readAll(page.get(page.size() - 1).position(), 10);
            assertEquals(List.of(new Counted(1, Limits.MAX_READ_LIMIT)), data(rest));
        }
    }

    // ---------------------------------------------------------------------------------------------------------
    // Bounds
    // ---------------------------------------------------------------------------------------------------------

    /** Every bad input fails with its own exception, and the store is unchanged afterwards. */
    @Nested
    class Bounds {

        private final StreamRef seed = account("seed");

        @BeforeEach
        void seedTheStore() {
            store.append(seed, ExpectedVersion.noStream(), deposits("seed", 2));
        }

        private <T extends Throwable> T rejected(Class<T> type, Runnable action) {
            T error = assertRejectedWithNothingWritten(type, action);
            assertEquals(2, store.streamVersion(seed));
            return error;
        }

        @Test
        void emptyStreamTypeIsRejected() {
            rejected(InvalidStreamException.class,
                    () -> store.append(StreamRef.of("", "1"), ExpectedVersion.any(), deposits("1", 1)));
        }

        @Test
        void emptyStreamIdIsRejected() {
            rejected(InvalidStreamException.class,
                    () -> store.append(StreamRef.of("account", ""), ExpectedVersion.any(), deposits("", 1)));
        }

        @Test
        void streamTypeLongerThanTheLimitIsRejected() {
            rejected(InvalidStreamException.class, () -> store.append(
                    StreamRef.of("t".repeat(Limits.MAX_ID_LENGTH + 1), "1"), ExpectedVersion.any(), deposits("1", 1)));
        }

        @Test
        void streamIdLongerThanTheLimitIsRejected() {
            rejected(InvalidStreamException.class, () -> store.append(
                    StreamRef.of("account", "i".repeat(Limits.MAX_ID_LENGTH + 1)), ExpectedVersion.any(),
                    deposits("1", 1)));
        }

        @Test
        void streamTypeWithANulByteIsRejected() {
            rejected(InvalidStreamException.class,
                    () -> store.append(StreamRef.of("acc\0ount", "1"), ExpectedVersion.any(), deposits("1", 1)));
        }

        @Test
        void streamIdWithANulByteIsRejected() {
            rejected(InvalidStreamException.class,
                    () -> store.append(StreamRef.of("account", "1\0"), ExpectedVersion.any(), deposits("1", 1)));
        }

        @Test
        void emptyAppendIsRejected() {
            rejected(EmptyAppendException.class,
                    () -> store.append(account("a-1"), ExpectedVersion.any(), List.of()));
        }

        @Test
        void moreThanTenThousandEventsAreRejected() {
            List<Object> batch = new ArrayList<>();
            for (int i = 0; i <= Limits.MAX_EVENTS_PER_APPEND; i++) {
                batch.add(new Counted(0, i));
            }
            rejected(BatchTooLargeException.class, () -> store.append(account("a-1"), ExpectedVersion.any(), batch));
            assertEquals(0, store.streamVersion(account("a-1")));
        }

        @Test
        void moreThanOneHundredMetadataExtrasAreRejected() {
            rejected(MetadataTooLargeException.class, () -> {
                Map<String, String> extras = new HashMap<>();
                for (int i = 0; i <= Limits.MAX_METADATA_ENTRIES; i++) {
                    extras.put("k" + i, "v");
                }
                store.append(account("a-1"), ExpectedVersion.any(), deposits("a-1", 1),
                        new Metadata(null, null, null, null, extras));
            });
        }

        @Test
        void metadataLargerThanSixtyFourKibibytesIsRejected() {
            rejected(MetadataTooLargeException.class, () -> store.append(account("a-1"), ExpectedVersion.any(),
                    deposits("a-1", 1), new Metadata("c", null, null, null,
                            Map.of("big", "é".repeat(Limits.MAX_METADATA_BYTES / 2)))));
        }

        @Test
        void unregisteredEventClassInTheMiddleOfABatchWritesNothing() {
            StreamRef stream = account("a-1");
            UnknownEventTypeException error = rejected(UnknownEventTypeException.class,
                    () -> store.append(stream, ExpectedVersion.noStream(),
                            List.of(new Deposited("a-1", 1), new Unregistered("bad"), new Deposited("a-1", 2))));
            assertTrue(error.getMessage().contains(Unregistered.class.getName()), error.getMessage());
            assertEquals(0, store.streamVersion(stream));
            assertEquals(List.of(), store.load(stream));
            // The stream is still fresh: noStream succeeds and versions start at 1.
            assertEquals(1, store.append(stream, ExpectedVersion.noStream(), deposits("a-1", 1)).streamVersion());
        }

        @Test
        void unregisteredEventClassOnAnExistingStreamWritesNothing() {
            rejected(UnknownEventTypeException.class, () -> store.append(seed, ExpectedVersion.exactly(2),
                    List.of(new Deposited("seed", 9), new Unregistered("bad"))));
            assertEquals(3, store.append(seed, ExpectedVersion.exactly(2), deposits("seed", 1)).streamVersion());
        }

        @Test
        void nullEventInABatchIsRejected() {
            List<Object> batch = new ArrayList<>();
            batch.add(new Deposited("a-1", 1));
            batch.add(null);
            rejected(InvalidInputException.class, () -> store.append(account("a-1"), ExpectedVersion.any(), batch));
        }

        @Test
        void invalidIdempotencyKeysAreRejected() {
            for (String key : List.of("", "k".repeat(Limits.MAX_ID_LENGTH + 1), "nul\0key")) {
                rejected(InvalidIdempotencyKeyException.class, () -> store.append(AppendRequest.of(account("a-1"),
                        ExpectedVersion.any(), deposits("a-1", 1)).withIdempotencyKey(key)));
            }
        }

        @Test
        void negativeExpectedVersionIsRejected() {
            rejected(InvalidInputException.class,
                    () -> store.append(account("a-1"), ExpectedVersion.exactly(-1), deposits("a-1", 1)));
        }

        @Test
        void readLimitZeroIsRejected() {
            rejected(InvalidReadLimitException.class, () -> store.readAll(Position.START, 0));
        }

        @Test
        void readLimitAboveTheMaximumIsRejected() {
            rejected(InvalidReadLimitException.class,
                    () -> store.readAll(Position.START, Limits.MAX_READ_LIMIT + 1));
            rejected(InvalidReadLimitException.class, () -> store.readAll(Position.START, -5));
        }

        @Test
        void readLimitIsCheckedEvenWithAFilter() {
            rejected(InvalidReadLimitException.class,
                    () -> store.readAll(Position.START, 0, Set.of(TestEventTypes.DEPOSITED)));
        }

        @Test
        void negativeFromVersionIsRejected() {
            InvalidInputException error = rejected(InvalidInputException.class, () -> store.load(seed, -1));
            assertTrue(error.getMessage().contains("-1"), error.getMessage());
        }

        @Test
        void theLargestValidInputsAreAccepted() {
            Map<String, String> extras = new LinkedHashMap<>();
            for (int i = 0; i < Limits.MAX_METADATA_ENTRIES; i++) {
                extras.put("k" + i, "v" + i);
            }
            StreamRef stream = StreamRef.of("t".repeat(Limits.MAX_ID_LENGTH), "i".repeat(Limits.MAX_ID_LENGTH));
            AppendResult result = store.append(AppendRequest.of(stream, ExpectedVersion.noStream(),
                            deposits("x", 1)).withMetadata(new Metadata(null, null, null, null, extras))
                    .withIdempotencyKey("k".repeat(Limits.MAX_ID_LENGTH)));
            assertEquals(1, result.streamVersion());
            assertEquals(extras, store.load(stream).get(0).metadata().extras());
        }
    }

    // ---------------------------------------------------------------------------------------------------------
    // Stress
    // ---------------------------------------------------------------------------------------------------------

    /** Many writers and readers at once. */
    @Nested
    @Timeout(value = 10, unit = TimeUnit.MINUTES)
    class Stress {

        private static final int WRITERS = 8;
        private static final int READERS = 2;

        /**
         * Reads the global log from the start until {@code writing} is false and a read finds nothing new. Checks as
         * it goes that positions only move forward and that every stream's versions arrive dense and in order
         * (no event is skipped and seen later). Returns the ids in the order read.
         */
        private List<UUID> follow(AtomicBoolean writing, int pageSize) {
            List<UUID> seen = new ArrayList<>();
            Map<StreamRef, Long> lastVersion = new HashMap<>();
            Position after = Position.START;
            while (true) {
                boolean finished = !writing.get();
                List<StoredEvent<Object>> page = store.readAll(after, pageSize);
                for (StoredEvent<Object> event : page) {
                    if (!event.position().isAfter(after)) {
                        throw new AssertionError("reader went backwards: " + event.position() + " after " + after);
                    }
                    long expected = lastVersion.getOrDefault(event.stream(), 0L) + 1;
                    if (event.version() != expected) {
                        throw new AssertionError("reader saw " + event.stream() + " version " + event.version()
                                + " when it expected version " + expected + " (an event was skipped or reordered)");
                    }
                    lastVersion.put(event.stream(), expected);
                    seen.add(event.id());
                    after = event.position();
                }
                if (page.isEmpty() && finished) {
                    return seen;
                }
                if (page.isEmpty()) {
                    Thread.yield();
                }
            }
        }

        private void assertLogIsConsistent(List<StoredEvent<Object>> log) {
            assertStrictlyIncreasingPositions(log);
            Set<UUID> ids = new HashSet<>();
            Map<StreamRef, Long> versions = new HashMap<>();
            for (StoredEvent<Object> event : log) {
                assertTrue(ids.add(event.id()), "event " + event.id() + " appears twice");
                long expected = versions.getOrDefault(event.stream(), 0L) + 1;
                assertEquals(expected, event.version(), "versions of " + event.stream() + " not dense in the log");
                versions.put(event.stream(), expected);
            }
            for (Map.Entry<StreamRef, Long> entry : versions.entrySet()) {
                assertEquals(entry.getValue(), store.streamVersion(entry.getKey()));
            }
        }

        @Test
        void writersOnDistinctStreamsWithConcurrentReadersLoseNothing() {
            int appendsPerWriter = 50 * stressScale();
            AtomicBoolean writing = new AtomicBoolean(true);
            CountDownLatch writersDone = new CountDownLatch(WRITERS);
            List<Object> results = runConcurrently(WRITERS + READERS, task -> () -> {
                if (task >= WRITERS) {
                    return follow(writing, 37);
                }
                try {
                    StreamRef stream = StreamRef.of("stress", "writer-" + task);
                    for (int i = 0; i < appendsPerWriter; i++) {
                        store.append(stream, ExpectedVersion.exactly(i), List.of(new Counted(task, i)));
                    }
                    return null;
                } finally {
                    writersDone.countDown();
                    if (writersDone.getCount() == 0) {
                        writing.set(false);
                    }
                }
            });
            List<StoredEvent<Object>> log = readWholeLog();
            assertEquals(WRITERS * appendsPerWriter, log.size());
            assertLogIsConsistent(log);
            for (int w = 0; w < WRITERS; w++) {
                List<Object> expected = new ArrayList<>();
                for (int i = 0; i < appendsPerWriter; i++) {
                    expected.add(new Counted(w, i));
                }
                assertEquals(expected, data(store.load(StreamRef.of("stress", "writer-" + w))));
            }
            for (int r = WRITERS; r < WRITERS + READERS; r++) {
                assertEquals(ids(log), results.get(r), "reader " + r + " did not see exactly the whole log");
            }
        }

        @Test
        void writersOnOneSharedStreamWithRetriesAndConcurrentReadersLoseNothing() {
            int appendsPerWriter = 20 * stressScale();
            StreamRef shared = StreamRef.of("stress", "shared");
            AtomicBoolean writing = new AtomicBoolean(true);
            CountDownLatch writersDone = new CountDownLatch(WRITERS);
            List<Object> results = runConcurrently(WRITERS + READERS, task -> () -> {
                if (task >= WRITERS) {
                    return follow(writing, 16);
                }
                try {
                    for (int i = 0; i < appendsPerWriter; i++) {
                        appendWithRetry(shared, new Counted(task, i), 10_000);
                    }
                    return null;
                } finally {
                    writersDone.countDown();
                    if (writersDone.getCount() == 0) {
                        writing.set(false);
                    }
                }
            });
            List<StoredEvent<Object>> loaded = store.load(shared);
            assertEquals(WRITERS * appendsPerWriter, loaded.size());
            assertEquals(range(1, loaded.size()), versions(loaded));
            Map<Integer, List<Integer>> byWriter = new HashMap<>();
            for (StoredEvent<Object> event : loaded) {
                Counted counted = (Counted) event.data();
                byWriter.computeIfAbsent(counted.writer(), w -> new ArrayList<>()).add(counted.sequence());
            }
            for (int w = 0; w < WRITERS; w++) {
                List<Integer> expected = new ArrayList<>();
                for (int i = 0; i < appendsPerWriter; i++) {
                    expected.add(i);
                }
                assertEquals(expected, byWriter.get(w), "writer " + w);
            }
            List<StoredEvent<Object>> log = readWholeLog();
            assertLogIsConsistent(log);
            for (int r = WRITERS; r < WRITERS + READERS; r++) {
                assertEquals(ids(log), results.get(r), "reader " + r + " did not see exactly the whole log");
            }
        }

        @Test
        void mixedWritersOnSharedAndPrivateStreamsKeepEveryStreamDense() {
            int rounds = 25 * stressScale();
            StreamRef hot = StreamRef.of("stress", "hot");
            AtomicBoolean writing = new AtomicBoolean(true);
            CountDownLatch writersDone = new CountDownLatch(WRITERS);
            List<Object> results = runConcurrently(WRITERS + READERS, task -> () -> {
                if (task >= WRITERS) {
                    return follow(writing, 100);
                }
                try {
                    StreamRef own = StreamRef.of("stress", "own-" + task);
                    for (int i = 0; i < rounds; i++) {
                        // Own stream, a batch of two with an exact version; the hot stream with any().
                        store.append(own, ExpectedVersion.exactly(2L * i),
                                List.of(new Counted(task, 2 * i), new Counted(task, 2 * i + 1)));
                        store.append(AppendRequest.of(hot, ExpectedVersion.any(), List.of(new Counted(task, i)))
                                .withMetadata(Metadata.correlatedBy("w" + task + "-" + i))
                                .withIdempotencyKey("hot-" + task + "-" + i));
                        if (i % 5 == 0) {
                            // Retrying an earlier idempotent append must not write again.
                            AppendResult again = store.append(AppendRequest.of(hot, ExpectedVersion.any(),
                                    List.of(new Counted(task, i))).withIdempotencyKey("hot-" + task + "-" + i));
                            assertTrue(again.duplicate());
                        }
                    }
                    return null;
                } finally {
                    writersDone.countDown();
                    if (writersDone.getCount() == 0) {
                        writing.set(false);
                    }
                }
            });
            List<StoredEvent<Object>> log = readWholeLog();
            assertEquals(WRITERS * rounds * 3, log.size());
            assertLogIsConsistent(log);
            assertEquals(WRITERS * rounds, store.streamVersion(hot));
            for (StoredEvent<Object> event : store.load(hot)) {
                Counted counted = (Counted) event.data();
                assertEquals("w" + counted.writer() + "-" + counted.sequence(), event.metadata().correlationId());
            }
            for (int r = WRITERS; r < WRITERS + READERS; r++) {
                assertEquals(ids(log), results.get(r), "reader " + r + " did not see exactly the whole log");
            }
        }
    }
}
