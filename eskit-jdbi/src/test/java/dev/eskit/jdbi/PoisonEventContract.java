package dev.eskit.jdbi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.eskit.ExpectedVersion;
import dev.eskit.Position;
import dev.eskit.StreamRef;
import dev.eskit.jdbi.TestEvents.Deposited;
import dev.eskit.jdbi.subscription.JdbiDeadLetterStore;
import dev.eskit.jdbi.subscription.JdbiTransactor;
import dev.eskit.subscription.Backoff;
import dev.eskit.subscription.DeadLetter;
import dev.eskit.subscription.DeadLetterStore;
import dev.eskit.subscription.Subscription;
import dev.eskit.subscription.SubscriptionException;
import dev.eskit.subscription.SubscriptionHaltedException;
import dev.eskit.subscription.SubscriptionState;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.Test;

/**
 * Rows corrupted by hand ({@code UPDATE ... SET data = '{not json'}) and handlers that always fail never stall a
 * subscription silently: with a dead-letter store they are parked and the rest is handled; without one the
 * subscription halts loudly after handling every event before them.
 */
abstract class PoisonEventContract {

    static final Duration WAIT = Duration.ofSeconds(30);
    static final StreamRef A = StreamRef.of("account", "a");

    abstract Databases db();

    /** Appends {@code count} deposits of 1..count cents, one per append; returns their positions. */
    static List<Position> deposit(JdbiEventStore store, int count) {
        List<Position> positions = new ArrayList<>();
        for (int i = 1; i <= count; i++) {
            positions.add(store.append(A, ExpectedVersion.any(), List.of(new Deposited("a", i))).lastPosition());
        }
        return positions;
    }

    static void corrupt(Databases.Location location, JdbiEventStore store, long version) throws SQLException {
        try (Connection raw = location.rawConnection();
             PreparedStatement update = raw.prepareStatement("UPDATE " + store.tableNames().events()
                     + " SET data = ? WHERE stream_id = ? AND version = ?")) {
            update.setBytes(1, "{not json".getBytes(StandardCharsets.UTF_8));
            update.setString(2, A.id());
            update.setLong(3, version);
            assertEquals(1, update.executeUpdate());
        }
    }

    @Test
    void undecodableRowIsDeadLetteredAndEveryOtherEventHandled() throws SQLException {
        Databases.Location location = db().newLocation();
        JdbiEventStore store = db().open(location);
        List<Position> positions = deposit(store, 300);
        corrupt(location, store, 200);
        DeadLetterStore letters = JdbiDeadLetterStore.create(Jdbi.create(location.dataSource()), store);
        List<Long> seen = new CopyOnWriteArrayList<>();
        try (Subscription s = Subscription.builder("poisoned", store, store.checkpoints()).deadLetters(letters)
                .handler(event -> seen.add(((Deposited) event.data()).cents())).build().start()) {
            assertTrue(s.awaitPosition(positions.get(299), WAIT));
            assertEquals(299, seen.size());
            assertFalse(seen.contains(200L));
            List<DeadLetter> parked = letters.list("poisoned", 10);
            assertEquals(1, parked.size());
            assertEquals(positions.get(199), parked.get(0).position());
            assertEquals(A, parked.get(0).stream());
            assertEquals(200, parked.get(0).version());
            assertEquals("test.Deposited", parked.get(0).eventType());
            assertTrue(parked.get(0).error().contains("cannot be decoded"), parked.get(0).error());
        }
        assertEquals(positions.get(299), store.checkpoints().load("poisoned").orElseThrow());
    }

    @Test
    void undecodableRowHaltsASubscriptionWithoutDeadLetterStoreAfterTheEventsBeforeIt() throws SQLException {
        Databases.Location location = db().newLocation();
        JdbiEventStore store = db().open(location);
        List<Position> positions = deposit(store, 300);
        corrupt(location, store, 200);
        List<Long> seen = new CopyOnWriteArrayList<>();
        Subscription s = Subscription.builder("halting", store, store.checkpoints())
                .handler(event -> seen.add(((Deposited) event.data()).cents())).build().start();
        try {
            SubscriptionException error = assertThrows(SubscriptionException.class, () -> s.awaitCaughtUp(WAIT));
            assertTrue(error.getMessage().contains("position " + positions.get(199)), error.getMessage());
            assertTrue(error.getMessage().contains("account/a"), error.getMessage());
            assertTrue(s.stop(WAIT));
            assertEquals(SubscriptionState.HALTED, s.state());
            assertEquals(199, seen.size());
            assertEquals(199L, seen.get(198));
            assertEquals(positions.get(198), store.checkpoints().load("halting").orElseThrow());
            SubscriptionHaltedException halted = assertInstanceOf(SubscriptionHaltedException.class,
                    s.failure().orElseThrow());
            assertEquals(positions.get(199), halted.event().position());
        } finally {
            s.stop(WAIT);
        }
    }

    @Test
    void transactionalSubscriptionDeadLettersAnUndecodableRowAndCommitsTheRest() throws SQLException {
        Databases.Location location = db().newLocation();
        JdbiEventStore store = db().open(location);
        List<Position> positions = deposit(store, 50);
        corrupt(location, store, 20);
        Jdbi jdbi = Jdbi.create(location.dataSource());
        DeadLetterStore letters = JdbiDeadLetterStore.create(jdbi, store);
        List<Long> seen = new CopyOnWriteArrayList<>();
        try (Subscription s = Subscription.builder("tx-poisoned", store, store.checkpoints()).deadLetters(letters)
                .transactional(JdbiTransactor.of(jdbi, store),
                        (handle, event) -> seen.add(((Deposited) event.data()).cents()))
                .build().start()) {
            assertTrue(s.awaitPosition(positions.get(49), WAIT));
            assertEquals(49, seen.size());
            assertEquals(positions.get(19), letters.list("tx-poisoned", 10).get(0).position());
        }
    }

    @Test
    void handlerErrorWithNulBytesIsStoredAsADeadLetter() {
        Databases.Location location = db().newLocation();
        JdbiEventStore store = db().open(location);
        List<Position> positions = deposit(store, 3);
        DeadLetterStore letters = JdbiDeadLetterStore.create(Jdbi.create(location.dataSource()), store);
        try (Subscription s = Subscription.builder("nul", store, store.checkpoints()).deadLetters(letters)
                .retry(Backoff.noRetry())
                .handler(event -> {
                    if (((Deposited) event.data()).cents() == 2) {
                        throw new IllegalStateException("bad\0byte \uD800");
                    }
                }).build().start()) {
            assertTrue(s.awaitPosition(positions.get(2), WAIT));
            DeadLetter letter = letters.list("nul", 10).get(0);
            assertEquals("java.lang.IllegalStateException: bad\\0byte \uFFFD", letter.error());
            assertEquals(SubscriptionState.LIVE, s.state());
        }
    }

    @Test
    void anEventThatCouldNotBeReadBackIsNotWritten() {
        JdbiEventStore store = db().newStore();
        deposit(store, 1);
        String huge = "x".repeat(20_000_001);
        assertThrows(dev.eskit.EventEncodingException.class,
                () -> store.append(A, ExpectedVersion.exactly(1), List.of(new Deposited(huge, 1))));
        assertEquals(1, store.streamVersion(A));
        assertEquals(1, store.readAll(Position.START, 10).size());
    }
}
