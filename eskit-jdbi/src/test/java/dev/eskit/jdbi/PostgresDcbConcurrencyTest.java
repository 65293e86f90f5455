package dev.eskit.jdbi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.eskit.Decider;
import dev.eskit.ExpectedVersion;
import dev.eskit.Position;
import dev.eskit.StoredEvent;
import dev.eskit.StreamRef;
import dev.eskit.codec.JsonEventCodec;
import dev.eskit.command.RetryPolicy;
import dev.eskit.dcb.AppendCondition;
import dev.eskit.dcb.AppendConditionFailedException;
import dev.eskit.dcb.DcbCommandHandler;
import dev.eskit.dcb.DcbDecider;
import dev.eskit.dcb.DcbEventStore;
import dev.eskit.dcb.Query;
import dev.eskit.dcb.QueryItem;
import dev.eskit.dcb.Tag;
import dev.eskit.testkit.dcb.DcbTestEvents;
import dev.eskit.testkit.dcb.DcbTestEvents.CourseDefined;
import dev.eskit.testkit.dcb.DcbTestEvents.StudentSubscribed;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * DCB appends racing on PostgreSQL: disjoint boundaries hold their locks at the same time, overlapping ones wait for
 * each other and never both succeed, and a hammer of subscriptions never breaks a course's capacity or a student's
 * course limit.
 */
class PostgresDcbConcurrencyTest {

    @RegisterExtension
    static final Databases DB = Databases.postgres();

    private static final long WAIT_SECONDS = 60;

    private JdbiEventStore open(Consumer<StreamRef> hook) {
        return DB.track(DB.newLocation().builder(JsonEventCodec.create(DcbTestEvents.types()))
                .maxConnections(16).appendHook(hook::accept).build());
    }

    private static Query course(String id) {
        return Query.of(QueryItem.types(DcbTestEvents.COURSE_DEFINED, DcbTestEvents.STUDENT_SUBSCRIBED)
                .withTags(Tag.of("course", id)));
    }

    private static void await(CountDownLatch latch, String what) {
        try {
            if (!latch.await(WAIT_SECONDS, TimeUnit.SECONDS)) {
                throw new IllegalStateException("Timed out waiting until " + what);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Test
    void disjointBoundariesHoldTheirLocksAtTheSameTime() throws Exception {
        // Each DCB append waits, inside its transaction and holding its boundary locks, until both are inside. If
        // the two boundaries serialized each other, the second could never get inside and both would time out.
        CountDownLatch bothInside = new CountDownLatch(2);
        JdbiEventStore store = open(stream -> {
            if (stream.type().equals(DcbEventStore.DCB_STREAM_TYPE)) {
                bothInside.countDown();
                await(bothInside, "both appends hold their locks");
            }
        });
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            Future<?> c1 = pool.submit(() -> store.append(List.of(new StudentSubscribed("c1", "s1")),
                    AppendCondition.failIfEventsMatch(course("c1"))));
            Future<?> c2 = pool.submit(() -> store.append(List.of(new StudentSubscribed("c2", "s2")),
                    AppendCondition.failIfEventsMatch(course("c2"))));
            c1.get(WAIT_SECONDS * 2, TimeUnit.SECONDS);
            c2.get(WAIT_SECONDS * 2, TimeUnit.SECONDS);
            assertEquals(0, bothInside.getCount());
            assertEquals(2, store.read(Query.all(), Position.START, 10).size());
        } finally {
            bothInside.countDown();
            bothInside.countDown();
            pool.shutdownNow();
        }
    }

    @Test
    void overlappingBoundariesWaitForEachOtherAndTheSecondFails() throws Exception {
        CountDownLatch firstInside = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        AtomicInteger inside = new AtomicInteger();
        JdbiEventStore store = open(stream -> {
            if (stream.type().equals(DcbEventStore.DCB_STREAM_TYPE) && inside.incrementAndGet() == 1) {
                firstInside.countDown();
                await(release, "the test releases the first append");
            }
        });
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            Future<?> first = pool.submit(() -> store.append(List.of(new StudentSubscribed("c1", "s1")),
                    AppendCondition.failIfEventsMatch(course("c1"))));
            await(firstInside, "the first append holds its locks");
            Future<?> second = pool.submit(() -> store.append(List.of(new StudentSubscribed("c1", "s2")),
                    AppendCondition.failIfEventsMatch(course("c1"))));
            awaitWaitingOn(store, exclusiveKeys(store, course("c1")));
            assertEquals(1, inside.get(), "the second append must not get past the locks the first holds");
            release.countDown();
            first.get(WAIT_SECONDS, TimeUnit.SECONDS);
            ExecutionException failure = assertThrows(ExecutionException.class,
                    () -> second.get(WAIT_SECONDS, TimeUnit.SECONDS));
            assertInstanceOf(AppendConditionFailedException.class, failure.getCause());
            assertEquals(List.of(new StudentSubscribed("c1", "s1")),
                    store.read(Query.all(), Position.START, 10).stream().map(StoredEvent::data).toList());
        } finally {
            release.countDown();
            pool.shutdownNow();
        }
    }

    @Test
    void aStreamAppendIntoAHeldBoundaryWaitsAndTheConditionWins() throws Exception {
        CountDownLatch inside = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        JdbiEventStore store = open(stream -> {
            if (stream.type().equals(DcbEventStore.DCB_STREAM_TYPE)) {
                inside.countDown();
                await(release, "the test releases the DCB append");
            }
        });
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            Future<?> dcb = pool.submit(() -> store.append(List.of(new CourseDefined("c7", 1)),
                    AppendCondition.failIfEventsMatch(course("c7"))));
            await(inside, "the DCB append holds its locks");
            StreamRef stream = StreamRef.of("course", "c7");
            Future<?> plain = pool.submit(() -> store.append(stream, ExpectedVersion.any(),
                    List.of(new StudentSubscribed("c7", "s1"))));
            awaitWaitingOn(store, exclusiveKeys(store, course("c7")));
            assertEquals(List.of(), store.load(stream));
            release.countDown();
            dcb.get(WAIT_SECONDS, TimeUnit.SECONDS);
            plain.get(WAIT_SECONDS, TimeUnit.SECONDS);
            List<Object> log = store.read(course("c7")).stream().map(StoredEvent::data).toList();
            assertEquals(List.of(new CourseDefined("c7", 1), new StudentSubscribed("c7", "s1")), log);
        } finally {
            release.countDown();
            pool.shutdownNow();
        }
    }

