package dev.eskit.jdbi;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.eskit.ExpectedVersion;
import dev.eskit.Metadata;
import dev.eskit.Position;
import dev.eskit.StoredEvent;
import dev.eskit.StreamRef;
import dev.eskit.StreamStatus;
import dev.eskit.codec.EventTypes;
import dev.eskit.codec.JsonEventCodec;
import dev.eskit.dcb.AppendCondition;
import dev.eskit.dcb.AppendConditionFailedException;
import dev.eskit.dcb.Query;
import dev.eskit.dcb.QueryItem;
import dev.eskit.dcb.Tag;
import dev.eskit.jdbi.TestEvents.Deposited;
import dev.eskit.jdbi.TestEvents.Withdrawn;
import dev.eskit.testkit.dcb.DcbTestEvents;
import dev.eskit.testkit.dcb.DcbTestEvents.CourseDefined;
import dev.eskit.testkit.dcb.DcbTestEvents.Noted;
import dev.eskit.testkit.dcb.DcbTestEvents.StudentSubscribed;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** {@link RawEventAccess}: undecoded reads, listings, counts and the id-preserving import, on one database kind. */
abstract class RawEventAccessContract {

    static final StreamRef A = StreamRef.of("account", "a-1");
    static final StreamRef B = StreamRef.of("account", "b-2");
    static final StreamRef C = StreamRef.of("ledger", "c-3");

    abstract Databases db();

    /**
     * The whole log once at least {@code count} events are readable. On PostgreSQL the log is read below the oldest
     * running transaction of the whole server, so another session's open transaction holds new events back for a
     * while; this waits for them (up to 30 seconds).
     */
    static List<RawEvent> awaitLog(JdbiEventStore store, int count) {
        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(30);
        while (true) {
            List<RawEvent> log = store.raw().readAll(Position.START, 10_000, Set.of());
            if (log.size() >= count) {
                return log;
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("Only " + log.size() + " of " + count + " events became readable in 30 s.");
            }
            java.util.concurrent.locks.LockSupport.parkNanos(10_000_000L);
        }
    }

    /** Interleaved appends to three streams, with metadata on some; 9 events in all. */
    private static JdbiEventStore fill(JdbiEventStore store) {
        store.append(A, ExpectedVersion.noStream(), List.of(new Deposited("a-1", 1), new Deposited("a-1", 2)),
                Metadata.correlatedBy("req-1").with("tenant", "t1"));
        store.append(B, ExpectedVersion.noStream(), List.of(new Deposited("b-2", 3)));
        store.append(C, ExpectedVersion.noStream(), List.of(new Withdrawn("c-3", 4)), Metadata.correlatedBy("req-2"));
        store.append(A, ExpectedVersion.exactly(2), List.of(new Withdrawn("a-1", 1)));
        store.append(B, ExpectedVersion.exactly(1), List.of(new Deposited("b-2", 5), new Deposited("b-2", 6),
                new Withdrawn("b-2", 7)), Metadata.correlatedBy("req-3"));
        store.append(C, ExpectedVersion.exactly(1), List.of(new Deposited("c-3", 8)));
        return store;
    }

    @Test
    void readAllReturnsTheStoredJsonWithoutKnowingTheEventTypes() {
        Databases.Location location = db().newLocation();
        awaitLog(fill(db().open(location)), 9);
        JdbiEventStore blind = db().track(location.builder(JsonEventCodec.create(EventTypes.builder().build()))
                .build());
        List<RawEvent> log = blind.raw().readAll(Position.START, 100, Set.of());
        assertEquals(9, log.size());
        RawEvent first = log.get(0);
        assertEquals(A, first.stream());
        assertEquals("test.Deposited", first.eventType());
        assertEquals("{\"account\":\"a-1\",\"cents\":1}", first.dataText());
        assertTrue(first.metadataText().contains("req-1"), first.metadataText());
        assertEquals(null, log.get(2).metadata());
        assertEquals(List.of("test.Withdrawn", "test.Withdrawn", "test.Withdrawn"),
                blind.raw().readAll(Position.START, 100, Set.of("test.Withdrawn")).stream()
                        .map(RawEvent::eventType).toList());
    }

