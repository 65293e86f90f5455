package dev.eskit.change;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.eskit.EventStore;
import dev.eskit.ExpectedVersion;
import dev.eskit.Position;
import dev.eskit.StreamRef;
import dev.eskit.codec.EventTypes;
import dev.eskit.projection.Projector;
import dev.eskit.subscription.Backoff;
import dev.eskit.subscription.CheckpointStore;
import dev.eskit.subscription.Subscription;
import dev.eskit.subscription.TransactionalHandler;
import dev.eskit.subscription.Transactor;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/** Projections announce their changes only once they are visible: after the handler, after the commit. */
class AnnouncingProjectionTest {

    record Deposited(String accountId, long cents) {
    }

    static final Duration WAIT = Duration.ofSeconds(20);

    final EventStore store = EventStore.inMemory(EventTypes.builder().add("bank.Deposited", Deposited.class).build());
    final ChangeNotifier notifier = ChangeNotifier.create();

    void deposit(String account, long cents) {
        store.append(StreamRef.of("account", account), ExpectedVersion.any(), List.of(new Deposited(account, cents)));
    }

    static ChangeSignal next(ChangeSubscription subscription) throws InterruptedException {
        Optional<ChangeSignal> signal = subscription.poll(WAIT);
        assertTrue(signal.isPresent(), "no signal within " + WAIT);
        return signal.get();
    }

    @Test
    void aPlainProjectorAnnouncesEachEventAfterApplyingItAndAResyncOnRebuild() throws Exception {
        Map<String, Long> balances = new ConcurrentHashMap<>();
        Projector projector = notifier.announcing(Projector.of("balances", Set.of("bank.Deposited"), event -> {
            Deposited d = (Deposited) event.data();
            balances.merge(d.accountId(), d.cents(), Long::sum);
        }, balances::clear), ChangeKeys.streamId());
        List<String> seenWhenAnnounced = new CopyOnWriteArrayList<>();
        notifier.onPublish(change -> change.keys().forEach(k -> seenWhenAnnounced.add(k + "=" + balances.get(k))));
        deposit("alice", 5);
        deposit("bob", 7);
        try (ChangeSubscription alice = notifier.subscribe(List.of(Topic.of("balances", "alice")));
             Subscription running = projector.subscription(store, CheckpointStore.inMemory()).build().start()) {
            assertEquals(Change.of("balances", List.of("alice"), Position.of(1)), next(alice));
            assertTrue(running.awaitCaughtUp(WAIT));
            // When each change was announced, the read model already held it.
            assertEquals(List.of("alice=5", "bob=7"), seenWhenAnnounced);
            running.rebuild();
            assertEquals("rebuild", ((Resync) next(alice)).reason());
            assertEquals(Change.of("balances", List.of("alice"), Position.of(1)), next(alice));
        }
    }

    /** A database whose transactions work on a copy and commit by replacing the model, or fail to commit. */
    static final class FakeDatabase implements Transactor<Map<String, Long>>, CheckpointStore {
        volatile Map<String, Long> committed = new HashMap<>();
        volatile Position checkpoint;
        final AtomicBoolean failCommits = new AtomicBoolean();
        final List<Integer> committedSizes = new CopyOnWriteArrayList<>();

        @Override
        public synchronized void inTransaction(Work<Map<String, Long>> work) throws Exception {
            Map<String, Long> copy = new HashMap<>(committed);
            copy.put("#checkpoint", checkpoint == null ? 0 : checkpoint.sequence());
            work.run(copy);
            if (failCommits.get()) {
                throw new IllegalStateException("commit failed");
            }
            checkpoint = Position.of(copy.remove("#checkpoint"));
            committed = copy;
            committedSizes.add(copy.size());
        }

        @Override
        public void saveCheckpoint(Map<String, Long> transaction, String name, Position position) {
            transaction.put("#checkpoint", position.sequence());
        }

        @Override
        public synchronized Optional<Position> load(String name) {
            return Optional.ofNullable(checkpoint);
        }

        @Override
        public void save(String name, Position position) {
            throw new AssertionError("saved through the transactor");
        }

        @Override
        public synchronized void delete(String name) {
            checkpoint = null;
        }
    }

    @Test
    void aTransactionalProjectionAnnouncesOneChangePerCommitAndNothingForAFailedCommit() throws Exception {
        FakeDatabase db = new FakeDatabase();
        AnnouncingTransactor<Map<String, Long>> live = notifier.announcing("balances", db, ChangeKeys.streamId());
        TransactionalHandler<Map<String, Long>> sum = (tx, event) -> {
            Deposited d = (Deposited) event.data();
            tx.merge(d.accountId(), d.cents(), Long::sum);
        };
        List<String> committedWhenAnnounced = new ArrayList<>();
        notifier.onPublish(change -> committedWhenAnnounced.add(change.position() + ":" + db.committed.keySet()));
        deposit("alice", 1);
        deposit("bob", 2);
        deposit("alice", 3);
        try (ChangeSubscription all = notifier.subscribe(List.of(Topic.of("balances")));
             Subscription running = Subscription.builder("balances", store, db)
                     .transactional(live, live.handler(sum))
                     .checkpointEvery(10)
                     .retry(Backoff.exponential(100, Duration.ofMillis(50), Duration.ofMillis(50)))
                     .build().start()) {
            assertEquals(Change.of("balances", List.of("alice", "bob"), Position.of(3)), next(all));
            assertTrue(running.awaitCaughtUp(WAIT));
            // Announced after the commit: the committed model already had both accounts.
            assertEquals(List.of("0.3:[alice, bob]"), committedWhenAnnounced.stream()
                    .map(s -> s.replace("[bob, alice]", "[alice, bob]")).toList());

            // Commits now fail: the handler runs, the transaction never commits, nothing is announced.
            db.failCommits.set(true);
            deposit("carol", 4);
            running.wake();
            long deadline = System.nanoTime() + WAIT.toNanos();
            while (running.lastError().isEmpty() && System.nanoTime() < deadline) {
                Thread.onSpinWait();
            }
            assertTrue(running.lastError().isPresent());
            assertEquals(Optional.empty(), all.poll());
            assertEquals(1, notifier.published());

            db.failCommits.set(false);
            assertEquals(Change.of("balances", List.of("carol"), Position.of(4)), next(all));
            assertEquals(4L, db.committed.get("carol"));
        }
    }

    @Test
    void theHandlerOutsideTheAnnouncingTransactorFailsWithAMessage() {
        FakeDatabase db = new FakeDatabase();
        AnnouncingTransactor<Map<String, Long>> live = notifier.announcing("balances", db, ChangeKeys.whole());
        Exception e = org.junit.jupiter.api.Assertions.assertThrows(IllegalStateException.class,
                () -> live.handler((tx, event) -> { }).handle(new HashMap<>(), null));
        assertTrue(e.getMessage().contains("AnnouncingTransactor"));
        Resync resync = new Resync(Position.START, "x");
        assertInstanceOf(ChangeSignal.class, resync);
    }
}
