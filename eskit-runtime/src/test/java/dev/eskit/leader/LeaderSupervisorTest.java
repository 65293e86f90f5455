package dev.eskit.leader;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.eskit.EventStore;
import dev.eskit.ExpectedVersion;
import dev.eskit.InvalidInputException;
import dev.eskit.Position;
import dev.eskit.StoredEvent;
import dev.eskit.StreamRef;
import dev.eskit.codec.EventTypes;
import dev.eskit.subscription.CheckpointStore;
import dev.eskit.subscription.Subscription;
import dev.eskit.subscription.SubscriptionState;
import dev.eskit.testlog.LogCapture;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.event.Level;

class LeaderSupervisorTest {

    record Ticked(int n) {
    }

    static final Duration WAIT = Duration.ofSeconds(20);
    static final Duration CHECK = Duration.ofMillis(5);

    final EventStore store = EventStore.inMemory(EventTypes.builder().add("t.Ticked", Ticked.class).build());
    final CheckpointStore checkpoints = CheckpointStore.inMemory();
    final InMemoryLeaderElection election = LeaderElection.inMemory();
    final List<LeaderSupervisor> supervisors = new ArrayList<>();

    /** Which node handled each event, in order. */
    final List<String> handledBy = new CopyOnWriteArrayList<>();
    final List<Integer> handled = new CopyOnWriteArrayList<>();
    final AtomicReference<CountDownLatch> untilHandled = new AtomicReference<>(new CountDownLatch(0));

    @AfterEach
    void closeAll() {
        supervisors.forEach(LeaderSupervisor::close);
    }

    /** One "node": its own supervisor and its own subscription instance, sharing the store and the election. */
    Subscription node(String nodeName) {
        LeaderSupervisor supervisor = LeaderSupervisor.create(election, CHECK);
        supervisors.add(supervisor);
        Subscription subscription = supervisor.supervise(Subscription.builder("ticks", store, checkpoints)
                .checkpointEvery(1)
                .handler(event -> {
                    handledBy.add(nodeName);
                    handled.add(((Ticked) event.data()).n());
                    untilHandled.get().countDown();
                }));
        supervisor.start();
        return subscription;
    }

    void tick(int from, int to) {
        for (int n = from; n <= to; n++) {
            store.append(StreamRef.of("clock", "c"), ExpectedVersion.any(), List.of(new Ticked(n)));
        }
    }

    void expectHandled(int count) {
        untilHandled.set(new CountDownLatch(count));
    }

    void awaitHandled() throws InterruptedException {
        assertTrue(untilHandled.get().await(WAIT.toSeconds(), TimeUnit.SECONDS), "events not handled in time");
    }

    @Test
    void amongTwoNodesOnlyTheLeaderRunsTheSubscription() throws Exception {
        tick(1, 20);
        expectHandled(20);
        Subscription a = node("a");
        awaitHandled();
        assertTrue(a.awaitCaughtUp(WAIT));
        Subscription b = node("b");
        expectHandled(10);
        tick(21, 30);
        awaitHandled();
        assertTrue(a.awaitPosition(lastPosition(), WAIT));
        assertEquals(Set.of("a"), Set.copyOf(handledBy));
        assertFalse(b.isRunning());
        assertTrue(supervisors.get(0).isLeader("ticks"));
        assertFalse(supervisors.get(1).isLeader("ticks"));
    }

    @Test
    void whenTheLeaderLosesItsLockAnotherNodeTakesOverFromTheCheckpointAndTheOldOneStopsActing()
            throws Exception {
        tick(1, 10);
        expectHandled(10);
        Subscription a = node("a");
        awaitHandled();
        Subscription b = node("b");
        assertTrue(a.awaitCaughtUp(WAIT));

        election.revoke("ticks");
        expectHandled(10);
        tick(11, 20);
        awaitHandled();
        assertTrue(b.awaitPosition(lastPosition(), WAIT));
        // Node a stops on its own once its guard sees the lost lock; its thread may still be winding down here.
        assertTrue(awaitStopped(a), "node a stopped after losing its lock");
        // Node a handled nothing after it lost the lock; b continued after a's checkpoint (no gap, nothing skipped).
        assertEquals(List.of("a", "a", "a", "a", "a", "a", "a", "a", "a", "a"), handledBy.subList(0, 10));
        assertEquals(Set.of("b"), Set.copyOf(handledBy.subList(10, handledBy.size())));
        assertEquals(rangeClosed(1, 20), new TreeSet<>(handled));
        assertEquals(rangeClosed(11, 20), new TreeSet<>(handled.subList(10, handled.size())));
    }