    @Test
    void rawReadsMatchDecodedReadsFieldByField() {
        JdbiEventStore store = db().newStore();
        awaitLog(fill(store), 9);
        List<StoredEvent<Object>> decoded = store.readAll(Position.START, 100);
        List<RawEvent> raw = store.raw().readAll(Position.START, 100, Set.of());
        for (int i = 0; i < decoded.size(); i++) {
            StoredEvent<Object> d = decoded.get(i);
            RawEvent r = raw.get(i);
            assertEquals(List.of(d.id(), d.stream(), d.version(), d.eventType(), d.position(), d.timestamp()),
                    List.of(r.id(), r.stream(), r.version(), r.eventType(), r.position(), r.timestamp()));
        }
        assertEquals(List.of(2L, 3L), store.raw().load(A, 2, 10).stream().map(RawEvent::version).toList());
        assertEquals(List.of(1L), store.raw().load(A, 1, 1).stream().map(RawEvent::version).toList());
    }

    @Test
    void atFindsTheEventAtAPositionAndNothingBetweenPositions() {
        JdbiEventStore store = db().newStore();
        awaitLog(fill(store), 9);
        List<RawEvent> log = store.raw().readAll(Position.START, 100, Set.of());
        for (RawEvent event : log) {
            assertEquals(event.id(), store.raw().at(event.position()).orElseThrow().id());
        }
        RawEvent last = log.get(log.size() - 1);
        assertTrue(store.raw().at(new Position(last.position().commitOrder(), last.position().sequence() + 1000))
                .isEmpty());
        assertTrue(store.raw().at(Position.START).isEmpty());
    }

    @Test
    void streamsArePagedByTypeAndIdAndFilteredByType() {
        JdbiEventStore store = db().newStore();
        awaitLog(fill(store), 9);
        store.archive(C);
        List<StreamInfo> all = store.raw().streams(null, null, 100);
        assertEquals(List.of(new StreamInfo(A, 3, StreamStatus.ACTIVE), new StreamInfo(B, 4, StreamStatus.ACTIVE),
                new StreamInfo(C, 2, StreamStatus.ARCHIVED)), all);
        assertEquals(List.of(B, C), store.raw().streams(null, A, 100).stream().map(StreamInfo::stream).toList());
        assertEquals(List.of(C), store.raw().streams(null, B, 1).stream().map(StreamInfo::stream).toList());
        assertEquals(List.of(A, B), store.raw().streams("account", null, 100).stream().map(StreamInfo::stream)
                .toList());
        assertEquals(new StreamInfo(B, 4, StreamStatus.ACTIVE), store.raw().stream(B).orElseThrow());
        assertTrue(store.raw().stream(StreamRef.of("account", "nobody")).isEmpty());
    }

    @Test
    void statsCountEventsStreamsTypesAndCheckpoints() {
        JdbiEventStore store = db().newStore();
        assertEquals(0, store.raw().stats().events());
        assertEquals(Position.START, store.raw().stats().lastPosition());
        awaitLog(fill(store), 9);
        List<RawEvent> log = store.raw().readAll(Position.START, 100, Set.of());
        store.checkpoints().save("balances", log.get(3).position());
        awaitLog(store, 9);
        StoreStats stats = store.raw().stats();
        assertEquals(9, stats.events());
        assertEquals(3, stats.streams());
        assertEquals(Map.of("test.Deposited", 6L, "test.Withdrawn", 3L), stats.eventsByType());
        assertEquals(log.get(8).position(), stats.lastPosition());
        assertEquals(log.get(0).timestamp(), stats.firstEventAt());
        assertEquals(1, stats.checkpoints());
        assertEquals(store.raw().knownSchemaVersion(), stats.schemaVersion());
        List<CheckpointInfo> checkpoints = store.raw().checkpoints();
        assertEquals(1, checkpoints.size());
        assertEquals(log.get(3).position(), checkpoints.get(0).position());
        assertEquals(5, store.raw().countAfter(log.get(3).position(), Set.of()));
        assertEquals(2, store.raw().countAfter(log.get(3).position(), Set.of("test.Withdrawn")));
        assertEquals(9, store.raw().countAfter(Position.START, Set.of()));
    }

