package dev.eskit.jdbi;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.eskit.AppendRequest;
import dev.eskit.AppendResult;
import dev.eskit.BatchTooLargeException;
import dev.eskit.ConcurrencyException;
import dev.eskit.EventDecodingException;
import dev.eskit.ExpectedVersion;
import dev.eskit.IdempotencyKeyReusedException;
import dev.eskit.InvalidInputException;
import dev.eskit.InvalidReadLimitException;
import dev.eskit.InvalidStreamException;
import dev.eskit.Metadata;
import dev.eskit.MetadataTooLargeException;
import dev.eskit.Position;
import dev.eskit.StoredEvent;
import dev.eskit.StreamArchivedException;
import dev.eskit.StreamRef;
import dev.eskit.StreamStatus;
import dev.eskit.StreamTombstonedException;
import dev.eskit.UnknownEventTypeException;
import dev.eskit.jdbi.TestEvents.Deposited;
import dev.eskit.jdbi.TestEvents.Named;
import dev.eskit.jdbi.TestEvents.Unregistered;
import dev.eskit.jdbi.TestEvents.Withdrawn;
import dev.eskit.snapshot.Snapshot;
import dev.eskit.snapshot.SnapshotStore;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.Test;

/** The store's own behaviour on one database kind; subclasses pick the database. */
abstract class JdbiEventStoreContract {

    static final StreamRef A = StreamRef.of("account", "a-1");
    static final StreamRef B = StreamRef.of("account", "b-2");

    abstract Databases db();

    // ------------------------------------------------------------------------------------- append and load

    @Test
    void appendedEventsLoadBackEqualToWhatAppendReturned() {
        JdbiEventStore store = db().newStore();
        Metadata metadata = Metadata.correlatedBy("c-1").withInitiator("alice").with("k", "v");
        AppendResult result = store.append(A, ExpectedVersion.noStream(),
                List.of(new Deposited("a-1", 5), new Named("x", List.of("p", "q"))), metadata);
        assertFalse(result.duplicate());
        assertEquals(2, result.streamVersion());
        List<StoredEvent<Object>> loaded = store.load(A);
        assertEquals(result.events(), loaded);
        assertEquals(new Named("x", List.of("p", "q")), loaded.get(1).data());
        assertEquals(metadata, loaded.get(0).metadata());
        assertEquals("test.Deposited", loaded.get(0).eventType());
        assertEquals(2, store.streamVersion(A));
        assertEquals(0, store.streamVersion(B));
        assertEquals(List.of(), store.load(B));
    }

    @Test
    void loadFromAVersionReturnsThatVersionAndLater() {
        JdbiEventStore store = db().newStore();
        store.append(A, ExpectedVersion.noStream(), deposits(5));
        assertEquals(List.of(3L, 4L, 5L), versions(store.load(A, 3)));
        assertEquals(List.of(), store.load(A, 6));
        assertEquals(5, store.load(A, 0).size());
        assertThrows(InvalidInputException.class, () -> store.load(A, -1));
    }

    @Test
    void staleExpectedVersionIsRejectedWithTheActualVersionAndWritesNothing() {
        JdbiEventStore store = db().newStore();
        store.append(A, ExpectedVersion.noStream(), deposits(3));
        ConcurrencyException error = assertThrows(ConcurrencyException.class,
                () -> store.append(A, ExpectedVersion.exactly(1), deposits(2)));
        assertEquals(3, error.actualVersion());
        assertEquals(A, error.stream());
        ConcurrencyException noStream = assertThrows(ConcurrencyException.class,
                () -> store.append(A, ExpectedVersion.noStream(), deposits(1)));
        assertEquals(3, noStream.actualVersion());
        assertEquals(3, store.load(A).size());
        assertEquals(3, store.streamVersion(A));
        assertEquals(3, store.readAll(Position.START, 100).size());
    }

    @Test
    void anyAppendsAfterTheLastVersion() {
        JdbiEventStore store = db().newStore();
        store.append(A, ExpectedVersion.any(), deposits(2));
        AppendResult second = store.append(A, ExpectedVersion.any(), deposits(2));
        assertEquals(List.of(3L, 4L), versions(second.events()));
    }

