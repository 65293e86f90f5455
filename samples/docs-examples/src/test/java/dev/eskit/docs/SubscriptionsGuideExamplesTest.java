package dev.eskit.docs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.eskit.EventStore;
import dev.eskit.ExpectedVersion;
import dev.eskit.StoredEvent;
import dev.eskit.StreamRef;
import dev.eskit.codec.EventTypes;
import dev.eskit.jdbi.JdbiEventStore;
import dev.eskit.jdbi.postgres.PostgresLeaderElection;
import dev.eskit.jdbi.postgres.PostgresNotifier;
import dev.eskit.leader.InMemoryLeaderElection;
import dev.eskit.leader.LeaderElection;
import dev.eskit.leader.LeaderSupervisor;
import dev.eskit.projection.Projector;
import dev.eskit.subscription.Backoff;
import dev.eskit.subscription.CheckpointStore;
import dev.eskit.subscription.DeadLetterStore;
import dev.eskit.subscription.PoisonPolicy;
import dev.eskit.subscription.Subscription;
import dev.eskit.subscription.SubscriptionException;
import dev.eskit.subscription.SubscriptionState;
import dev.eskit.todo.TodoItem;
import dev.eskit.todo.TodoProcessor;
import dev.eskit.todo.TodoStatus;
import dev.eskit.todo.TodoStore;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The examples of docs/subscriptions.md, on the in-memory store (the PostgreSQL ones are compiled, not run). */
class SubscriptionsGuideExamplesTest {

    private static final EventTypes TYPES = EventTypes.builder()
            .add("bank.Deposited", Deposited.class)
            .add("bank.Withdrawn", Withdrawn.class)
            .add("bank.Renamed", Renamed.class)
            .build();

    /** An event type the audit subscription filters out. */
    record Renamed(String accountId, String name) {
    }

    /** Stands in for the page's audit log. */
    static final class AuditLog {
        final List<StoredEvent<Object>> written = new CopyOnWriteArrayList<>();

        void write(StoredEvent<Object> event) {
            written.add(event);
        }
    }

    @Test
    void theAuditSubscriptionHandlesTheFilteredBacklogAndStopsWithItsCheckpointSaved() throws Exception {
        EventStore store = EventStore.inMemory(TYPES);
        AuditLog auditLog = new AuditLog();
        StreamRef account = StreamRef.of("account", "a-1");
        store.append(account, ExpectedVersion.noStream(), List.of(new Deposited("a-1", 100),
                new Renamed("a-1", "savings"), new Withdrawn("a-1", 30)));

        CheckpointStore checkpoints = CheckpointStore.inMemory();          // or the store's durable one
        Subscription audit = Subscription.builder("audit-log", store, checkpoints)
            .eventTypes("bank.Deposited", "bank.Withdrawn")                 // filtered in the store's query
            .handler(event -> auditLog.write(event))
            .build()
            .start();

        assertTrue(audit.awaitCaughtUp(Duration.ofSeconds(30)));            // the backlog is handled
        assertEquals(List.of(new Deposited("a-1", 100), new Withdrawn("a-1", 30)),
                auditLog.written.stream().map(StoredEvent::data).toList());
        assertEquals(SubscriptionState.LIVE, audit.state());
        audit.stop();                                                       // finishes the current event, saves the checkpoint

        assertEquals(SubscriptionState.STOPPED, audit.state());
        assertEquals(auditLog.written.get(1).position(), checkpoints.load("audit-log").orElseThrow());
    }

    /** "Across JVMs on PostgreSQL": compiled only, it needs a server at db. */
    @SuppressWarnings("unused")
    static void postgresNotifierAsOnThePage(JdbiEventStore store) {
        PostgresNotifier notifier = PostgresNotifier.start("jdbc:postgresql://db/app", "eskit_events");
        EventStore writes = notifier.notifying(store);          // give this one to the CommandBus
        Subscription balances = Subscription.builder("balances", store, store.checkpoints())
            .notifier(notifier)
            .pollInterval(Duration.ofSeconds(2))                // the fallback
            .handler(event -> { })
            .build();
    }

    /** "Running once across nodes" on PostgreSQL: compiled only. */
    @SuppressWarnings("unused")
    static void postgresLeaderElectionAsOnThePage() {
        PostgresLeaderElection election = PostgresLeaderElection.connect("jdbc:postgresql://db/app", "billing");
        LeaderSupervisor supervisor = LeaderSupervisor.create(election, Duration.ofSeconds(2));
    }