    @Test
    void anImportIntoAHeldBoundaryWaitsAndLandsAfterTheCondition() throws Exception {
        CountDownLatch inside = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        JdbiEventStore store = open(stream -> {
            if (stream.type().equals(DcbEventStore.DCB_STREAM_TYPE)) {
                inside.countDown();
                await(release, "the test releases the DCB append");
            }
        });
        RawEvent imported = new RawEvent(java.util.UUID.randomUUID(), StreamRef.of("enrolment", "e-9"), 1,
                DcbTestEvents.STUDENT_SUBSCRIBED, 1, Position.START, java.time.Instant.parse("2024-01-02T03:04:05Z"),
                null, "{\"courseId\":\"c8\",\"studentId\":\"s9\"}".getBytes(
                        java.nio.charset.StandardCharsets.UTF_8),
                List.of(Tag.of("course", "c8"), Tag.of("student", "s9")));
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            Future<?> dcb = pool.submit(() -> store.append(List.of(new CourseDefined("c8", 1)),
                    AppendCondition.failIfEventsMatch(course("c8"))));
            await(inside, "the DCB append holds its locks");
            Future<Integer> importing = pool.submit(() -> store.raw().importEvents(List.of(imported)));
            awaitWaitingOn(store, exclusiveKeys(store, course("c8")));
            assertEquals(0, store.raw().stats().events(), "the import must wait for the boundary");
            release.countDown();
            dcb.get(WAIT_SECONDS, TimeUnit.SECONDS);
            assertEquals(1, importing.get(WAIT_SECONDS, TimeUnit.SECONDS));
            List<StoredEvent<Object>> boundary = store.read(course("c8"));
            assertEquals(List.of(new CourseDefined("c8", 1), new StudentSubscribed("c8", "s9")),
                    boundary.stream().map(StoredEvent::data).toList());
            // A decision made after the conditional append's event sees the imported one.
            assertThrows(AppendConditionFailedException.class, () -> store.append(List.of(
                    new StudentSubscribed("c8", "s1")), AppendCondition.failIfEventsMatch(course("c8"),
                    boundary.get(0).position())));
        } finally {
            release.countDown();
            pool.shutdownNow();
        }
    }

    private static Set<Long> exclusiveKeys(JdbiEventStore store, Query query) {
        BoundaryLocks.Keys keys = new BoundaryLocks(store.tableNames().events()).condition(query).keys();
        Set<Long> result = new HashSet<>();
        for (long key : keys.keys()) {
            result.add(key);
        }
        return result;
    }

    /** Polls pg_locks (with a deadline) until some session waits for an advisory lock on one of {@code keys}. */
    private static void awaitWaitingOn(JdbiEventStore store, Set<Long> keys) throws SQLException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_SECONDS);
        try (Connection connection = java.sql.DriverManager.getConnection(Databases.postgresUrl());
             PreparedStatement query = connection.prepareStatement("SELECT (classid::bigint << 32) | objid::bigint"
                     + " FROM pg_locks WHERE locktype = 'advisory' AND NOT granted AND objsubid = 1"
                     + " AND database = (SELECT oid FROM pg_database WHERE datname = current_database())")) {
            while (true) {
                try (ResultSet rows = query.executeQuery()) {
                    while (rows.next()) {
                        if (keys.contains(rows.getLong(1))) {
                            return;
                        }
                    }
                }
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("No session waited for the boundary locks " + keys);
                }
                Thread.onSpinWait();
            }
        }
    }

    // ------------------------------------------------------------------------------------------------- hammer

    record Subscribe(String courseId, String studentId) {
    }

    /** Capacity per course, subscriptions per course and per student, and who is in which course. */
    record Seats(Map<String, Integer> capacity, Map<String, Integer> perCourse, Map<String, Integer> perStudent,
                 Set<String> pairs) {
        Seats with(Object event) {
            Map<String, Integer> cap = new HashMap<>(capacity);
            Map<String, Integer> course = new HashMap<>(perCourse);
            Map<String, Integer> student = new HashMap<>(perStudent);
            Set<String> all = new HashSet<>(pairs);
            if (event instanceof CourseDefined d) {
                cap.put(d.courseId(), d.capacity());
            } else if (event instanceof StudentSubscribed s && all.add(s.courseId() + "/" + s.studentId())) {
                course.merge(s.courseId(), 1, Integer::sum);
                student.merge(s.studentId(), 1, Integer::sum);
            }
            return new Seats(cap, course, student, all);
        }
    }

    static final int CAPACITY = 3;
    static final int STUDENT_LIMIT = 2;

    static final DcbDecider<Seats, Subscribe, Object> SUBSCRIBE = DcbDecider.of(Decider.of(
            () -> new Seats(Map.of(), Map.of(), Map.of(), Set.of()),
            (Seats s, Subscribe c) -> {
                if (!s.capacity().containsKey(c.courseId()) || s.pairs().contains(c.courseId() + "/" + c.studentId())
                        || s.perCourse().getOrDefault(c.courseId(), 0) >= s.capacity().get(c.courseId())
                        || s.perStudent().getOrDefault(c.studentId(), 0) >= STUDENT_LIMIT) {
                    return List.of();
                }
                return List.of(new StudentSubscribed(c.courseId(), c.studentId()));
            },
            Seats::with), Object.class, c -> Query.of(
            QueryItem.types(DcbTestEvents.COURSE_DEFINED, DcbTestEvents.STUDENT_SUBSCRIBED)
                    .withTags(Tag.of("course", c.courseId())),
            QueryItem.types(DcbTestEvents.STUDENT_SUBSCRIBED).withTags(Tag.of("student", c.studentId()))));

    @Test
    void racingSubscriptionsNeverBreakCapacityOrStudentLimits() throws Exception {
        JdbiEventStore store = open(stream -> {
        });
        int courses = 4;
        int students = 10;
        for (int c = 0; c < courses; c++) {
            store.append(StreamRef.of("course", "c" + c), ExpectedVersion.noStream(),
                    List.of(new CourseDefined("c" + c, CAPACITY)));
        }
        DcbCommandHandler<Seats, Subscribe, Object> handler = DcbCommandHandler.of(store, SUBSCRIBE,
                RetryPolicy.attempts(100));
        int threads = 8;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<Integer>> done = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                done.add(pool.submit(() -> {
                    start.await();
                    int conflicts = 0;
                    ThreadLocalRandom random = ThreadLocalRandom.current();
                    for (int i = 0; i < 25; i++) {
                        Subscribe command = new Subscribe("c" + random.nextInt(courses), "s" + random.nextInt(students));
                        conflicts += handler.handle(command).attempts() - 1;
                    }
                    return conflicts;
                }));
            }
            start.countDown();
            for (Future<Integer> future : done) {
                future.get(300, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        Map<String, Integer> perCourse = new HashMap<>();
        Map<String, Integer> perStudent = new HashMap<>();
        Set<String> pairs = new HashSet<>();
        for (StoredEvent<Object> event : store.read(Query.of(QueryItem.types(DcbTestEvents.STUDENT_SUBSCRIBED)))) {
            StudentSubscribed s = (StudentSubscribed) event.data();
            assertTrue(pairs.add(s.courseId() + "/" + s.studentId()), "subscribed twice: " + s);
            perCourse.merge(s.courseId(), 1, Integer::sum);
            perStudent.merge(s.studentId(), 1, Integer::sum);
        }
        perCourse.forEach((c, n) -> assertTrue(n <= CAPACITY, c + " has " + n + " students"));
        perStudent.forEach((s, n) -> assertTrue(n <= STUDENT_LIMIT, s + " is in " + n + " courses"));
        assertTrue(pairs.size() > 0);
    }
}