    @Test
    void readAllPagesThroughTheLogInOrderAfterAnExclusivePosition() {
        JdbiEventStore store = db().newStore();
        List<StoredEvent<Object>> written = new ArrayList<>();
        written.addAll(store.append(A, ExpectedVersion.noStream(), deposits(3)).events());
        written.addAll(store.append(B, ExpectedVersion.noStream(), List.of(new Withdrawn("b-2", 1))).events());
        written.addAll(store.append(A, ExpectedVersion.exactly(3), deposits(2)).events());
        List<StoredEvent<Object>> read = new ArrayList<>();
        Position after = Position.START;
        for (List<StoredEvent<Object>> page = store.readAll(after, 2); !page.isEmpty();
             page = store.readAll(after, 2)) {
            assertTrue(page.size() <= 2);
            read.addAll(page);
            after = page.get(page.size() - 1).position();
        }
        assertEquals(written, read);
        for (int i = 1; i < read.size(); i++) {
            assertTrue(read.get(i).position().isAfter(read.get(i - 1).position()));
        }
        List<StoredEvent<Object>> withdrawals = store.readAll(Position.START, 100, Set.of("test.Withdrawn"));
        assertEquals(1, withdrawals.size());
        assertEquals(B, withdrawals.get(0).stream());
        assertEquals(5, store.readAll(Position.START, 100, Set.of("test.Deposited", "test.Nothing")).size());
        assertThrows(InvalidReadLimitException.class, () -> store.readAll(Position.START, 0));
        assertThrows(InvalidReadLimitException.class, () -> store.readAll(Position.START, 10_001));
        Position token = Position.parse(read.get(2).position().toToken());
        assertEquals(read.subList(3, read.size()), store.readAll(token, 100));
    }

    // ------------------------------------------------------------------------------------------- idempotency

    @Test
    void aRetriedIdempotencyKeyReturnsTheOriginalEventsEvenWithAStaleVersion() {
        JdbiEventStore store = db().newStore();
        AppendRequest request = AppendRequest.of(A, ExpectedVersion.noStream(), deposits(2))
                .withIdempotencyKey("op-1");
        AppendResult first = store.append(request);
        AppendResult retry = store.append(request);
        assertTrue(retry.duplicate());
        assertEquals(first.events(), retry.events());
        AppendResult otherEvents = store.append(AppendRequest.of(A, ExpectedVersion.exactly(7), deposits(5))
                .withIdempotencyKey("op-1"));
        assertTrue(otherEvents.duplicate());
        assertEquals(first.events(), otherEvents.events());
        assertEquals(2, store.streamVersion(A));
        assertEquals(2, store.readAll(Position.START, 100).size());
    }

    @Test
    void anIdempotencyKeyOfAnotherStreamIsRejectedAndWritesNothing() {
        JdbiEventStore store = db().newStore();
        store.append(AppendRequest.of(A, ExpectedVersion.noStream(), deposits(1)).withIdempotencyKey("op-1"));
        IdempotencyKeyReusedException error = assertThrows(IdempotencyKeyReusedException.class,
                () -> store.append(AppendRequest.of(B, ExpectedVersion.noStream(), deposits(1))
                        .withIdempotencyKey("op-1")));
        assertTrue(error.getMessage().contains("account/a-1"), error.getMessage());
        assertEquals(0, store.streamVersion(B));
        assertEquals(1, store.readAll(Position.START, 100).size());
    }

    @Test
    void findIdempotentAppendReturnsTheOriginalEventsWithoutWriting() {
        JdbiEventStore store = db().newStore();
        AppendResult first = store.append(AppendRequest.of(A, ExpectedVersion.noStream(), deposits(2))
                .withIdempotencyKey("op-9"));
        store.append(A, ExpectedVersion.any(), deposits(1));
        AppendResult found = store.findIdempotentAppend("op-9").orElseThrow();
        assertTrue(found.duplicate());
        assertEquals(first.events(), found.events());
        assertTrue(store.findIdempotentAppend("unknown").isEmpty());
        assertThrows(dev.eskit.InvalidIdempotencyKeyException.class, () -> store.findIdempotentAppend(""));
        assertThrows(dev.eskit.InvalidIdempotencyKeyException.class, () -> store.findIdempotentAppend("a\0"));
        assertEquals(3, store.readAll(Position.START, 100).size());
    }

    @Test
    void aKeyWhoseAppendFailedCanBeUsedAgain() {
        JdbiEventStore store = db().newStore();
        store.append(A, ExpectedVersion.noStream(), deposits(1));
        assertThrows(ConcurrencyException.class, () -> store.append(
                AppendRequest.of(A, ExpectedVersion.noStream(), deposits(1)).withIdempotencyKey("k")));
        AppendResult result = store.append(AppendRequest.of(A, ExpectedVersion.exactly(1), deposits(1))
                .withIdempotencyKey("k"));
        assertFalse(result.duplicate());
        assertEquals(2, result.streamVersion());
    }

