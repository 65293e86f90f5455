package dev.eskit.subscription;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.eskit.EventStore;
import dev.eskit.ExpectedVersion;
import dev.eskit.InvalidInputException;
import dev.eskit.Position;
import dev.eskit.StoredEvent;
import dev.eskit.StreamRef;
import dev.eskit.codec.EventTypes;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Transactional subscriptions, against a fake database whose transactions commit a copy or nothing. */
class TransactionalSubscriptionTest {

    record Added(String key, int amount) {
    }

    static final Duration WAIT = Duration.ofSeconds(20);
    static final Backoff FAST = Backoff.exponential(2, Duration.ofMillis(1), Duration.ofMillis(2));

    final EventStore store = EventStore.inMemory(EventTypes.builder().add("t.Added", Added.class).build());
    final FakeDatabase db = new FakeDatabase();

    void add(int count) {
        for (int i = 1; i <= count; i++) {
            store.append(StreamRef.of("k", "k" + (i % 3)), ExpectedVersion.any(), List.of(new Added("k" + (i % 3), i)));
        }
    }

    /** The read model a correct projection of the whole log gives: a sum per key, skipping {@code except}. */
    Map<String, Integer> foldOfTheLog(int except) {
        Map<String, Integer> sums = new HashMap<>();
        for (StoredEvent<Object> event : store.readAll(Position.START, 10_000)) {
            Added added = (Added) event.data();
            if (added.amount() != except) {
                sums.merge(added.key(), added.amount(), Integer::sum);
            }
        }
        return sums;
    }

    static final TransactionalHandler<FakeDatabase.Tx> SUM = (tx, event) -> {
        Added added = (Added) event.data();
        tx.model.merge(added.key(), added.amount(), Integer::sum);
    };

    Subscription.Builder builder(TransactionalHandler<FakeDatabase.Tx> handler) {
        return Subscription.builder("sums", store, db).transactional(db.transactor, handler).retry(FAST)
                .onPoison(PoisonPolicy.DEAD_LETTER);
    }

    @Test
    void eventsCommitInTransactionsOfCheckpointEveryEventsEachWithItsCheckpoint() {
        add(25);
        try (Subscription s = builder(SUM).checkpointEvery(10).build().start()) {
            assertTrue(s.awaitCaughtUp(WAIT));
        }
        assertEquals(3, db.commits.get());
        assertEquals(List.of(10L, 20L, 25L), db.checkpointHistory);
        assertEquals(foldOfTheLog(-1), db.model);
    }

    /** Two copies of one subscription: the one whose save finds the checkpoint moved rolls back and stops. */
    @Test
    void aSecondCopyStopsAtItsFirstSaveSoNoEventIsAppliedTwice() {
        try (Subscription one = builder(SUM).checkpointEvery(4).build().start();
             Subscription two = builder(SUM).checkpointEvery(4).build().start()) {
            // Both have read their (missing) checkpoint before any event exists, as two nodes started together.
            assertTrue(one.awaitCaughtUp(WAIT));
            assertTrue(two.awaitCaughtUp(WAIT));
            add(30);
            Position last = store.latestPosition();
            boolean oneDone = one.awaitPosition(last, WAIT);
            boolean twoDone = two.awaitPosition(last, WAIT);
            assertTrue(oneDone != twoDone, oneDone + ", " + twoDone);
            Subscription stopped = oneDone ? two : one;
            assertFalse(stopped.isRunning());
            assertEquals(SubscriptionState.STOPPED, stopped.state());
            String why = stopped.lastError().orElseThrow().getMessage();
            assertTrue(why.startsWith("The checkpoint of subscription \"sums\" is no longer at "), why);
            assertTrue(why.contains("Run one copy at a time"), why);
        }
        assertEquals(foldOfTheLog(-1), db.model, "every event applied once");
        assertEquals(Optional.of(Position.of(30)), db.load("sums"));
    }

    /** A checkpoint deleted under a running subscription (a rebuild from the CLI): it stops instead of writing it back. */
    @Test
    void aCheckpointDeletedUnderARunningSubscriptionStopsIt() {
        add(10);
        try (Subscription s = builder(SUM).checkpointEvery(5).build().start()) {
            assertTrue(s.awaitCaughtUp(WAIT));
            db.delete("sums");
            add(5);
            assertFalse(s.awaitPosition(store.latestPosition(), WAIT), "it stopped");
            String why = s.lastError().orElseThrow().getMessage();
            assertTrue(why.startsWith("The checkpoint of subscription \"sums\" is no longer at " + Position.of(10)),
                    why);
        }
        assertEquals(Optional.empty(), db.load("sums"), "not written back");
    }

    @Test
    void crashMidTransactionLeavesReadModelAndCheckpointConsistentSoNoEventIsAppliedTwice() {
        add(40);
        AtomicBoolean crash = new AtomicBoolean(true);
        Subscription first = builder((tx, event) -> {
            SUM.handle(tx, event);
            if (crash.get() && ((Added) event.data()).amount() == 27) {
                throw new SubscriptionTest.Crash();
            }
        }).checkpointEvery(10).build().start();
        assertThrows(SubscriptionException.class, () -> first.awaitCaughtUp(WAIT));
        assertTrue(first.stop(WAIT));
        // Events 21..27 were applied inside the open transaction, which rolled back with the crash.
        assertEquals(Optional.of(Position.of(20)), db.load("sums"));
        crash.set(false);
        try (Subscription second = builder(SUM).checkpointEvery(10).build().start()) {
            assertTrue(second.awaitCaughtUp(WAIT));
        }
        assertEquals(foldOfTheLog(-1), db.model);
        assertEquals(Optional.of(Position.of(40)), db.load("sums"));
    }

