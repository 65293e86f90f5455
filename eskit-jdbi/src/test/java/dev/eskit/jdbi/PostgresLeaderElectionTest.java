package dev.eskit.jdbi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.eskit.ExpectedVersion;
import dev.eskit.Position;
import dev.eskit.StreamRef;
import dev.eskit.jdbi.TestEvents.Deposited;
import dev.eskit.jdbi.postgres.PostgresLeaderElection;
import dev.eskit.leader.LeaderSupervisor;
import dev.eskit.leader.Leadership;
import dev.eskit.subscription.CheckpointStore;
import dev.eskit.subscription.Subscription;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Leader election with session advisory locks, in one JVM and across JVMs. */
class PostgresLeaderElectionTest {

    @RegisterExtension
    static final Databases DB = Databases.postgres();

    static final Duration WAIT = Duration.ofSeconds(60);
    final String namespace = "t-" + UUID.randomUUID();

    PostgresLeaderElection election() {
        return DB.track(PostgresLeaderElection.connect(Databases.postgresUrl(), namespace));
    }

    @Test
    void aRoleIsGrantedToOneSessionAtATimeAndFreedWhenClosed() {
        PostgresLeaderElection a = election();
        PostgresLeaderElection b = election();
        Leadership leader = a.tryAcquire("projector").orElseThrow();
        assertTrue(b.tryAcquire("projector").isEmpty());
        assertTrue(a.tryAcquire("projector").isEmpty(), "one holder per name on a node too");
        assertTrue(leader.isHeld());
        Leadership other = b.tryAcquire("other-role").orElseThrow();
        assertTrue(other.isHeld());
        leader.close();
        assertFalse(leader.isHeld());
        Leadership taken = b.tryAcquire("projector").orElseThrow();
        assertTrue(taken.isHeld());
        b.close();
        assertFalse(taken.isHeld());
        assertTrue(a.tryAcquire("projector").isPresent(), "closing the election released its locks");
    }

