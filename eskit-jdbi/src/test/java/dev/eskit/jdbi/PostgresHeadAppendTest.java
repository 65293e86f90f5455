package dev.eskit.jdbi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.eskit.AppendRequest;
import dev.eskit.AppendResult;
import dev.eskit.ExpectedVersion;
import dev.eskit.Metadata;
import dev.eskit.StoredEvent;
import dev.eskit.StreamRef;
import dev.eskit.jdbi.TestEvents.Marked;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * PostgreSQL's append at a known last event ({@link JdbiEventStore#appendAtHead}): the lean statement with one more
 * condition, the id of the stream's event at the expected version. Besides the contract: it writes nothing when the
 * stream is deleted and started again, or appended to, while the statement waits for the stream's lock (its snapshot
 * is older than the lock).
 */
class PostgresHeadAppendTest extends HeadAppendContract {

    @RegisterExtension
    static final Databases DB = Databases.postgres();

    @Override
    Databases db() {
        return DB;
    }

    @Test
    void severalEventsAreAppendedInOneStatement() {
        JdbiEventStore store = DB.newStore();
        StreamRef stream = StreamRef.of("head", "several");
        store.append(stream, ExpectedVersion.noStream(), List.of(marked("a")));
        AppendResult several = store.appendAtHead(request(stream, 1, marked("b"), marked("c")),
                store.load(stream).get(0).id()).orElseThrow();
        List<StoredEvent<Object>> events = store.load(stream);
        assertEquals(3, store.streamVersion(stream));
        assertEquals(several.events().get(0).position(), events.get(1).position());
        assertEquals(several.events().get(1).position(), events.get(2).position());
        assertEquals(marked("c"), events.get(2).data());
        assertTrue(events.get(2).position().isAfter(events.get(1).position()));
    }

    /**
     * On an application's data source (no session setting the store can rely on) the string begins its transaction
     * at READ COMMITTED, takes the locks in a statement of their own, checks and writes, commits: the same outcomes.
     */
    @Test
    void onAnApplicationsDataSourceTheSameChecksHold() {
        Databases.Location location = DB.newLocation();
        DB.open(location).close();
        JdbiEventStore store = DB.track(location.onDataSource(TestEvents.codec()).build());
        StreamRef stream = StreamRef.of("head", "data-source");
        store.append(stream, ExpectedVersion.noStream(), List.of(marked("a")));
        UUID head = store.load(stream).get(0).id();
        assertFalse(store.appendAtHead(request(stream, 1, marked("x")), UUID.randomUUID()).isPresent());
        AppendResult one = store.appendAtHead(request(stream, 1, marked("b")), head).orElseThrow();
        store.appendAtHead(request(stream, 2, marked("c"), marked("d")), one.events().get(0).id()).orElseThrow();
        assertFalse(store.appendAtHead(request(stream, 2, marked("y")), one.events().get(0).id()).isPresent());
        assertEquals(List.of(marked("a"), marked("b"), marked("c"), marked("d")),
                store.load(stream).stream().map(StoredEvent::data).toList());
    }

    /**
     * The statement's snapshot is older than its locks: it checks the last event while another transaction, holding
     * the stream's lock, deletes the stream and writes it again up to the same version. Once that commits, the
     * append must write nothing (the row its check passed on is gone).
     */
    @Test
    void aStreamDeletedAndStartedAgainWhileTheAppendWaitsForItsLockIsRefused() throws Exception {
        Databases.Location location = DB.newLocation();
        JdbiEventStore store = DB.open(location);
        StreamRef stream = StreamRef.of("head", "race");
        store.append(stream, ExpectedVersion.noStream(), List.of(marked("a"), marked("b")));
        UUID head = store.load(stream).get(1).id();
        int[] key = new PostgresDialect(store.tableNames()).streamLockKey(stream);
        Jdbi jdbi = Jdbi.create(location.dataSource());
        try (Handle other = jdbi.open()) {
            other.begin();
            other.execute("DELETE FROM " + store.tableNames().events() + " WHERE stream_type = ? AND stream_id = ?",
                    stream.type(), stream.id());
            other.execute("DELETE FROM " + store.tableNames().streams() + " WHERE stream_type = ? AND stream_id = ?",
                    stream.type(), stream.id());
            store.append(other, new AppendRequest(stream, ExpectedVersion.noStream(),
                    List.of(marked("c"), marked("d")), Metadata.empty(), null));
            CompletableFuture<Optional<AppendResult>> append = CompletableFuture.supplyAsync(
                    () -> store.appendAtHead(request(stream, 2, marked("x")), head));
            try (var watcher = location.rawConnection()) {
                AdvisoryLocks.awaitWaiter(watcher, key[0] & 0xffffffffL, key[1] & 0xffffffffL, 2);
            }
            other.commit();
            assertFalse(append.get(30, TimeUnit.SECONDS).isPresent());
        }
        assertEquals(List.of(marked("c"), marked("d")), store.load(stream).stream().map(StoredEvent::data).toList());
        assertEquals(2, store.streamVersion(stream));
    }

    /** While the append waits for the stream's lock, another writer appends: once it commits, nothing is written. */
    @Test
    void anAppendCommittedWhileTheAppendWaitsForItsLockMakesItWriteNothing() throws Exception {
        Databases.Location location = DB.newLocation();
        JdbiEventStore store = DB.open(location);
        StreamRef stream = StreamRef.of("head", "moved");
        store.append(stream, ExpectedVersion.noStream(), List.of(marked("a")));
        UUID head = store.load(stream).get(0).id();
        int[] key = new PostgresDialect(store.tableNames()).streamLockKey(stream);
        try (Handle other = Jdbi.create(location.dataSource()).open()) {
            other.begin();
            store.append(other, request(stream, 1, marked("b")));
            CompletableFuture<Optional<AppendResult>> append = CompletableFuture.supplyAsync(
                    () -> store.appendAtHead(request(stream, 1, marked("x")), head));
            try (var watcher = location.rawConnection()) {
                AdvisoryLocks.awaitWaiter(watcher, key[0] & 0xffffffffL, key[1] & 0xffffffffL, 2);
            }
            other.commit();
            assertFalse(append.get(30, TimeUnit.SECONDS).isPresent());
        }
        assertEquals(List.of(marked("a"), marked("b")), store.load(stream).stream().map(StoredEvent::data).toList());
    }
}