    @Test
    void poisonEventRollsBackItsBatchThenOnlyItIsDeadLetteredAndTheRestApplied() {
        add(12);
        AtomicInteger poisonAttempts = new AtomicInteger();
        try (Subscription s = builder((tx, event) -> {
            if (((Added) event.data()).amount() == 7) {
                poisonAttempts.incrementAndGet();
                throw new IllegalStateException("poison");
            }
            SUM.handle(tx, event);
        }).checkpointEvery(5).build().start()) {
            assertTrue(s.awaitCaughtUp(WAIT));
            List<DeadLetter> letters = s.deadLetters();
            assertEquals(1, letters.size());
            assertEquals(Position.of(7), letters.get(0).position());
            // Once in the batch of 6..10, then twice on its own.
            assertEquals(3, poisonAttempts.get());
        }
        assertEquals(foldOfTheLog(7), db.model);
        assertEquals(Optional.of(Position.of(12)), db.load("sums"));
    }

    @Test
    void replayedDeadLetterRunsInATransactionWithoutMovingTheCheckpoint() {
        add(3);
        AtomicBoolean broken = new AtomicBoolean(true);
        try (Subscription s = builder((tx, event) -> {
            if (broken.get() && ((Added) event.data()).amount() == 2) {
                throw new IllegalStateException("bad");
            }
            SUM.handle(tx, event);
        }).build().start()) {
            assertTrue(s.awaitCaughtUp(WAIT));
            broken.set(false);
            assertEquals(1, s.replayDeadLetters());
        }
        assertEquals(foldOfTheLog(-1), db.model);
        assertEquals(Optional.of(Position.of(3)), db.load("sums"));
    }

    @Test
    void handlerAndTransactionalHandlerAreExclusive() {
        assertThrows(InvalidInputException.class, () -> Subscription.builder("x", store, db)
                .handler(e -> { }).transactional(db.transactor, SUM).build());
    }

    @Test
    void aTenantsTransactionalSubscriptionSavesAndResumesFromItsScopedCheckpoint() {
        EventStore acme = dev.eskit.tenancy.TenantScopedEventStore.of(store, dev.eskit.tenancy.TenantId.of("acme"));
        acme.append(StreamRef.of("k", "k1"), ExpectedVersion.any(), List.of(new Added("k1", 5)));
        store.append(StreamRef.of("k", "k1"), ExpectedVersion.any(), List.of(new Added("k1", 7)));
        try (Subscription first = Subscription.builder("sums", acme, db).transactional(db.transactor, SUM)
                .retry(FAST).build().start()) {
            assertTrue(first.awaitCaughtUp(WAIT));
        }
        assertEquals(Map.of("k1", 5), db.model, "only the tenant's event");
        assertTrue(db.checkpoints.containsKey("acme::sums"), db.checkpoints.toString());
        assertFalse(db.checkpoints.containsKey("sums"), db.checkpoints.toString());
        try (Subscription second = Subscription.builder("sums", acme, db).transactional(db.transactor, SUM)
                .retry(FAST).build().start()) {
            assertTrue(second.awaitCaughtUp(WAIT));
        }
        assertEquals(Map.of("k1", 5), db.model, "resumed from its checkpoint: nothing handled twice");
    }

    /** A database of one map and a checkpoint table; a transaction works on copies and commits by replacing them. */
    static final class FakeDatabase implements CheckpointStore {
        final AtomicInteger commits = new AtomicInteger();
        final List<Long> checkpointHistory = new java.util.concurrent.CopyOnWriteArrayList<>();
        volatile Map<String, Integer> model = new HashMap<>();
        volatile Map<String, Position> checkpoints = new HashMap<>();

        static final class Tx {
            final Map<String, Integer> model;
            final Map<String, Position> checkpoints;

            Tx(Map<String, Integer> model, Map<String, Position> checkpoints) {
                this.model = new HashMap<>(model);
                this.checkpoints = new HashMap<>(checkpoints);
            }
        }

        final Transactor<Tx> transactor = new Transactor<>() {
            @Override
            public void inTransaction(Work<Tx> work) throws Exception {
                synchronized (FakeDatabase.this) {
                    Tx tx = new Tx(model, checkpoints);
                    work.run(tx);
                    Position before = checkpoints.get("sums");
                    model = tx.model;
                    checkpoints = tx.checkpoints;
                    Position after = checkpoints.get("sums");
                    if (after != null && !after.equals(before)) {
                        checkpointHistory.add(after.sequence());
                    }
                    commits.incrementAndGet();
                }
            }

            @Override
            public void saveCheckpoint(Tx transaction, String name, Position position) {
                transaction.checkpoints.put(name, position);
            }

            @Override
            public boolean saveCheckpoint(Tx transaction, String name, Position expected, Position position) {
                if (!java.util.Objects.equals(transaction.checkpoints.get(name), expected)) {
                    return false;
                }
                transaction.checkpoints.put(name, position);
                return true;
            }
        };

        @Override
        public synchronized Optional<Position> load(String name) {
            return Optional.ofNullable(checkpoints.get(name));
        }

        @Override
        public synchronized void save(String name, Position position) {
            throw new AssertionError("a transactional subscription saves its checkpoint through the transactor");
        }

        @Override
        public synchronized void delete(String name) {
            Map<String, Position> copy = new HashMap<>(checkpoints);
            copy.remove(name);
            checkpoints = copy;
        }
    }
}
