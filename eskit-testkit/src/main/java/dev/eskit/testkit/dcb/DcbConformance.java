package dev.eskit.testkit.dcb;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.eskit.AppendResult;
import dev.eskit.EmptyAppendException;
import dev.eskit.ExpectedVersion;
import dev.eskit.InvalidReadLimitException;
import dev.eskit.Metadata;
import dev.eskit.Position;
import dev.eskit.StoredEvent;
import dev.eskit.StreamRef;
import dev.eskit.UnknownEventTypeException;
import dev.eskit.codec.EventTypes;
import dev.eskit.dcb.AppendCondition;
import dev.eskit.dcb.AppendConditionFailedException;
import dev.eskit.dcb.DcbEventStore;
import dev.eskit.dcb.Query;
import dev.eskit.dcb.QueryItem;
import dev.eskit.dcb.Tag;
import dev.eskit.dcb.TaggedEvent;
import dev.eskit.testkit.dcb.DcbTestEvents.CourseDefined;
import dev.eskit.testkit.dcb.DcbTestEvents.NameClaimed;
import dev.eskit.testkit.dcb.DcbTestEvents.Noted;
import dev.eskit.testkit.dcb.DcbTestEvents.StudentSubscribed;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The behaviour every {@link DcbEventStore} must have: query semantics (types OR-ed, tags AND-ed, items OR-ed,
 * {@code after} exclusive, {@link Query#all()}), append conditions, tags from extractors and explicit tags, one global
 * log shared with stream appends, and one winner among racing appends on one boundary. Extend it and supply a fresh
 * store per test:
 *
 * <pre>{@code
 * class SqliteDcbConformanceTest extends DcbConformance {
 *     @Override
 *     protected DcbEventStore createStore(EventTypes types) { return JdbiEventStore.sqlite(url, types); }
 * }
 * }</pre>
 */
public abstract class DcbConformance {

    private static final Tag C1 = Tag.of("course", "c1");
    private static final Tag C2 = Tag.of("course", "c2");
    private static final Tag S1 = Tag.of("student", "s1");

    /** The store of the running test. */
    protected DcbEventStore store;

    /** A fresh, empty store that knows {@code types}. */
    protected abstract DcbEventStore createStore(EventTypes types);

    /** Opens the store. */
    @BeforeEach
    protected final void openDcbStore() {
        store = createStore(DcbTestEvents.types());
    }

    /** Closes the store. */
    @AfterEach
    protected final void closeDcbStore() {
        store.close();
    }

    private List<Object> data(List<StoredEvent<Object>> events) {
        return events.stream().map(StoredEvent::data).toList();
    }

    private List<Object> read(Query query) {
        return data(store.read(query, Position.START, 100));
    }

    private void seedCourses() {
        store.append(List.of(new CourseDefined("c1", 10), new CourseDefined("c2", 5),
                new StudentSubscribed("c1", "s1"), new StudentSubscribed("c2", "s1"),
                new StudentSubscribed("c1", "s2"), new Noted("hello")), null);
    }

    @Test
    void anEmptyStoreReadsNothing() {
        assertEquals(List.of(), store.read(Query.all(), Position.START, 10));
        assertEquals(List.of(), store.read(Query.of(QueryItem.types(DcbTestEvents.COURSE_DEFINED)), Position.START,
                10));
    }

    @Test
    void typesOfAnItemAreOred() {
        seedCourses();
        assertEquals(List.of(new CourseDefined("c1", 10), new CourseDefined("c2", 5), new Noted("hello")),
                read(Query.of(QueryItem.types(DcbTestEvents.COURSE_DEFINED, DcbTestEvents.NOTED))));
    }

    @Test
    void tagsOfAnItemAreAnded() {
        seedCourses();
        assertEquals(List.of(new StudentSubscribed("c1", "s1")), read(Query.of(QueryItem.tags(C1, S1))));
        assertEquals(List.of(new StudentSubscribed("c1", "s1"), new StudentSubscribed("c2", "s1")),
                read(Query.of(QueryItem.tags(S1))));
    }

    @Test
    void typesAndTagsOfAnItemMustBothMatch() {
        seedCourses();
        assertEquals(List.of(new CourseDefined("c1", 10)),
                read(Query.of(QueryItem.types(DcbTestEvents.COURSE_DEFINED).withTags(C1))));
    }

    @Test
    void itemsAreOredAndEachEventIsReadOnce() {
        seedCourses();
        Query query = Query.of(QueryItem.types(DcbTestEvents.COURSE_DEFINED).withTags(C2),
                QueryItem.types(DcbTestEvents.STUDENT_SUBSCRIBED).withTags(S1),
                QueryItem.tags(C2));
        assertEquals(List.of(new CourseDefined("c2", 5), new StudentSubscribed("c1", "s1"),
                new StudentSubscribed("c2", "s1")), read(query));
    }

    @Test
    void queryAllReadsEveryEventInLogOrder() {
        seedCourses();
        List<StoredEvent<Object>> all = store.read(Query.all(), Position.START, 100);
        assertEquals(6, all.size());
        assertEquals(store.readAll(Position.START, 100).stream().map(StoredEvent::position).toList(),
                all.stream().map(StoredEvent::position).toList());
    }

    @Test
    void afterIsExclusiveAndLimitPages() {
        seedCourses();
        Query courses = Query.of(QueryItem.tags(C1));
        List<StoredEvent<Object>> first = store.read(courses, Position.START, 2);
        assertEquals(List.of(new CourseDefined("c1", 10), new StudentSubscribed("c1", "s1")), data(first));
        List<StoredEvent<Object>> rest = store.read(courses, first.get(1).position(), 2);
        assertEquals(List.of(new StudentSubscribed("c1", "s2")), data(rest));
        assertEquals(List.of(), store.read(courses, rest.get(0).position(), 2));
        assertThrows(InvalidReadLimitException.class, () -> store.read(courses, Position.START, 0));
    }

    @Test
    void eventsAppendedToStreamsCarryTheirTagsToo() {
        store.append(StreamRef.of("course", "c9"), ExpectedVersion.noStream(), List.of(new CourseDefined("c9", 3)));
        assertEquals(List.of(new CourseDefined("c9", 3)), read(Query.of(QueryItem.tags(Tag.of("course", "c9")))));
    }

    @Test
    void explicitTagsAreAddedToExtractedOnes() {
        store.append(List.of(TaggedEvent.of(new Noted("x"), Tag.of("topic", "a")),
                TaggedEvent.of(new CourseDefined("c1", 1), Tag.of("term", "2026"))), null);
        assertEquals(List.of(new Noted("x")), read(Query.of(QueryItem.tags(Tag.of("topic", "a")))));
        assertEquals(List.of(new CourseDefined("c1", 1)), read(Query.of(QueryItem.tags(C1, Tag.of("term", "2026")))));
    }

    @Test
    void dcbAppendsGoToAFreshStreamInTheSharedGlobalLog() {
        store.append(StreamRef.of("x", "1"), ExpectedVersion.noStream(), List.of(new Noted("stream")));
        AppendResult result = store.append(List.of(new Noted("a"), new Noted("b")), null, Metadata.correlatedBy("r"));
        StreamRef stream = result.events().get(0).stream();
        assertEquals(DcbEventStore.DCB_STREAM_TYPE, stream.type());
        assertEquals(List.of(1L, 2L), result.events().stream().map(StoredEvent::version).toList());
        assertEquals(List.of(stream, stream), result.events().stream().map(StoredEvent::stream).toList());
        assertEquals(List.of(new Noted("a"), new Noted("b")), data(store.load(stream)));
        assertEquals("r", store.load(stream).get(0).metadata().correlationId());
        List<StoredEvent<Object>> log = store.readAll(Position.START, 10);
        assertEquals(3, log.size());
        assertEquals(result.events().get(1).position(), log.get(2).position());
        assertTrue(log.get(2).position().isAfter(log.get(0).position()));
    }

    @Test
    void aConditionWithoutPositionFailsWhenAnyEventMatches() {
        Query name = Query.of(QueryItem.types(DcbTestEvents.NAME_CLAIMED).withTags(Tag.of("username", "alice")));
        store.append(List.of(new NameClaimed("alice", "u1")), AppendCondition.failIfEventsMatch(name));
        AppendConditionFailedException failure = assertThrows(AppendConditionFailedException.class,
                () -> store.append(List.of(new NameClaimed("alice", "u2")), AppendCondition.failIfEventsMatch(name)));
        assertEquals(name, failure.condition().query());
        assertEquals(List.of(new NameClaimed("alice", "u1")), read(Query.all()));
    }

    @Test
    void aConditionFailsOnlyForMatchingEventsAfterItsPosition() {
        seedCourses();
        Query c1 = Query.of(QueryItem.tags(C1));
        List<StoredEvent<Object>> read = store.read(c1, Position.START, 100);
        Position last = read.get(read.size() - 1).position();
        // Events outside the boundary do not fail it.
        store.append(List.of(new StudentSubscribed("c2", "s3"), new Noted("n")), null);
        store.append(List.of(new StudentSubscribed("c1", "s3")), AppendCondition.failIfEventsMatch(c1, last));
        // Now the boundary has an event after "last".
        assertThrows(AppendConditionFailedException.class, () -> store.append(
                List.of(new StudentSubscribed("c1", "s4")), AppendCondition.failIfEventsMatch(c1, last)));
        assertEquals(1, read(Query.of(QueryItem.tags(Tag.of("student", "s3")).withTags(C1))).size());
        assertEquals(List.of(), read(Query.of(QueryItem.tags(Tag.of("student", "s4")))));
    }

    @Test
    void aConditionSeesEventsAppendedToStreams() {
        Query c5 = Query.of(QueryItem.tags(Tag.of("course", "c5")));
        store.append(StreamRef.of("course", "c5"), ExpectedVersion.noStream(), List.of(new CourseDefined("c5", 1)));
        assertThrows(AppendConditionFailedException.class,
                () -> store.append(List.of(new Noted("x")), AppendCondition.failIfEventsMatch(c5)));
    }

    @Test
    void aConditionOnAnEmptyStoreHolds() {
        store.append(List.of(new Noted("first")), AppendCondition.failIfEventsMatch(Query.all()));
        assertEquals(List.of(new Noted("first")), read(Query.all()));
        assertThrows(AppendConditionFailedException.class,
                () -> store.append(List.of(new Noted("second")), AppendCondition.failIfEventsMatch(Query.all())));
    }

    @Test
    void badAppendsWriteNothing() {
        assertThrows(EmptyAppendException.class, () -> store.append(List.of(), null));
        record Stranger() {
        }
        assertThrows(UnknownEventTypeException.class, () -> store.append(List.of(new Noted("ok"), new Stranger()),
                null));
        assertEquals(List.of(), store.readAll(Position.START, 10));
    }

    /** Threads race to claim one name each round; exactly one wins every round. */
    @Test
    void racingAppendsOnOneBoundaryHaveExactlyOneWinner() throws Exception {
        int threads = 6;
        int rounds = 15;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            for (int round = 0; round < rounds; round++) {
                String name = "name-" + round;
                Query query = Query.of(QueryItem.types(DcbTestEvents.NAME_CLAIMED).withTags(Tag.of("username", name)));
                CountDownLatch ready = new CountDownLatch(threads);
                CountDownLatch go = new CountDownLatch(1);
                List<Future<Boolean>> results = new ArrayList<>();
                for (int t = 0; t < threads; t++) {
                    String user = "u" + t;
                    results.add(pool.submit(() -> {
                        List<StoredEvent<Object>> seen = store.read(query, Position.START, 10);
                        Position after = seen.isEmpty() ? null : seen.get(seen.size() - 1).position();
                        ready.countDown();
                        go.await();
                        if (!seen.isEmpty()) {
                            return false;
                        }
                        try {
                            store.append(List.of(new NameClaimed(name, user)),
                                    AppendCondition.failIfEventsMatch(query, after));
                            return true;
                        } catch (AppendConditionFailedException lost) {
                            return false;
                        }
                    }));
                }
                assertTrue(ready.await(60, TimeUnit.SECONDS));
                go.countDown();
                int winners = 0;
                for (Future<Boolean> result : results) {
                    winners += result.get(60, TimeUnit.SECONDS) ? 1 : 0;
                }
                assertEquals(1, winners, "round " + round);
                assertEquals(1, store.read(query, Position.START, 10).size());
            }
        } finally {
            pool.shutdownNow();
        }
    }
}