    @Test
    void importKeepsIdsVersionsTimestampsMetadataAndOrder() {
        JdbiEventStore source = db().newStore();
        awaitLog(fill(source), 9);
        JdbiEventStore target = db().newStore();
        List<RawEvent> log = source.raw().readAll(Position.START, 100, Set.of());
        assertEquals(9, target.raw().importEvents(log));
        awaitLog(target, 9);

        List<StoredEvent<Object>> expected = source.readAll(Position.START, 100);
        List<StoredEvent<Object>> actual = target.readAll(Position.START, 100);
        assertEquals(expected.size(), actual.size());
        for (int i = 0; i < expected.size(); i++) {
            StoredEvent<Object> e = expected.get(i);
            StoredEvent<Object> a = actual.get(i);
            assertEquals(List.of(e.id(), e.stream(), e.version(), e.eventType(), e.schemaVersion(), e.timestamp(),
                    e.metadata(), e.data()), List.of(a.id(), a.stream(), a.version(), a.eventType(),
                    a.schemaVersion(), a.timestamp(), a.metadata(), a.data()));
            assertArrayEquals(log.get(i).data(), target.raw().at(a.position()).orElseThrow().data());
        }
        assertEquals(3, target.streamVersion(A));
        assertEquals(4, target.streamVersion(B));
        // The imported streams take appends where they left off.
        target.append(A, ExpectedVersion.exactly(3), List.of(new Deposited("a-1", 9)));
        assertEquals(4, target.streamVersion(A));
    }

    @Test
    void importingTheSameEventsAgainSkipsThem() {
        JdbiEventStore source = db().newStore();
        awaitLog(fill(source), 9);
        JdbiEventStore target = db().newStore();
        List<RawEvent> log = source.raw().readAll(Position.START, 100, Set.of());
        target.raw().importEvents(log.subList(0, 5));
        assertEquals(4, target.raw().importEvents(log));
        assertEquals(0, target.raw().importEvents(log));
        assertEquals(9, target.raw().stats().events());
    }

    @Test
    void anImportThatMeetsAnotherEventWritesNothing() {
        JdbiEventStore source = db().newStore();
        awaitLog(fill(source), 9);
        JdbiEventStore target = db().newStore();
        target.append(B, ExpectedVersion.noStream(), List.of(new Deposited("b-2", 99)));
        List<RawEvent> log = source.raw().readAll(Position.START, 100, Set.of());
        ImportConflictException error = assertThrows(ImportConflictException.class,
                () -> target.raw().importEvents(log));
        assertTrue(error.getMessage().contains("account/b-2") || error.getMessage().contains("b-2"),
                error.getMessage());
        assertEquals(1, target.raw().stats().events());
        assertEquals(0, target.streamVersion(A));
    }

    @Test
    void anImportThatSkipsVersionsIsRefused() {
        JdbiEventStore source = db().newStore();
        awaitLog(fill(source), 9);
        JdbiEventStore target = db().newStore();
        List<RawEvent> log = new ArrayList<>(source.raw().readAll(Position.START, 100, Set.of()));
        log.remove(0); // a-1 version 1
        ImportConflictException error = assertThrows(ImportConflictException.class,
                () -> target.raw().importEvents(log));
        assertTrue(error.getMessage().contains("version 0"), error.getMessage());
        assertEquals(0, target.raw().stats().events());
    }

    @Test
    void importKeepsTheTimestampsItIsGiven() {
        JdbiEventStore target = db().newStore();
        Instant then = Instant.parse("2020-02-29T12:34:56.123456Z");
        RawEvent event = new RawEvent(java.util.UUID.randomUUID(), A, 1, "test.Deposited", 1, Position.START, then,
                null, "{\"account\":\"a-1\",\"cents\":5}".getBytes(java.nio.charset.StandardCharsets.UTF_8));
        target.raw().importEvents(List.of(event));
        StoredEvent<Object> stored = target.load(A).get(0);
        assertEquals(then, stored.timestamp());
        assertEquals(event.id(), stored.id());
        assertEquals(new Deposited("a-1", 5), stored.data());
        assertEquals(Metadata.empty(), stored.metadata());
    }

    /** A DCB store (courses and students, tagged) at a new location. */
    JdbiEventStore newDcbStore() {
        return db().track(db().newLocation().builder(JsonEventCodec.create(DcbTestEvents.types())).build());
    }

    /** Two courses, a subscription tagged with both a course and a student, and an untagged note: 4 events. */
    static JdbiEventStore fillDcb(JdbiEventStore store) {
        store.append(List.of(new CourseDefined("c1", 10)), null);
        store.append(List.of(new CourseDefined("c2", 5), new StudentSubscribed("c1", "s1")), null);
        store.append(List.of(new Noted("untagged")), null);
        return store;
    }