    @Test
    void aSupervisorWhoseElectionCannotConnectShowsTheFailureInLastError() {
        String url = Databases.postgresUrl();
        String bad = url.matches(".*[?&]user=[^&]*.*") ? url.replaceAll("([?&]user=)[^&]*", "$1nosuchuser")
                : url + (url.contains("?") ? "&" : "?") + "user=nosuchuser";
        JdbiEventStore store = DB.open(DB.newLocation());
        try (PostgresLeaderElection election = PostgresLeaderElection.connect(bad, namespace);
             LeaderSupervisor supervisor = LeaderSupervisor.create(election, Duration.ofMillis(50))) {
            Subscription subscription = supervisor.supervise(Subscription.builder("balances", store,
                    store.checkpoints()).handler(event -> { }));
            supervisor.start();
            long deadline = System.nanoTime() + WAIT.toNanos();
            while (supervisor.lastError().isEmpty()) {
                assertTrue(System.nanoTime() < deadline, "the failure to connect shows in lastError()");
                java.util.concurrent.locks.LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(10));
            }
            assertTrue(supervisor.lastError().get().toString().contains("nosuchuser"),
                    supervisor.lastError().get().toString());
            assertFalse(supervisor.isLeader("balances"));
            assertEquals(dev.eskit.subscription.SubscriptionState.NEW, subscription.state());
        }
    }

    @Test
    void aSessionWhoseConnectionIsKilledLosesEveryLeadershipAndAnotherTakesOver() throws Exception {
        PostgresLeaderElection a = election();
        PostgresLeaderElection b = election();
        Leadership first = a.tryAcquire("r1").orElseThrow();
        Leadership second = a.tryAcquire("r2").orElseThrow();
        terminateHolderOf("r1");
        assertFalse(first.isHeld());
        assertFalse(second.isHeld(), "the same connection held it");
        // pg_terminate_backend only signals the backend; its locks go when it has exited.
        assertTrue(acquireWithin(b, "r1").isHeld());
        assertTrue(acquireWithin(b, "r2").isHeld());
        assertTrue(a.tryAcquire("r3").isPresent(), "the election reconnects for new leaderships");
    }

    @Test
    void aSupervisedSubscriptionStopsWhenItsLockIsLostAndTheOtherNodeContinuesFromTheCheckpoint()
            throws Exception {
        JdbiEventStore store = DB.newStore();
        CheckpointStore checkpoints = store.checkpoints();
        List<String> handled = new CopyOnWriteArrayList<>();
        CountDownLatch[] until = {new CountDownLatch(5)};
        LeaderSupervisor nodeA = DB.track(LeaderSupervisor.create(election(), Duration.ofMillis(20)));
        LeaderSupervisor nodeB = DB.track(LeaderSupervisor.create(election(), Duration.ofMillis(20)));
        Subscription a = nodeA.supervise(Subscription.builder("ticks", store, checkpoints).checkpointEvery(1)
                .pollInterval(Duration.ofMillis(20)).handler(e -> {
                    handled.add("a" + e.globalPosition());
                    until[0].countDown();
                }));
        Subscription b = nodeB.supervise(Subscription.builder("ticks", store, checkpoints).checkpointEvery(1)
                .pollInterval(Duration.ofMillis(20)).handler(e -> {
                    handled.add("b" + e.globalPosition());
                    until[0].countDown();
                }));
        deposit(store, 5);
        nodeA.start();
        assertTrue(until[0].await(WAIT.toSeconds(), TimeUnit.SECONDS));
        nodeB.start();
        assertTrue(a.awaitCaughtUp(WAIT));

        terminateHolderOf("ticks");
        until[0] = new CountDownLatch(5);
        deposit(store, 5);
        assertTrue(until[0].await(WAIT.toSeconds(), TimeUnit.SECONDS), "node b took over: " + handled);
        // Node a's supervisor notices the lost lock on its next check (every 20 ms), maybe after b took over.
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (a.isRunning() && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        assertFalse(a.isRunning());
        assertTrue(b.isRunning());
        assertEquals(List.of("a1", "a2", "a3", "a4", "a5", "b6", "b7", "b8", "b9", "b10"), handled);
    }

    @Test
    void acrossJvmsOneNodeRunsTheProjectionAndAnotherTakesOverWhenItsProcessIsKilled() throws Exception {
        Databases.Location location = DB.newLocation();
        JdbiEventStore store = DB.open(location);
        List<String> args = location.childArguments();
        Jdbi jdbi = ProjectionChild.jdbi(args);
        String q = ProjectionChild.qualifier(args);
        ProjectionChild.createTables(jdbi, q);
        jdbi.useHandle(h -> h.execute("CREATE TABLE " + q + "handled_by (seq bigint NOT NULL, node text NOT NULL)"));
        deposit(store, 100);

        try (ChildJvm a = ChildJvm.start(LeaderNodeMain.class, prepend("A", args))) {
            assertTrue(a.await("handled 100", WAIT), "node A became leader and caught up");
            try (ChildJvm b = ChildJvm.start(LeaderNodeMain.class, prepend("B", args))) {
                assertTrue(b.await("ready", WAIT));
                deposit(store, 50);
                assertTrue(a.await("handled 150", WAIT), "node A, the leader, handles new events");
                a.kill();
                deposit(store, 50);
                assertTrue(b.await("handled 200", WAIT), "node B took over after node A died");
                assertFalse(b.hasPrinted("handled 100"), "node B continued from the checkpoint");
                // It prints inside the transaction; wait for the commit before killing it.
                awaitCheckpoint(store, 200);
            }
        }
        // Node A may have died inside a transaction (it prints before committing); node B redid that transaction's
        // events, and the read model still holds every event exactly once.
        assertEquals(200, count(jdbi, "SELECT count(*) FROM " + q + "applied"));
        assertEquals(200, count(jdbi, "SELECT count(DISTINCT seq) FROM " + q + "applied"));
        assertEquals(200, count(jdbi, "SELECT count(*) FROM " + q + "handled_by"));
        assertEquals(100, count(jdbi, "SELECT count(*) FROM " + q + "handled_by WHERE node = 'A' AND seq <= 100"));
        assertEquals(50, count(jdbi, "SELECT count(*) FROM " + q + "handled_by WHERE node = 'B' AND seq > 150"));
    }

    /** Tries to acquire {@code name} until it succeeds, for at most {@link #WAIT}. */
    private static Leadership acquireWithin(PostgresLeaderElection election, String name) {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (true) {
            java.util.Optional<Leadership> leadership = election.tryAcquire(name);
            if (leadership.isPresent()) {
                return leadership.get();
            }
            assertTrue(System.nanoTime() < deadline, "never acquired " + name);
            java.util.concurrent.locks.LockSupport.parkNanos(Duration.ofMillis(10).toNanos());
        }
    }

    /** Polls the checkpoint table (another process writes it) until it reaches event {@code sequence}. */
    private static void awaitCheckpoint(JdbiEventStore store, long sequence) {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (store.checkpoints().load(ProjectionChild.NAME).map(Position::sequence).orElse(0L) < sequence) {
            assertTrue(System.nanoTime() < deadline, "checkpoint never reached " + sequence);
            java.util.concurrent.locks.LockSupport.parkNanos(Duration.ofMillis(10).toNanos());
        }
    }

    private static List<String> prepend(String node, List<String> args) {
        List<String> all = new java.util.ArrayList<>();
        all.add(node);
        all.addAll(args);
        return all;
    }

    private static long count(Jdbi jdbi, String sql) {
        return jdbi.withHandle(h -> h.createQuery(sql).mapTo(Long.class).one());
    }

    private static void deposit(JdbiEventStore store, int count) {
        for (int i = 0; i < count; i++) {
            store.append(StreamRef.of("account", "a" + (i % 3)), ExpectedVersion.any(),
                    List.of(new Deposited("a" + (i % 3), 1)));
        }
    }

    /** Kills, from another connection, the backend that holds role {@code name}'s lock (a dropped connection). */
    private void terminateHolderOf(String name) throws Exception {
        long key = PostgresLeaderElection.lockKey(namespace, name);
        try (Connection admin = DriverManager.getConnection(Databases.postgresUrl());
             PreparedStatement statement = admin.prepareStatement("SELECT pg_terminate_backend(pid) FROM pg_locks"
                     + " WHERE locktype = 'advisory' AND granted AND classid::bigint = ? AND objid::bigint = ?"
                     + " AND objsubid = 1")) {
            statement.setLong(1, key >>> 32);
            statement.setLong(2, key & 0xffffffffL);
            try (ResultSet rows = statement.executeQuery()) {
                assertTrue(rows.next(), "someone holds " + name);
                assertTrue(rows.getBoolean(1));
            }
        }
    }
}