    @Test
    void closingTheLeadersSupervisorHandsTheRoleOver() throws Exception {
        tick(1, 5);
        expectHandled(5);
        Subscription a = node("a");
        awaitHandled();
        Subscription b = node("b");
        assertTrue(a.awaitCaughtUp(WAIT));
        supervisors.get(0).close();
        assertFalse(a.isRunning());
        assertEquals(java.util.Optional.of(Position.of(5)), checkpoints.load("ticks"));
        expectHandled(3);
        tick(6, 8);
        awaitHandled();
        assertEquals(List.of(1, 2, 3, 4, 5, 6, 7, 8), handled);
        assertEquals(List.of("b", "b", "b"), handledBy.subList(5, 8));
        assertTrue(b.isRunning());
    }

    @Test
    void inMemoryElectionGrantsANameToOneHolderAtATime() {
        Leadership first = election.tryAcquire("x").orElseThrow();
        assertTrue(election.tryAcquire("x").isEmpty());
        assertTrue(first.isHeld());
        first.close();
        assertFalse(first.isHeld());
        Leadership second = election.tryAcquire("x").orElseThrow();
        assertTrue(election.revoke("x"));
        assertFalse(second.isHeld());
        first.close();
        Leadership third = election.tryAcquire("x").orElseThrow();
        second.close();
        assertTrue(third.isHeld(), "closing a lost leadership must not release the new holder's");
        assertThrows(InvalidInputException.class, () -> election.tryAcquire(""));
    }

    @Test
    void aRoleCanBeSupervisedOnlyOncePerSupervisor() {
        LeaderSupervisor supervisor = LeaderSupervisor.create(election, CHECK);
        supervisors.add(supervisor);
        supervisor.supervise(Subscription.builder("twice", store, checkpoints).handler(e -> { }));
        assertThrows(InvalidInputException.class,
                () -> supervisor.supervise(Subscription.builder("twice", store, checkpoints).handler(e -> { })));
    }

    @Test
    void electionFailuresAreLoggedOnceWhileTheyRepeatAndReadableFromTheSupervisor() {
        AtomicInteger attempts = new AtomicInteger();
        AtomicBoolean down = new AtomicBoolean(true);
        LeaderElection failing = name -> {
            attempts.incrementAndGet();
            if (down.get()) {
                throw new IllegalStateException("FATAL: role \"nosuchuser\" does not exist");
            }
            return election.tryAcquire(name);
        };
        try (LogCapture log = LogCapture.start(LeaderSupervisor.class, Level.INFO)) {
            LeaderSupervisor supervisor = LeaderSupervisor.create(failing, CHECK);
            supervisors.add(supervisor);
            Subscription subscription = supervisor.supervise(Subscription.builder("ticks", store, checkpoints)
                    .handler(event -> { }));
            supervisor.start();
            awaitTrue(() -> attempts.get() >= 20, "the supervisor retried 20 times");
            assertEquals("FATAL: role \"nosuchuser\" does not exist",
                    supervisor.lastError().orElseThrow().getMessage());
            assertFalse(subscription.isRunning());
            List<LogCapture.Entry> warnings = log.entries();
            assertEquals(1, warnings.size(), "one line, not one per retry: " + log.messages());
            assertEquals(Level.WARN, warnings.get(0).level());
            assertTrue(warnings.get(0).message().contains("acquire leaderships")
                    && warnings.get(0).message().contains("nosuchuser"), warnings.get(0).message());
            assertTrue(warnings.get(0).throwable() instanceof IllegalStateException);
            down.set(false);
            awaitTrue(() -> supervisor.isLeader("ticks") && subscription.isRunning(), "the role runs");
            assertEquals(2, log.entries().size(), log.messages().toString());
            assertEquals(Level.INFO, log.entries().get(1).level());
            assertTrue(log.messages().get(1).contains("Works again"), log.messages().get(1));
        }
    }

    @Test
    void aRoleThatFailsToStartIsLoggedAndReadableFromTheSupervisor() {
        AtomicInteger starts = new AtomicInteger();
        try (LogCapture log = LogCapture.start(LeaderSupervisor.class, Level.WARN)) {
            LeaderSupervisor supervisor = LeaderSupervisor.create(election, CHECK);
            supervisors.add(supervisor);
            supervisor.supervise("broken", new LeaderSupervisor.Role() {
                @Override
                public void start() {
                    starts.incrementAndGet();
                    throw new IllegalStateException("no connection for the role");
                }

                @Override
                public void stop() {
                }

                @Override
                public boolean isRunning() {
                    return false;
                }
            });
            supervisor.start();
            awaitTrue(() -> starts.get() >= 20, "the supervisor tried to start the role 20 times");
            assertEquals("no connection for the role", supervisor.lastError().orElseThrow().getMessage());
            assertEquals(1, log.entries().size(), log.messages().toString());
            assertTrue(log.messages().get(0).contains("start role \"broken\""), log.messages().get(0));
            // Its leadership was given back after each failed start, so another node may try.
            awaitTrue(() -> election.tryAcquire("broken").map(held -> {
                held.close();
                return true;
            }).orElse(false), "the leadership is free between attempts");
        }
    }

