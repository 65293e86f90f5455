package dev.eskit.jdbi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.eskit.Position;
import dev.eskit.StoredEvent;
import dev.eskit.codec.JsonEventCodec;
import dev.eskit.dcb.AppendCondition;
import dev.eskit.dcb.AppendConditionFailedException;
import dev.eskit.dcb.Query;
import dev.eskit.dcb.QueryItem;
import dev.eskit.dcb.Tag;
import dev.eskit.testkit.dcb.DcbTestEvents;
import dev.eskit.testkit.dcb.DcbTestEvents.StudentSubscribed;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A DCB append on PostgreSQL is one statement string like a plain append: begin, every lock in one statement (stream
 * lock, boundary keys, horizon lock: the plain appends' order), the condition checked inside the writing statement,
 * commit.
 */
class PostgresDcbAppendTest {

    @RegisterExtension
    static final Databases DB = Databases.postgres();

    private static Query course(String id) {
        return Query.of(QueryItem.types(DcbTestEvents.COURSE_DEFINED, DcbTestEvents.STUDENT_SUBSCRIBED)
                .withTags(Tag.of("course", id)));
    }

    /**
     * While it waits for a boundary key a DCB append already holds its stream lock (taken first, as plain appends
     * take theirs) and not yet the store's horizon lock (taken last, so readers never wait for a waiting append).
     */
    @Test
    void whileWaitingForABoundaryKeyADcbAppendHoldsItsStreamLockButNotTheHorizonLock() throws Exception {
        Databases.Location location = DB.newLocation();
        JdbiEventStore store = DB.track(location.builder(JsonEventCodec.create(DcbTestEvents.types())).build());
        long key = new BoundaryLocks(store.tableNames().events()).condition(course("c1")).keys().keys()[0];
        long horizon = PostgresHorizon.lockKey(store.tableNames());
        int lockSpace = new PostgresDialect(store.tableNames()).lockSpace();
        CompletableFuture<?> append;
        try (Connection holder = location.rawConnection()) {
            try (PreparedStatement lock = holder.prepareStatement("SELECT pg_advisory_lock(?)")) {
                lock.setLong(1, key);
                lock.execute();
            }
            append = CompletableFuture.runAsync(() -> store.append(List.of(new StudentSubscribed("c1", "s1")),
                    AppendCondition.failIfEventsMatch(course("c1"))));
            int pid = AdvisoryLocks.awaitWaiter(holder, key);
            List<List<Long>> held = AdvisoryLocks.held(holder, pid);
            assertTrue(held.stream().anyMatch(lock -> lock.get(0) == (lockSpace & 0xffffffffL) && lock.get(2) == 2),
                    "the stream lock is taken first: " + held);
            assertFalse(held.contains(List.of(horizon >>> 32, horizon & 0xffffffffL, 1L)),
                    "the horizon lock comes last: " + held);
        }
        append.get(30, TimeUnit.SECONDS);
        assertEquals(1, store.read(course("c1")).size());
    }

    /** The condition is checked under the locks in the writing statement: a match writes nothing, and says where. */
    @Test
    void aMatchingEventRefusesTheAppendAndNamesItsPosition() {
        JdbiEventStore store = DB.track(DB.newLocation().builder(JsonEventCodec.create(DcbTestEvents.types()))
                .build());
        Position first = store.append(List.of(new StudentSubscribed("c2", "s1")),
                AppendCondition.failIfEventsMatch(course("c2"))).lastPosition();
        AppendConditionFailedException failed = assertThrows(AppendConditionFailedException.class,
                () -> store.append(List.of(new StudentSubscribed("c2", "s2")),
                        AppendCondition.failIfEventsMatch(course("c2"))));
        assertEquals(first, failed.conflictingPosition());
        assertEquals(1, store.read(course("c2")).size(), "a refused append writes nothing");
        // After that position the condition holds again: several events, one string.
        List<Object> more = new ArrayList<>(List.of(new StudentSubscribed("c2", "s3"),
                new StudentSubscribed("c2", "s4")));
        List<StoredEvent<Object>> written = store.append(more, AppendCondition.failIfEventsMatch(course("c2"), first))
                .events();
        List<StoredEvent<Object>> read = store.read(course("c2"));
        assertEquals(3, read.size());
        assertEquals(read.subList(1, 3).stream().map(StoredEvent::position).toList(),
                written.stream().map(StoredEvent::position).toList());
        assertEquals(more, read.subList(1, 3).stream().map(StoredEvent::data).toList());
    }
}
