package dev.eskit.jdbi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.eskit.AppendResult;
import dev.eskit.Decider;
import dev.eskit.ExpectedVersion;
import dev.eskit.Position;
import dev.eskit.StoredEvent;
import dev.eskit.StreamRef;
import dev.eskit.automation.Automations;
import dev.eskit.command.CommandBus;
import dev.eskit.command.CommandRoute;
import dev.eskit.jdbi.TestEvents.Deposited;
import dev.eskit.jdbi.TestEvents.Withdrawn;
import dev.eskit.jdbi.postgres.PostgresLeaderElection;
import dev.eskit.jdbi.subscription.JdbiTodoStore;
import dev.eskit.jdbi.subscription.JdbiTransactor;
import dev.eskit.leader.LeaderSupervisor;
import dev.eskit.subscription.Subscription;
import dev.eskit.todo.TodoProcessor;
import dev.eskit.todo.TodoStore;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;
import java.util.function.Function;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Failover without two leaders: the leader's connection is killed ({@code pg_terminate_backend}) while it works through
 * a backlog, 20 times; no handler call of the old run may overlap one of the new run, for plain and transactional
 * subscriptions, automations and todo processors. The supervisors check their leaderships every 100 ms and a batch takes about half a second to handle, so
 * a run that only noticed its loss at its supervisor's next check would still be handling when the other node starts.
 */
class PostgresFailoverTest {

    @RegisterExtension
    static final Databases DB = Databases.postgres();

    static final Duration WAIT = Duration.ofSeconds(60);
    static final int ROUNDS = 20;
    static final int EVENTS_PER_ROUND = 260;
    static final String ROLE = "failover";

    final String namespace = "f-" + UUID.randomUUID();

    /** One handler call: which run (thread) made it, and when. */
    record Call(long thread, long start, long end) {
    }

    final List<Call> calls = new ArrayList<>();
    final Set<Long> handled = ConcurrentHashMap.newKeySet();

    /** The work of one handler call: about 2 ms (a slow read model), recorded with the calling run. */
    void work(StoredEvent<Object> event) {
        long start = System.nanoTime();
        LockSupport.parkNanos(2_000_000);
        long end = System.nanoTime();
        synchronized (calls) {
            calls.add(new Call(Thread.currentThread().getId(), start, end));
        }
        handled.add(event.globalPosition());
    }

    /** A command an automation sends for each deposit: one stream per deposit. */
    record Withdraw(String id, long cents) {
    }

    /** Handler calls of todo items and automations, by key (item id, or "e" + the event's position). */
    final Set<String> handledKeys = ConcurrentHashMap.newKeySet();

    void work(String key) {
        long start = System.nanoTime();
        LockSupport.parkNanos(2_000_000);
        long end = System.nanoTime();
        synchronized (calls) {
            calls.add(new Call(Thread.currentThread().getId(), start, end));
        }
        handledKeys.add(key);
    }

    @Test
    void automationsNeverHandleOnTwoNodesAtOnceAndSendEachCommandOnce() throws Exception {
        JdbiEventStore store = DB.newStore();
        Decider<Integer, Withdraw, Withdrawn> decider = Decider.of(() -> 0,
                (Integer state, Withdraw command) -> List.of(new Withdrawn(command.id(), command.cents())),
                (Integer state, Withdrawn event) -> state + 1);
        CommandBus bus = CommandBus.builder(store)
                .register(CommandRoute.of(Withdraw.class, "withdrawal", Withdraw::id, decider)).build();
        String role = "failover-automation";
        int perRound = 60;
        failoverRounds(role, node -> node.supervise(Subscription.builder(role, store, store.checkpoints())
                .pollInterval(Duration.ofMillis(20)).eventTypes("test.Deposited")
                .checkpointEvery(1000).checkpointInterval(Duration.ofSeconds(10))
                .handler(Automations.handler(role, bus, event -> {
                    work("e" + event.globalPosition());
                    return List.of(new Withdraw("w" + event.globalPosition(), 1));
                }))), round -> {
                    List<Deposited> deposits = new ArrayList<>();
                    for (int i = 0; i < perRound; i++) {
                        deposits.add(new Deposited("a" + round, i));
                    }
                    AppendResult appended = store.append(StreamRef.of("account", "a" + round), ExpectedVersion.any(),
                            deposits);
                    return appended.events().stream().map(e -> "e" + e.globalPosition()).toList();
                });
        // Events handled twice (by the old leader after its last checkpoint, then by the new one) sent their
        // commands with the same idempotency keys: every deposit caused exactly one withdrawal.
        long withdrawals = 0;
        Position after = Position.START;
        while (true) {
            List<StoredEvent<Object>> page = store.readAll(after, 1000, Set.of("test.Withdrawn"));
            if (page.isEmpty()) {
                break;
            }
            withdrawals += page.size();
            after = page.get(page.size() - 1).position();
        }
        assertEquals((long) ROUNDS * perRound, withdrawals, "one withdrawal per deposit");
    }

