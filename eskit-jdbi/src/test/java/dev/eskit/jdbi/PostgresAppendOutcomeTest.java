package dev.eskit.jdbi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import dev.eskit.AppendRequest;
import dev.eskit.AppendResult;
import dev.eskit.ExpectedVersion;
import dev.eskit.StoredEvent;
import dev.eskit.StreamRef;
import dev.eskit.jdbi.TestEvents.Marked;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * On PostgreSQL an append's transaction begins and commits inside one statement string. When the connection fails
 * while that string runs, the client cannot know whether the commit happened: the store says so with
 * {@link AppendOutcomeUnknownException} (naming the stream and the event ids to look for) and does not retry the
 * append, on the lean statement and on the general one alike.
 */
class PostgresAppendOutcomeTest {

    @RegisterExtension
    static final Databases DB = Databases.postgres();

    @Test
    void aConnectionLostDuringTheLeanAppendIsReportedAsUnknownAndNotRetried() throws Exception {
        lostDuringAppend(ExpectedVersion.exactly(1), true);
    }

    @Test
    void aConnectionLostDuringTheGeneralAppendIsReportedAsUnknownAndNotRetried() throws Exception {
        lostDuringAppend(ExpectedVersion.any(), true);
    }

    @Test
    void aConnectionLostDuringANewStreamsAppendIsReportedAsUnknown() throws Exception {
        lostDuringAppend(ExpectedVersion.noStream(), false);
    }

    /**
     * Holds the stream's lock, lets an append wait for it inside its statement string, terminates the append's
     * backend, and checks the report; then the store appends normally again.
     */
    private static void lostDuringAppend(ExpectedVersion expected, boolean existing) throws Exception {
        Databases.Location location = DB.newLocation();
        JdbiEventStore store = DB.open(location);
        StreamRef stream = StreamRef.of("outcome", expected.toString().replaceAll("\\W", ""));
        if (existing) {
            store.append(stream, ExpectedVersion.noStream(), List.of(new Marked("o", 0, 0, 1, "first")));
        }
        long before = existing ? 1 : 0;
        int[] key = new PostgresDialect(store.tableNames()).streamLockKey(stream);
        CompletableFuture<AppendResult> append;
        try (Connection holder = location.rawConnection()) {
            AdvisoryLocks.lock(holder, key[0], key[1]);
            append = CompletableFuture.supplyAsync(() -> store.append(stream, expected,
                    List.of(new Marked("o", 0, 0, 1, "lost"))));
            int pid = awaitWaiter(holder, key[0] & 0xffffffffL, key[1] & 0xffffffffL);
            try (PreparedStatement kill = holder.prepareStatement("SELECT pg_terminate_backend(?)")) {
                kill.setInt(1, pid);
                kill.execute();
            }
            ExecutionException failed = assertThrows(ExecutionException.class, () -> append.get(30, TimeUnit.SECONDS));
            AppendOutcomeUnknownException unknown = assertInstanceOf(AppendOutcomeUnknownException.class,
                    failed.getCause());
            assertEquals(stream, unknown.stream());
            assertEquals(1, unknown.eventIds().size());
            assertTrue(unknown.getMessage().contains("may or may not have been committed"), unknown.getMessage());
        }
        // Not retried behind the caller's back: the terminated attempt wrote nothing, and nothing else was written.
        assertEquals(before, store.streamVersion(stream));
        assertEquals(before, store.load(stream).size());
        AppendResult again = store.append(stream, expected, List.of(new Marked("o", 0, 0, 1, "again")));
        assertEquals(before + 1, again.streamVersion());
    }

    @Test
    void aResultUnreadableAfterTheLeanCommitIsReportedAsUnknownAndNotRetried() {
        unreadableAfterCommit(ExpectedVersion.exactly(1), true, 1, false);
    }

    @Test
    void aResultUnreadableAfterANewStreamsLeanCommitIsReportedAsUnknown() {
        unreadableAfterCommit(ExpectedVersion.noStream(), false, 3, false);
    }

    @Test
    void aResultUnreadableAfterTheGeneralCommitIsReportedAsUnknownAndNotRetried() {
        unreadableAfterCommit(ExpectedVersion.any(), true, 2, false);
    }

    @Test
    void aResultUnreadableAfterCommitInAGroupCommitStoreIsReportedAsUnknown() {
        unreadableAfterCommit(ExpectedVersion.exactly(1), true, 2, true);
    }