    @Test
    void concurrentRetriesOfOneKeyWriteOnce() throws Exception {
        JdbiEventStore store = db().newStore();
        int threads = 8;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<AppendResult>> results = new ArrayList<>();
            for (int i = 0; i < threads; i++) {
                results.add(pool.submit(() -> {
                    start.await();
                    return store.append(AppendRequest.of(A, ExpectedVersion.any(), deposits(3))
                            .withIdempotencyKey("once"));
                }));
            }
            start.countDown();
            int written = 0;
            List<StoredEvent<Object>> events = null;
            for (Future<AppendResult> future : results) {
                AppendResult result = future.get(60, TimeUnit.SECONDS);
                written += result.duplicate() ? 0 : 1;
                if (events != null) {
                    assertEquals(events, result.events());
                }
                events = result.events();
            }
            assertEquals(1, written);
            assertEquals(3, store.streamVersion(A));
        } finally {
            pool.shutdownNow();
        }
    }

    // ------------------------------------------------------------------------------------------ concurrency

    @Test
    void concurrentAppendsWithOneExpectedVersionHaveExactlyOneWinner() throws Exception {
        JdbiEventStore store = db().newStore();
        store.append(A, ExpectedVersion.noStream(), deposits(1));
        int threads = 8;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<Boolean>> outcomes = new ArrayList<>();
            for (int i = 0; i < threads; i++) {
                outcomes.add(pool.submit(() -> {
                    start.await();
                    try {
                        store.append(A, ExpectedVersion.exactly(1), deposits(2));
                        return true;
                    } catch (ConcurrencyException e) {
                        assertEquals(3, e.actualVersion());
                        return false;
                    }
                }));
            }
            start.countDown();
            int winners = 0;
            for (Future<Boolean> outcome : outcomes) {
                winners += outcome.get(60, TimeUnit.SECONDS) ? 1 : 0;
            }
            assertEquals(1, winners);
            assertEquals(List.of(1L, 2L, 3L), versions(store.load(A)));
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void concurrentAnyAppendsToOneStreamKeepVersionsDense() throws Exception {
        JdbiEventStore store = db().newStore();
        int threads = 8;
        int appends = 20;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<?>> done = new ArrayList<>();
            for (int i = 0; i < threads; i++) {
                done.add(pool.submit(() -> {
                    start.await();
                    for (int j = 0; j < appends; j++) {
                        store.append(A, ExpectedVersion.any(), deposits(2));
                    }
                    return null;
                }));
            }
            start.countDown();
            for (Future<?> future : done) {
                future.get(120, TimeUnit.SECONDS);
            }
            List<Long> versions = versions(store.load(A));
            assertEquals(threads * appends * 2, versions.size());
            for (int i = 0; i < versions.size(); i++) {
                assertEquals(i + 1, versions.get(i));
            }
        } finally {
            pool.shutdownNow();
        }
    }

    // ------------------------------------------------------------------------------------------ stream admin

    @Test
    void aTombstonedStreamRejectsAppendsButKeepsItsEvents() {
        JdbiEventStore store = db().newStore();
        store.append(A, ExpectedVersion.noStream(), deposits(2));
        store.tombstone(A);
        assertEquals(StreamStatus.TOMBSTONED, store.status(A));
        StreamTombstonedException error = assertThrows(StreamTombstonedException.class,
                () -> store.append(A, ExpectedVersion.exactly(2), deposits(1)));
        assertEquals(A, error.stream());
        assertThrows(StreamTombstonedException.class, () -> store.append(A, ExpectedVersion.any(), deposits(1)));
        assertThrows(StreamTombstonedException.class, () -> store.restore(A));
        assertThrows(StreamTombstonedException.class, () -> store.archive(A));
        store.tombstone(A);
        assertEquals(2, store.load(A).size());
        assertEquals(2, store.streamVersion(A));
        assertEquals(2, store.readAll(Position.START, 100).size());
    }

    @Test
    void aStreamThatNeverExistedCanBeTombstonedToReserveItsId() {
        JdbiEventStore store = db().newStore();
        store.tombstone(B);
        assertThrows(StreamTombstonedException.class, () -> store.append(B, ExpectedVersion.noStream(), deposits(1)));
        assertEquals(0, store.streamVersion(B));
    }

    @Test
    void anArchivedStreamIsReadOnlyUntilRestored() {
        JdbiEventStore store = db().newStore();
        store.append(A, ExpectedVersion.noStream(), deposits(2));
        assertEquals(StreamStatus.ACTIVE, store.status(A));
        store.archive(A);
        store.archive(A);
        assertEquals(StreamStatus.ARCHIVED, store.status(A));
        assertThrows(StreamArchivedException.class, () -> store.append(A, ExpectedVersion.exactly(2), deposits(1)));
        assertEquals(2, store.load(A).size());
        store.restore(A);
        assertEquals(StreamStatus.ACTIVE, store.status(A));
        assertEquals(3, store.append(A, ExpectedVersion.exactly(2), deposits(1)).streamVersion());
        store.archive(A);
        store.tombstone(A);
        assertEquals(StreamStatus.TOMBSTONED, store.status(A));
    }

    @Test
    void deleteRemovesEventsSnapshotAndKeysAndTheStreamStartsAgain() {
        JdbiEventStore store = db().newStore();
        store.append(AppendRequest.of(A, ExpectedVersion.noStream(), deposits(3)).withIdempotencyKey("k-a"));
        store.append(B, ExpectedVersion.noStream(), deposits(1));
        Position lastBefore = store.readAll(Position.START, 100).get(3).position();
        store.snapshots().save(new Snapshot(A, 3, "state/1", new byte[] {1}, Instant.now()));
        assertEquals(3, store.delete(A));
        assertEquals(List.of(), store.load(A));
        assertEquals(0, store.streamVersion(A));
        assertTrue(store.snapshots().load(A).isEmpty());
        assertEquals(1, store.readAll(Position.START, 100).size());
        assertEquals(0, store.delete(A));
        AppendResult again = store.append(AppendRequest.of(A, ExpectedVersion.noStream(), deposits(1))
                .withIdempotencyKey("k-a"));
        assertFalse(again.duplicate());
        assertEquals(1, again.streamVersion());
        assertTrue(again.lastPosition().isAfter(lastBefore), "positions of deleted events are not reused");
        assertEquals(1, store.load(B).size());
    }

    // ------------------------------------------------------------------------------ snapshots, checkpoints

    @Test
    void snapshotsKeepTheLatestVersionPerStream() {
        JdbiEventStore store = db().newStore();
        SnapshotStore snapshots = store.snapshots();
        assertTrue(snapshots.load(A).isEmpty());
        Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
        Snapshot five = new Snapshot(A, 5, "bank.Account/2", "{\"balance\":5}".getBytes(StandardCharsets.UTF_8), now);
        snapshots.save(five);
        assertSameSnapshot(five, snapshots.load(A).orElseThrow());
        snapshots.save(new Snapshot(A, 3, "bank.Account/2", new byte[] {3}, now));
        assertSameSnapshot(five, snapshots.load(A).orElseThrow());
        Snapshot nine = new Snapshot(A, 9, "bank.Account/3", new byte[] {9, 0, -1}, now.plusSeconds(1));
        snapshots.save(nine);
        assertSameSnapshot(nine, snapshots.load(A).orElseThrow());
        assertTrue(snapshots.load(B).isEmpty());
        snapshots.delete(A);
        assertTrue(snapshots.load(A).isEmpty());
    }

    static void assertSameSnapshot(Snapshot expected, Snapshot actual) {
        assertEquals(expected.stream(), actual.stream());
        assertEquals(expected.version(), actual.version());
        assertEquals(expected.schema(), actual.schema());
        assertArrayEquals(expected.data(), actual.data());
        assertEquals(expected.timestamp(), actual.timestamp());
    }

    @Test
    void checkpointsSaveReplaceAndDelete() {
        JdbiEventStore store = db().newStore();
        JdbiCheckpointStore checkpoints = store.checkpoints();
        assertTrue(checkpoints.load("balances").isEmpty());
        checkpoints.save("balances", new Position(7, 42));
        assertEquals(new Position(7, 42), checkpoints.load("balances").orElseThrow());
        checkpoints.save("balances", new Position(9, 1));
        assertEquals(new Position(9, 1), checkpoints.load("balances").orElseThrow());
        assertTrue(checkpoints.load("other").isEmpty());
        checkpoints.delete("balances");
        assertTrue(checkpoints.load("balances").isEmpty());
        assertThrows(InvalidInputException.class, () -> checkpoints.save("", Position.START));
        assertThrows(InvalidInputException.class, () -> checkpoints.load("a\0b"));
    }

    @Test
    void aCheckpointSavedInARolledBackTransactionIsNotKept() throws SQLException {
        Databases.Location location = db().newLocation();
        JdbiEventStore store = db().open(location);
        Connection raw = db().track(location.rawConnection());
        Jdbi jdbi = Jdbi.create(raw);
        try (Handle handle = jdbi.open()) {
            handle.begin();
            store.checkpoints().save(handle, "projection", Position.of(5));
            handle.rollback();
            assertTrue(store.checkpoints().load("projection").isEmpty());
            handle.begin();
            store.checkpoints().save(handle, "projection", Position.of(6));
            handle.commit();
        }
        assertEquals(Position.of(6), store.checkpoints().load("projection").orElseThrow());
    }

    // ------------------------------------------------------------------------------------------- bad input

    @Test
    void badInputGetsTheRuntimesExceptionsAndChangesNothing() {
        JdbiEventStore store = db().newStore();
        store.append(A, ExpectedVersion.noStream(), deposits(1));
        assertThrows(InvalidStreamException.class, () -> store.append(StreamRef.of("account", "x".repeat(257)),
                ExpectedVersion.any(), deposits(1)));
        assertThrows(InvalidStreamException.class, () -> store.append(StreamRef.of("acc\0ount", "x"),
                ExpectedVersion.any(), deposits(1)));
        assertThrows(BatchTooLargeException.class, () -> store.append(A, ExpectedVersion.any(), deposits(10_001)));
        Map<String, String> extras = new HashMap<>();
        for (int i = 0; i < 101; i++) {
            extras.put("k" + i, "v");
        }
        assertThrows(MetadataTooLargeException.class, () -> store.append(A, ExpectedVersion.any(), deposits(1),
                new Metadata(null, null, null, null, extras)));
        assertThrows(MetadataTooLargeException.class, () -> store.append(A, ExpectedVersion.any(), deposits(1),
                Metadata.correlatedBy("x".repeat(70_000))));
        assertThrows(UnknownEventTypeException.class, () -> store.append(A, ExpectedVersion.any(),
                List.of(new Deposited("a", 1), new Unregistered("nope"))));
        assertEquals(1, store.streamVersion(A));
        assertEquals(1, store.readAll(Position.START, 100).size());
    }

    @Test
    void textWithNulCharactersInsideEventDataRoundTrips() {
        JdbiEventStore store = db().newStore();
        Named named = new Named("nul\0inside", List.of("\0", "ünï😀"));
        store.append(A, ExpectedVersion.noStream(), List.of(named));
        assertEquals(named, store.load(A).get(0).data());
    }

    @Test
    void malformedJsonStoredBySomeoneElseFailsWithADecodingErrorNamingTheEvent() throws SQLException {
        Databases.Location location = db().newLocation();
        JdbiEventStore store = db().open(location);
        store.append(A, ExpectedVersion.noStream(), deposits(2));
        try (Connection raw = location.rawConnection();
             PreparedStatement update = raw.prepareStatement("UPDATE " + store.tableNames().events()
                     + " SET data = ? WHERE stream_id = ? AND version = 2")) {
            update.setBytes(1, "{\"account\": tru".getBytes(StandardCharsets.UTF_8));
            update.setString(2, A.id());
            assertEquals(1, update.executeUpdate());
        }
        EventDecodingException error = assertThrows(EventDecodingException.class, () -> store.load(A));
        assertTrue(error.getMessage().contains("account/a-1"), error.getMessage());
        assertTrue(error.getMessage().contains("Event 2 "), error.getMessage());
        assertThrows(EventDecodingException.class, () -> store.readAll(Position.START, 10));
    }

    @Test
    void malformedMetadataStoredBySomeoneElseFailsWithADecodingError() throws SQLException {
        Databases.Location location = db().newLocation();
        JdbiEventStore store = db().open(location);
        store.append(A, ExpectedVersion.noStream(), deposits(1), Metadata.correlatedBy("c"));
        try (Connection raw = location.rawConnection();
             PreparedStatement update = raw.prepareStatement("UPDATE " + store.tableNames().events()
                     + " SET metadata = ?")) {
            update.setBytes(1, "[1,".getBytes(StandardCharsets.UTF_8));
            update.executeUpdate();
        }
        EventDecodingException error = assertThrows(EventDecodingException.class, () -> store.load(A));
        assertTrue(error.getMessage().contains("account/a-1"), error.getMessage());
    }

    @Test
    void anUnknownTypeStoredBySomeoneElseFailsNamingTheEvent() throws SQLException {
        Databases.Location location = db().newLocation();
        JdbiEventStore store = db().open(location);
        store.append(A, ExpectedVersion.noStream(), deposits(1));
        try (Connection raw = location.rawConnection();
             Statement update = raw.createStatement()) {
            update.executeUpdate("UPDATE " + store.tableNames().events() + " SET event_type = 'test.Gone'");
        }
        UnknownEventTypeException error = assertThrows(UnknownEventTypeException.class, () -> store.load(A));
        assertTrue(error.getMessage().contains("account/a-1"), error.getMessage());
    }

    @Test
    void aClosedStoreFailsWithAStoreAccessExceptionNotARawSqlException() {
        JdbiEventStore store = db().newStore();
        store.append(A, ExpectedVersion.noStream(), deposits(1));
        store.close();
        store.close();
        assertThrows(StoreAccessException.class, () -> store.append(A, ExpectedVersion.any(), deposits(1)));
        assertThrows(StoreAccessException.class, () -> store.load(A));
        assertThrows(StoreAccessException.class, () -> store.readAll(Position.START, 10));
    }

    // -------------------------------------------------------------------------------------------- schema

    @Test
    void openingTheSameTablesAgainRunsNoMigrationAndKeepsTheData() throws SQLException {
        Databases.Location location = db().newLocation();
        JdbiEventStore first = db().open(location);
        first.append(A, ExpectedVersion.noStream(), deposits(2));
        JdbiEventStore second = db().open(location);
        assertEquals(2, second.streamVersion(A));
        second.append(A, ExpectedVersion.exactly(2), deposits(1));
        assertEquals(3, first.load(A).size());
        try (Connection raw = location.rawConnection(); Statement query = raw.createStatement();
             ResultSet rows = query.executeQuery("SELECT count(*), max(version) FROM "
                     + first.tableNames().migrations())) {
            rows.next();
            assertEquals(Migrations.SCRIPTS.size(), rows.getInt(1), "every migration (events, DCB tags, work tables,"
                    + " codec column, ...), each once");
            assertEquals(Migrations.KNOWN, rows.getInt(2));
        }
    }

    @Test
    void aSchemaNewerThanThisCodeIsRefused() throws SQLException {
        Databases.Location location = db().newLocation();
        JdbiEventStore store = db().open(location);
        try (Connection raw = location.rawConnection(); Statement insert = raw.createStatement()) {
            insert.executeUpdate("INSERT INTO " + store.tableNames().migrations()
                    + " (version, description, applied_at) VALUES (99, 'future', 'now')");
        }
        StoreConfigurationException error = assertThrows(StoreConfigurationException.class,
                () -> db().open(location));
        assertTrue(error.getMessage().contains("99"), error.getMessage());
    }

    @Test
    void invalidTablePrefixesAreRefusedBeforeTouchingTheDatabase() {
        Databases.Location location = db().newLocation();
        for (String prefix : List.of("Bad", "x; DROP TABLE y", "a-b", "\"q\"", "x".repeat(31))) {
            StoreConfigurationException error = assertThrows(StoreConfigurationException.class,
                    () -> db().open(location, builder -> builder.tablePrefix(prefix)));
            assertTrue(error.getMessage().contains("prefix"), error.getMessage());
        }
    }

    @Test
    void aStoreOnAnExistingDataSourceDetectsTheDatabaseAndSharesTheTables() {
        Databases.Location location = db().newLocation();
        JdbiEventStore byUrl = db().open(location);
        byUrl.append(A, ExpectedVersion.noStream(), deposits(1));
        JdbiEventStore byDataSource = db().track(location.onDataSource(TestEvents.codec()).build());
        assertEquals(db().kind(), byDataSource.databaseName());
        assertEquals(1, byDataSource.load(A).size());
        byDataSource.append(A, ExpectedVersion.exactly(1), deposits(1));
        assertEquals(2, byUrl.streamVersion(A));
    }

    // ----------------------------------------------------------------------------------------------- helpers

    static List<Deposited> deposits(int count) {
        List<Deposited> events = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            events.add(new Deposited("a", i + 1));
        }
        return events;
    }

    static List<Long> versions(List<StoredEvent<Object>> events) {
        List<Long> versions = new ArrayList<>();
        for (StoredEvent<Object> event : events) {
            versions.add(event.version());
        }
        return versions;
    }
}