    @Test
    void theSupervisorStartsTheRoleItLeadsAndStopsItOnClose() throws Exception {
        EventStore store = EventStore.inMemory(TYPES);
        CheckpointStore checkpoints = CheckpointStore.inMemory();
        List<Object> seen = new CopyOnWriteArrayList<>();
        Projector projector = Projector.of("balances", Set.of("bank.Deposited"), event -> seen.add(event.data()));
        InMemoryLeaderElection election = LeaderElection.inMemory();

        LeaderSupervisor supervisor = LeaderSupervisor.create(election, Duration.ofMillis(20));
        Subscription balances = supervisor.supervise(projector.subscription(store, checkpoints));   // built, not started
        supervisor.start();
        try {
            store.append(StreamRef.of("account", "a-1"), ExpectedVersion.any(), List.of(new Deposited("a-1", 5)));
            assertTrue(balances.awaitPosition(store.readAll(dev.eskit.Position.START, 10).get(0).position(),
                    Duration.ofSeconds(30)));
            assertEquals(List.of(new Deposited("a-1", 5)), seen);
            assertTrue(supervisor.isLeader("balances"));

        } finally {
            supervisor.close();   // stops its roles gracefully and gives their leaderships up
        }
        assertFalse(balances.isRunning());
        assertFalse(supervisor.isLeader("balances"));
    }

    /** Stands in for the page's mailer. */
    static final class Mailer {
        final List<String> sent = new CopyOnWriteArrayList<>();
        final CountDownLatch twoSent = new CountDownLatch(2);

        void sendWelcome(String payload) {
            sent.add(payload);
            twoSent.countDown();
        }
    }

    @Test
    void theTodoProcessorWorksThroughTheListAndAddingAnIdTwiceAddsItOnce() throws Exception {
        Mailer mailer = new Mailer();
        TodoStore todos = TodoStore.inMemory();
        assertTrue(todos.add("welcome-emails", "user-17", "alice@example.com"));
        assertFalse(todos.add("welcome-emails", "user-17", "alice@example.com"));   // a redelivered event adds nothing
        todos.add("welcome-emails", "user-18", "bob@example.com");

        TodoProcessor emails = TodoProcessor.builder("welcome-emails", todos, item -> mailer.sendWelcome(item.payload()))
            .workers(4)                         // threads
            .batchSize(10)                      // items a worker claims at once
            .lease(Duration.ofMinutes(2))       // longer than processing a batch takes
            .retry(Backoff.exponential(5, Duration.ofSeconds(10), Duration.ofMinutes(10)))
            .build()
            .start();
        try {
            assertTrue(mailer.twoSent.await(30, TimeUnit.SECONDS));
        } finally {
            emails.stop();
        }
        assertEquals(Set.of("alice@example.com", "bob@example.com"), Set.copyOf(mailer.sent));
        assertEquals(2, todos.list("welcome-emails", TodoStatus.DONE, 10).stream().map(TodoItem::id).distinct().count());
    }

    /** Stands in for the page's read models. */
    static final class View {
        final List<Object> applied = new CopyOnWriteArrayList<>();

        void apply(StoredEvent<Object> event) {
            if (event.data() instanceof Withdrawn) {
                throw new IllegalStateException("cannot apply a withdrawal");
            }
            applied.add(event.data());
        }
    }

    @Test
    void aPoisonEventIsDeadLetteredWithADeadLetterStoreAndHaltsWithoutOne() {
        EventStore store = EventStore.inMemory(TYPES);
        store.append(StreamRef.of("account", "a-1"), ExpectedVersion.noStream(),
                List.of(new Deposited("a-1", 100), new Withdrawn("a-1", 30), new Deposited("a-1", 5)));
        CheckpointStore checkpoints = CheckpointStore.inMemory();
        View view = new View();
        View ledger = new View();

        Subscription balances = Subscription.builder("balances", store, checkpoints)
            .deadLetters(DeadLetterStore.inMemory())                 // poison events are parked: DEAD_LETTER
            .retry(Backoff.noRetry())
            .handler(view::apply)
            .build()
            .start();
        Subscription halting = Subscription.builder("ledger", store, checkpoints)
            .retry(Backoff.noRetry())
            .handler(ledger::apply)                                  // no dead-letter store: HALT on a poison event
            .build()
            .start();
        try {
            assertTrue(balances.awaitCaughtUp(Duration.ofSeconds(30)));
            assertEquals(List.of(new Deposited("a-1", 100), new Deposited("a-1", 5)), view.applied);
            assertEquals(1, balances.deadLetters().size());

            SubscriptionException halted = org.junit.jupiter.api.Assertions.assertThrows(
                    SubscriptionException.class, () -> halting.awaitCaughtUp(Duration.ofSeconds(30)));
            assertTrue(halted.getMessage().contains("bank.Withdrawn"), halted.getMessage());
            halting.stop();
            assertEquals(SubscriptionState.HALTED, halting.state());
            assertEquals(List.of(new Deposited("a-1", 100)), ledger.applied);
            assertEquals(PoisonPolicy.HALT, halting.poisonPolicy());
        } finally {
            balances.stop();
            halting.stop();
        }
    }
}