    @Test
    void aHaltedSubscriptionIsNotRestartedAndKeepsItsLeadershipUntilTheApplicationStartsItAgain() throws Exception {
        AtomicBoolean broken = new AtomicBoolean(true);
        AtomicInteger poisonCalls = new AtomicInteger();
        AtomicInteger bChecks = new AtomicInteger();
        List<Subscription> nodes = new ArrayList<>();
        try (LogCapture log = LogCapture.start(LeaderSupervisor.class, Level.WARN)) {
            for (String nodeName : List.of("a", "b")) {
                LeaderElection counted = name -> {
                    if (nodeName.equals("b")) {
                        bChecks.incrementAndGet();
                    }
                    return election.tryAcquire(name);
                };
                LeaderSupervisor supervisor = LeaderSupervisor.create(counted, CHECK);
                supervisors.add(supervisor);
                nodes.add(supervisor.supervise(Subscription.builder("ticks", store, checkpoints)
                        .retry(dev.eskit.Retry.exponential(2, Duration.ofMillis(1), Duration.ofMillis(1)))
                        .handler(event -> {
                            int n = ((Ticked) event.data()).n();
                            if (n == 3 && broken.get()) {
                                poisonCalls.incrementAndGet();
                                throw new IllegalStateException("cannot handle 3");
                            }
                            handledBy.add(nodeName);
                            handled.add(n);
                            untilHandled.get().countDown();
                        })));
                supervisor.start();
                if (nodeName.equals("a")) {
                    awaitTrue(() -> supervisor.isLeader("ticks"), "a leads");
                }
            }
            Subscription a = nodes.get(0);
            tick(1, 5);
            awaitTrue(() -> a.state() == SubscriptionState.HALTED, "a halted on event 3");
            // Node b tries to acquire at every check; 50 checks later the halted role was neither restarted on a
            // nor started on b.
            int before = bChecks.get();
            awaitTrue(() -> bChecks.get() >= before + 50, "50 more checks");
            assertEquals(2, poisonCalls.get(), "the poison event went to the handler only for its 2 attempts");
            assertEquals(SubscriptionState.HALTED, a.state());
            assertTrue(supervisors.get(0).isLeader("ticks"));
            assertFalse(nodes.get(1).isRunning());
            assertEquals(List.of(1, 2), handled);
            assertEquals(1, log.messages().stream().filter(m -> m.contains("is halted")).count(), log.messages()
                    .toString());
            // Fixed: the application starts it again on the node that leads it, and it carries on from event 3.
            broken.set(false);
            expectHandled(3);
            a.start();
            awaitHandled();
            assertEquals(List.of(1, 2, 3, 4, 5), handled);
            assertEquals(Set.of("a"), Set.copyOf(handledBy));
            assertTrue(a.isRunning());
        }
    }

    @Test
    void aRoleThatStopsByItselfWithoutHaltingIsReleasedAndStartedAgain() {
        AtomicInteger starts = new AtomicInteger();
        LeaderSupervisor supervisor = LeaderSupervisor.create(election, CHECK);
        supervisors.add(supervisor);
        // A role that stops at once after each start, as one that fails on an Error; it is not halted.
        supervisor.supervise("crashing", new LeaderSupervisor.Role() {
            @Override
            public void start() {
                starts.incrementAndGet();
            }

            @Override
            public void stop() {
            }

            @Override
            public boolean isRunning() {
                return false;
            }
        });
        supervisor.start();
        awaitTrue(() -> starts.get() >= 3, "the role was started again after it stopped");
    }

    static void awaitTrue(java.util.function.BooleanSupplier condition, String what) {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!condition.getAsBoolean()) {
            assertTrue(System.nanoTime() < deadline, "timed out waiting until " + what);
            java.util.concurrent.locks.LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
        }
    }

    @Test
    void aCheckIntervalOutOfRangeIsRefusedWithTheRange() {
        for (Duration bad : List.of(Duration.ofDays(365_000), Duration.ofDays(1).plusNanos(1), Duration.ZERO,
                Duration.ofMillis(-1))) {
            InvalidInputException e = assertThrows(InvalidInputException.class, () ->
                    LeaderSupervisor.create(election, bad));
            assertTrue(e.getMessage().contains("out of range. Use more than 0 and at most PT24H (1 day)"),
                    e.getMessage());
        }
        supervisors.add(LeaderSupervisor.create(election, Duration.ofDays(1)));
    }

    private Position lastPosition() {
        List<StoredEvent<Object>> all = store.readAll(Position.START, 10_000);
        return all.get(all.size() - 1).position();
    }

    private static TreeSet<Integer> rangeClosed(int from, int to) {
        TreeSet<Integer> set = new TreeSet<>();
        for (int i = from; i <= to; i++) {
            set.add(i);
        }
        return set;
    }

    /** Waits (with a deadline) until {@code subscription} no longer runs; it is never asked to stop here. */
    private static boolean awaitStopped(Subscription subscription) {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (subscription.isRunning()) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            java.util.concurrent.locks.LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
        }
        return true;
    }
}