    @Test
    void todoProcessorsNeverProcessOnTwoNodesAtOnce() throws Exception {
        Databases.Location location = DB.newLocation();
        JdbiEventStore store = DB.open(location);
        // A small pool: a connection per claim and completion would make the rounds slow.
        com.zaxxer.hikari.HikariConfig pool = new com.zaxxer.hikari.HikariConfig();
        pool.setDataSource(location.dataSource());
        pool.setMaximumPoolSize(4);
        TodoStore todos = JdbiTodoStore.create(Jdbi.create(DB.track(new com.zaxxer.hikari.HikariDataSource(pool))),
                store);
        String list = "failover-todo";
        int perRound = 60;
        failoverRounds("todo:" + list, node -> node.supervise(TodoProcessor.builder(list, todos,
                        item -> work(item.id())).batchSize(40).lease(Duration.ofSeconds(5))
                        .pollInterval(Duration.ofMillis(20))),
                round -> {
                    List<String> ids = new ArrayList<>();
                    for (int i = 0; i < perRound; i++) {
                        String id = "r" + round + "-" + i;
                        todos.add(list, id, "p");
                        ids.add(id);
                    }
                    return ids;
                });
    }

    /**
     * Two nodes compete for {@code role}; each round {@code feed} adds work (returning the keys its handler calls
     * will record) and the leader's connection is killed once it has handled 20 of them.
     */
    private void failoverRounds(String role, Consumer<LeaderSupervisor> supervise,
                                Function<Integer, List<String>> feed) throws Exception {
        List<LeaderSupervisor> nodes = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            LeaderSupervisor node = DB.track(LeaderSupervisor.create(
                    DB.track(PostgresLeaderElection.connect(Databases.postgresUrl(), namespace)), Duration.ofMillis(100)));
            supervise.accept(node);
            node.start();
            nodes.add(node);
        }
        int failovers = 0;
        List<String> all = new ArrayList<>();
        for (int round = 1; round <= ROUNDS; round++) {
            List<String> keys = feed.apply(round);
            all.addAll(keys);
            awaitTrue(() -> keys.stream().filter(handledKeys::contains).count() >= 20, "the leader started round "
                    + round);
            if (terminateHolder(role)) {
                failovers++;
            }
            awaitTrue(() -> handledKeys.containsAll(keys), "round " + round + " was handled to its end");
        }
        for (LeaderSupervisor node : nodes) {
            node.close();
        }
        long overlapNanos = overlap();
        System.out.println("PostgresFailoverTest " + role + ": leader killed mid-round in " + failovers + " of " + ROUNDS
                + " rounds, " + all.size() + " items, overlap " + overlapNanos / 1_000 + " microseconds");
        assertTrue(failovers >= ROUNDS - 2, "the leader was killed mid-round in most rounds: " + failovers);
        assertEquals(0, overlapNanos, "two runs handled work at the same time for " + overlapNanos / 1_000
                + " microseconds in total");
        assertTrue(handledKeys.containsAll(all), "every item was handled");
    }

    @Test
    void plainSubscriptionsNeverHandleOnTwoNodesAtOnce() throws Exception {
        JdbiEventStore store = DB.newStore();
        // Checkpoints (where the guard was asked before) only every 1,000 events or 10 s.
        failoverRounds(store, builder -> builder.checkpointEvery(1000).checkpointInterval(Duration.ofSeconds(10))
                .handler(this::work));
    }

    @Test
    void transactionalSubscriptionsNeverHandleOnTwoNodesAtOnce() throws Exception {
        Databases.Location location = DB.newLocation();
        JdbiEventStore store = DB.open(location);
        Jdbi jdbi = Jdbi.create(location.dataSource());
        failoverRounds(store, builder -> builder.checkpointEvery(20)
                .transactional(JdbiTransactor.of(jdbi, store), (handle, event) -> work(event)));
    }

    private void failoverRounds(JdbiEventStore store,
                                Function<Subscription.Builder, Subscription.Builder> handler) throws Exception {
        List<Subscription> nodes = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            LeaderSupervisor node = DB.track(LeaderSupervisor.create(
                    DB.track(PostgresLeaderElection.connect(Databases.postgresUrl(), namespace)), Duration.ofMillis(100)));
            nodes.add(node.supervise(handler.apply(Subscription.builder(ROLE, store, store.checkpoints())
                    .pollInterval(Duration.ofMillis(20)))));
            node.start();
        }
        int failovers = 0;
        for (int round = 1; round <= ROUNDS; round++) {
            // One append: the whole round is a backlog at once, read in batches of 256.
            List<Deposited> deposits = new ArrayList<>();
            for (int i = 0; i < EVENTS_PER_ROUND; i++) {
                deposits.add(new Deposited("r" + round, i));
            }
            dev.eskit.AppendResult appended = store.append(StreamRef.of("account", "r" + round),
                    ExpectedVersion.any(), deposits);
            Position last = appended.lastPosition();
            long from = appended.events().get(0).globalPosition();
            // Kill the leader's connection while it is in the middle of this round's backlog.
            awaitTrue(() -> handled.stream().filter(p -> p >= from).count() >= 20, "the leader started round "
                    + round);
            if (terminateHolder()) {
                failovers++;
            }
            long lastSequence = last.sequence();
            awaitTrue(() -> handled.contains(lastSequence), "round " + round + " was handled to its end");
        }
        assertTrue(failovers >= ROUNDS - 2, "the leader was killed mid-round in most rounds: " + failovers);
        long overlapNanos = overlap();
        assertEquals(0, overlapNanos, "two runs handled events at the same time for " + overlapNanos / 1_000
                + " microseconds in total");
        for (long sequence = 1; sequence <= ROUNDS * EVENTS_PER_ROUND; sequence++) {
            assertTrue(handled.contains(sequence), "event " + sequence + " was handled");
        }
        for (Subscription node : nodes) {
            node.stop();
        }
    }

    /** The total time during which handler calls of two different runs overlapped. */
    private long overlap() {
        List<Call> all;
        synchronized (calls) {
            all = new ArrayList<>(calls);
        }
        all.sort((a, b) -> Long.compare(a.start(), b.start()));
        long total = 0;
        for (int i = 0; i < all.size(); i++) {
            Call a = all.get(i);
            for (int j = i + 1; j < all.size() && all.get(j).start() < a.end(); j++) {
                Call b = all.get(j);
                if (b.thread() != a.thread()) {
                    total += Math.min(a.end(), b.end()) - b.start();
                }
            }
        }
        return total;
    }

    private static void awaitTrue(java.util.function.BooleanSupplier condition, String what) {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!condition.getAsBoolean()) {
            assertTrue(System.nanoTime() < deadline, "timed out waiting until " + what);
            LockSupport.parkNanos(1_000_000);
        }
    }

    /** Kills the backend that holds the role's lock; false when nobody held it at that moment. */
    private boolean terminateHolder() throws Exception {
        return terminateHolder(ROLE);
    }

    /** Kills the backend that holds {@code role}'s lock; false when nobody held it at that moment. */
    private boolean terminateHolder(String role) throws Exception {
        long key = PostgresLeaderElection.lockKey(namespace, role);
        try (Connection admin = DriverManager.getConnection(Databases.postgresUrl());
             PreparedStatement statement = admin.prepareStatement("SELECT pg_terminate_backend(pid) FROM pg_locks"
                     + " WHERE locktype = 'advisory' AND granted AND classid::bigint = ? AND objid::bigint = ?"
                     + " AND objsubid = 1")) {
            statement.setLong(1, key >>> 32);
            statement.setLong(2, key & 0xffffffffL);
            try (ResultSet rows = statement.executeQuery()) {
                return rows.next() && rows.getBoolean(1);
            }
        }
    }
}