    @Test
    void aDcbAppendWhoseResultWasUnreadableAfterCommitIsReportedAsUnknown() {
        JdbiEventStore store = DB.track(DB.newLocation().builder(dev.eskit.codec.JsonEventCodec.create(
                dev.eskit.testkit.dcb.DcbTestEvents.types())).build());
        dev.eskit.dcb.Query course = dev.eskit.dcb.Query.of(dev.eskit.dcb.QueryItem.types(
                dev.eskit.testkit.dcb.DcbTestEvents.STUDENT_SUBSCRIBED).withTags(dev.eskit.dcb.Tag.of("course", "u1")));
        PostgresAppends appends = ((PostgresDatabase) store.database()).appends();
        AtomicInteger executed = new AtomicInteger();
        appends.resultFault = () -> {
            executed.incrementAndGet();
            throw new SQLException("injected: the result could not be read");
        };
        AppendOutcomeUnknownException unknown;
        try {
            unknown = assertThrows(AppendOutcomeUnknownException.class, () -> store.append(List.of(
                    new dev.eskit.testkit.dcb.DcbTestEvents.StudentSubscribed("u1", "s1")),
                    dev.eskit.dcb.AppendCondition.failIfEventsMatch(course)));
        } finally {
            appends.resultFault = null;
        }
        assertEquals(1, executed.get());
        List<StoredEvent<Object>> stored = store.read(course);
        assertEquals(1, stored.size(), "committed once");
        assertEquals(unknown.eventIds(), List.of(stored.get(0).id()));
    }

    @Test
    void anAppendWithAKeyWhoseResultWasUnreadableReturnsTheCommittedEventsWhenRetried() {
        JdbiEventStore store = DB.open(DB.newLocation());
        StreamRef stream = StreamRef.of("unread", "keyed");
        PostgresAppends appends = ((PostgresDatabase) store.database()).appends();
        appends.resultFault = () -> {
            throw new SQLException("injected: the result could not be read");
        };
        AppendRequest request = AppendRequest.of(stream, ExpectedVersion.noStream(),
                List.of(new Marked("o", 0, 0, 1, "keyed"))).withIdempotencyKey("unread-key-1");
        AppendOutcomeUnknownException unknown;
        try {
            unknown = assertThrows(AppendOutcomeUnknownException.class, () -> store.append(request));
        } finally {
            appends.resultFault = null;
        }
        // The documented remedy: the same key again returns the first attempt's events, written once.
        AppendResult again = store.append(request);
        assertTrue(again.duplicate());
        assertEquals(unknown.eventIds(), again.events().stream().map(StoredEvent::id).toList());
        assertEquals(1, store.load(stream).size());
    }

    /**
     * Makes reading the append's result fail after its string (ending in COMMIT) ran without error: the append did
     * commit, and the store must say "unknown" (never a plain failure, which means nothing was written) and must not
     * retry it into a second copy.
     */
    private static void unreadableAfterCommit(ExpectedVersion expected, boolean existing, int events, boolean group) {
        JdbiEventStore store = DB.open(DB.newLocation(), builder -> builder.groupCommit(group));
        StreamRef stream = StreamRef.of("unread", expected.toString().replaceAll("\\W", "") + events + group);
        if (existing) {
            store.append(stream, ExpectedVersion.noStream(), List.of(new Marked("o", 0, 0, 1, "first")));
        }
        long before = existing ? 1 : 0;
        PostgresAppends appends = ((PostgresDatabase) store.database()).appends();
        AtomicInteger executed = new AtomicInteger();
        appends.resultFault = () -> {
            executed.incrementAndGet();
            throw new SQLException("injected: the result could not be read");
        };
        List<Marked> written = new ArrayList<>();
        for (int i = 0; i < events; i++) {
            written.add(new Marked("o", i, 0, 1, "committed " + i));
        }
        AppendOutcomeUnknownException unknown;
        try {
            unknown = assertThrows(AppendOutcomeUnknownException.class,
                    () -> store.append(stream, expected, written));
        } finally {
            appends.resultFault = null;
        }
        assertEquals(1, executed.get(), "the append's string must run once, not be retried");
        assertEquals(stream, unknown.stream());
        assertEquals(events, unknown.eventIds().size());
        assertTrue(unknown.getMessage().contains("committed, but its result could not be read"),
                unknown.getMessage());
        // It did commit, once: the events the exception names are the stream's, with nothing written twice.
        List<StoredEvent<Object>> stored = store.load(stream);
        assertEquals(before + events, stored.size());
        assertEquals(before + events, store.streamVersion(stream));
        assertEquals(unknown.eventIds(), stored.subList((int) before, stored.size()).stream()
                .map(StoredEvent::id).toList());
        assertEquals(written, stored.subList((int) before, stored.size()).stream().map(StoredEvent::data).toList());
    }

    private static int awaitWaiter(Connection connection, long classid, long objid) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        try (PreparedStatement query = connection.prepareStatement("SELECT pid FROM pg_locks WHERE locktype ="
                + " 'advisory' AND NOT granted AND classid::bigint = ? AND objid::bigint = ? AND objsubid = 2")) {
            query.setLong(1, classid);
            query.setLong(2, objid);
            while (System.nanoTime() < deadline) {
                try (var rows = query.executeQuery()) {
                    if (rows.next()) {
                        return rows.getInt(1);
                    }
                }
                Thread.onSpinWait();
            }
        }
        throw new AssertionError("no append waited for the stream lock within 30 s");
    }
}