    static final Query COURSE_C1 = Query.of(QueryItem.tags(Tag.of("course", "c1")));

    @Test
    void rawReadsCarryEachEventsTags() {
        JdbiEventStore store = fillDcb(newDcbStore());
        List<RawEvent> log = awaitLog(store, 4);
        assertEquals(List.of(List.of(Tag.of("course", "c1")), List.of(Tag.of("course", "c2")),
                List.of(Tag.of("course", "c1"), Tag.of("student", "s1")), List.of()),
                log.stream().map(RawEvent::tags).toList());
        StreamRef subscription = log.get(2).stream();
        assertEquals(List.of(Tag.of("course", "c1"), Tag.of("student", "s1")),
                store.raw().load(subscription, 1, 10).get(1).tags());
        assertEquals(log.get(2).tags(), store.raw().at(log.get(2).position()).orElseThrow().tags());
    }

    @Test
    void importWritesTheTagsSoQueriesOnTheTargetFindTheEvents() {
        JdbiEventStore source = fillDcb(newDcbStore());
        List<RawEvent> log = awaitLog(source, 4);
        JdbiEventStore target = newDcbStore();
        target.append(List.of(new Noted("first in the target")), null);
        assertEquals(4, target.raw().importEvents(log));
        awaitLog(target, 5);

        List<StoredEvent<Object>> c1 = target.read(COURSE_C1);
        assertEquals(List.of(log.get(0).id(), log.get(2).id()), c1.stream().map(StoredEvent::id).toList());
        assertEquals(List.of(log.get(2).id()), target.read(Query.of(QueryItem.types(
                DcbTestEvents.STUDENT_SUBSCRIBED).withTags(Tag.of("student", "s1"), Tag.of("course", "c1"))))
                .stream().map(StoredEvent::id).toList());
        assertEquals(List.of(log.get(1).id()), target.read(Query.of(QueryItem.types(DcbTestEvents.COURSE_DEFINED)
                .withTags(Tag.of("course", "c2")))).stream().map(StoredEvent::id).toList());
        // The imported tags are read back at their new positions.
        assertEquals(log.stream().map(RawEvent::tags).toList(), awaitLog(target, 5).subList(1, 5).stream()
                .map(RawEvent::tags).toList());
        // A condition made from the target's read sees the imported events.
        Position last = c1.get(c1.size() - 1).position();
        assertThrows(AppendConditionFailedException.class, () -> target.append(List.of(new StudentSubscribed("c1",
                "s2")), AppendCondition.failIfEventsMatch(COURSE_C1, c1.get(0).position())));
        target.append(List.of(new StudentSubscribed("c1", "s2")), AppendCondition.failIfEventsMatch(COURSE_C1, last));
        assertEquals(3, target.read(COURSE_C1).size());
    }

    @Test
    void reimportingTaggedEventsSkipsThemWithoutDuplicatingTags() {
        JdbiEventStore source = fillDcb(newDcbStore());
        List<RawEvent> log = awaitLog(source, 4);
        JdbiEventStore target = newDcbStore();
        assertEquals(2, target.raw().importEvents(log.subList(0, 2)));
        assertEquals(2, target.raw().importEvents(log));
        assertEquals(2, target.read(COURSE_C1).size());
    }

    @Test
    void rawEventsWithoutTagsHaveNoneAndTagsAreSortedWithoutDuplicates() {
        RawEvent plain = new RawEvent(java.util.UUID.randomUUID(), A, 1, "test.Deposited", 1, Position.START,
                Instant.EPOCH, null, new byte[] {'{', '}'});
        assertEquals(List.of(), plain.tags());
        RawEvent tagged = plain.withTags(List.of(Tag.of("b"), Tag.of("a"), Tag.of("b")));
        assertEquals(List.of(Tag.of("a"), Tag.of("b")), tagged.tags());
    }

    @Test
    void openExistingRefusesADatabaseWithoutTables() {
        Databases.Location location = db().newLocation();
        StoreConfigurationException error = assertThrows(StoreConfigurationException.class,
                () -> location.builder(TestEvents.codec()).openExisting().build());
        assertTrue(error.getMessage().contains("no eskit tables"), error.getMessage());
        db().open(location);
        JdbiEventStore existing = db().track(location.builder(TestEvents.codec()).openExisting().build());
        assertEquals(0, existing.raw().stats().events());
    }
}
