package dev.eskit.partition;

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
import dev.eskit.subscription.SubscriptionState;
import dev.eskit.subscription.Transactor;
import dev.eskit.testlog.LogCapture;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.event.Level;

class PartitionedSubscriptionTest {

    record Ticked(String stream, int n) {
    }

    /** One handler call: node, partition, the claim's fencing token, stream, n, start and end time. */
    record Call(String node, int partition, long token, String stream, int n, long start, long end) {
    }

    static final Duration WAIT = Duration.ofSeconds(30);
    static final Duration RENEW = Duration.ofMillis(50);
    static final Duration LEASE = Duration.ofMillis(500);
    static final int PARTITIONS = 8;
    static final int STREAMS = 40;

    final EventStore store = EventStore.inMemory(EventTypes.builder().add("t.Ticked", Ticked.class).build());
    final CheckpointStore checkpoints = CheckpointStore.inMemory();
    final InMemoryPartitionLeaseStore leases = PartitionLeaseStore.inMemory();
    final List<PartitionedSubscription> nodes = new ArrayList<>();
    final List<Call> calls = new CopyOnWriteArrayList<>();
    final Map<String, PartitionedSubscription> byName = new ConcurrentHashMap<>();

    @AfterEach
    void closeAll() {
        nodes.forEach(PartitionedSubscription::close);
    }

    PartitionedSubscription node(String name) {
        PartitionedSubscription node = PartitionedSubscription.builder("ticks", store, checkpoints, leases)
                .partitions(PARTITIONS).node(name).renewInterval(RENEW).leaseDuration(LEASE)
                .subscriptions(partition -> partition.pollInterval(Duration.ofMillis(5)).checkpointEvery(10))
                .handler(event -> record(name, event))
                .build();
        nodes.add(node);
        byName.put(name, node);
        return node.start();
    }

    void record(String node, StoredEvent<Object> event) {
        long start = System.nanoTime();
        LockSupport.parkNanos(20_000);
        Ticked ticked = (Ticked) event.data();
        int partition = PartitionedSubscription.partitionOf(ticked.stream(), PARTITIONS);
        PartitionedSubscription self = byName.get(node);
        long token = self == null ? -1 : self.lease(partition).map(PartitionLease::token).orElse(-1L);
        calls.add(new Call(node, partition, token, ticked.stream(), ticked.n(), start, System.nanoTime()));
    }

    /** Appends rounds {@code from..to}: one event per stream and round. */
    void append(int from, int to) {
        for (int n = from; n <= to; n++) {
            for (int s = 0; s < STREAMS; s++) {
                store.append(StreamRef.of("clock", "s" + s), ExpectedVersion.any(), List.of(new Ticked("s" + s, n)));
            }
        }
    }

    /** Waits until every round up to {@code to} of every stream was handled at least once. */
    void awaitHandled(int to) {
        awaitTrue(() -> {
            Set<String> seen = new HashSet<>();
            for (Call call : calls) {
                seen.add(call.stream() + "/" + call.n());
            }
            return seen.size() == STREAMS * to;
        }, "every event up to round " + to + " was handled");
    }

    static void awaitTrue(BooleanSupplier condition, String what) {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!condition.getAsBoolean()) {
            assertTrue(System.nanoTime() < deadline, "timed out waiting until " + what);
            LockSupport.parkNanos(2_000_000);
        }
    }

    /** Every node's owned partitions, which must not overlap and must cover every partition. */
    void awaitBalanced(List<PartitionedSubscription> live) {
        awaitTrue(() -> {
            Set<Integer> all = new TreeSet<>();
            int total = 0;
            for (PartitionedSubscription node : live) {
                int owned = node.owned().size();
                if (owned < PARTITIONS / live.size() || owned > (PARTITIONS + live.size() - 1) / live.size()) {
                    return false;
                }
                all.addAll(node.owned());
                total += owned;
            }
            return total == PARTITIONS && all.size() == PARTITIONS;
        }, "the partitions were spread evenly over " + live.size() + " nodes");
    }

    /**
     * Per stream, the rounds arrive in order within each claim of its partition; a new claim may repeat rounds the
     * previous one handled after its last checkpoint, but never skips one.
     */
    void assertOrderPerStream() {
        Map<String, Integer> last = new HashMap<>();
        Map<String, String> lastClaim = new HashMap<>();
        List<Call> sorted = new ArrayList<>(calls);
        sorted.sort((a, b) -> Long.compare(a.start(), b.start()));
        for (Call call : sorted) {
            Integer before = last.get(call.stream());
            String claim = call.node() + "/" + call.token();
            if (before != null && claim.equals(lastClaim.get(call.stream()))) {
                assertEquals(before + 1, call.n(), "stream " + call.stream() + " in order in claim " + claim);
            } else {
                assertTrue(call.n() <= (before == null ? 0 : before) + 1, "no gap in " + call.stream()
                        + " at a takeover: " + before + " then " + call.n());
            }
            last.put(call.stream(), call.n());
            lastClaim.put(call.stream(), claim);
        }
    }

    /** No two nodes handled one partition at overlapping times. */
    void assertNoOverlapPerPartition() {
        List<Call> sorted = new ArrayList<>(calls);
        sorted.sort((a, b) -> Long.compare(a.start(), b.start()));
        Map<Integer, Call> previous = new HashMap<>();
        for (Call call : sorted) {
            Call before = previous.get(call.partition());
            if (before != null && !before.node().equals(call.node())) {
                assertTrue(before.end() <= call.start(), "partition " + call.partition() + " was handled by "
                        + before.node() + " and " + call.node() + " at once");
            }
            if (before == null || call.end() > before.end()) {
                previous.put(call.partition(), call);
            }
        }
    }

    @Test
    void threeNodesShareThePartitionsAndHandleEveryEventOnceInOrderPerStream() {
        PartitionedSubscription a = node("a");
        PartitionedSubscription b = node("b");
        PartitionedSubscription c = node("c");
        awaitBalanced(List.of(a, b, c));
        append(1, 25);
        awaitHandled(25);
        assertEquals(STREAMS * 25, calls.size(), "no event handled twice while nobody joined or left");
        assertOrderPerStream();
        assertNoOverlapPerPartition();
        assertTrue(calls.stream().allMatch(call -> call.token() > 0), "every call was made under a lease");
        assertEquals(3, a.liveNodes());
    }

    @Test
    void aNodeThatJoinsGetsItsShareAndOneThatClosesHandsItsPartitionsOverWithoutDuplicates() {
        PartitionedSubscription a = node("a");
        awaitBalanced(List.of(a));
        append(1, 10);
        awaitHandled(10);
        PartitionedSubscription b = node("b");
        awaitBalanced(List.of(a, b));
        append(11, 20);
        awaitHandled(20);
        a.close();
        awaitBalanced(List.of(b));
        append(21, 30);
        awaitHandled(30);
        // Graceful hand-overs save the checkpoint first: nothing is handled twice.
        assertEquals(STREAMS * 30, calls.size());
        assertOrderPerStream();
        assertNoOverlapPerPartition();
        assertTrue(leases.leases("ticks").stream().allMatch(l -> l.owner().orElseThrow().equals("b")));
    }

    @Test
    void aLostLeaseStopsThePartitionBeforeAnotherNodeTakesItOver() {
        PartitionedSubscription a = node("a");
        PartitionedSubscription b = node("b");
        awaitBalanced(List.of(a, b));
        append(1, 5);
        awaitHandled(5);
        int partition = a.owned().first();
        long tokenBefore = leases.leases("ticks").get(partition).token();
        assertTrue(leases.revoke("ticks", partition));
        // Node a learns at its next renewal that it lost it; some node claims it again with a new token.
        awaitTrue(() -> leases.leases("ticks").get(partition).token() > tokenBefore
                && leases.leases("ticks").get(partition).owner().isPresent(), "partition was claimed again");
        append(6, 10);
        awaitHandled(10);
        assertOrderPerStream();
        assertNoOverlapPerPartition();
    }

    @Test
    void aNodeCutOffFromTheLeaseStoreStopsBeforeAnotherNodeTakesItsPartitions() throws Exception {
        AtomicInteger renewals = new AtomicInteger();
        FailingLeases failing = new FailingLeases(leases, renewals);
        Duration renew = Duration.ofMillis(250);
        PartitionedSubscription a = PartitionedSubscription.builder("ticks", store, checkpoints, failing)
                .partitions(PARTITIONS).node("a").renewInterval(renew).leaseDuration(renew.multipliedBy(4))
                .subscriptions(partition -> partition.pollInterval(Duration.ofMillis(2)))
                .handler(event -> record("a", event)).build();
        byName.put("a", a);
        nodes.add(a.start());
        awaitBalanced(List.of(a));
        java.util.concurrent.atomic.AtomicBoolean appending = new java.util.concurrent.atomic.AtomicBoolean(true);
        Thread appender = new Thread(() -> {
            for (int n = 1; appending.get(); n++) {
                append(n, n);
                LockSupport.parkNanos(2_000_000);
            }
        });
        appender.start();
        awaitTrue(() -> calls.size() > 100, "node a handles events");
        // Node a's lease store becomes unreachable while events keep coming; node b runs on the working store.
        failing.down = true;
        PartitionedSubscription b = node("b");
        awaitTrue(() -> b.owned().size() == PARTITIONS, "b took every partition over once a's leases ran out");
        int before = calls.size();
        awaitTrue(() -> calls.size() > before + 100, "b handles events");
        appending.set(false);
        appender.join();
        // Node a stopped each partition before its lease ran out in the store, so b never handled one at the same
        // time (the calls carry their own timestamps: scheduling delays of this test cannot hide an overlap).
        assertNoOverlapPerPartition();
        assertOrderPerStream();
        assertTrue(a.owned().stream().allMatch(p -> a.subscription(p).map(s -> !s.isRunning()).orElse(true)));
        assertTrue(a.lastError().isPresent());
    }

    @Test
    void transactionalPartitionsCheckTheirFencingTokenBeforeSavingTheCheckpoint() {
        Map<String, Integer> view = new ConcurrentHashMap<>();
        AtomicInteger fenced = new AtomicInteger();
        Transactor<Map<String, Integer>> transactor = new Transactor<>() {
            @Override
            public void inTransaction(Work<Map<String, Integer>> work) throws Exception {
                Map<String, Integer> transaction = new HashMap<>();
                work.run(transaction);
                view.putAll(transaction);
            }

            @Override
            public void saveCheckpoint(Map<String, Integer> transaction, String name, Position position) {
                checkpoints.save(name, position);
            }
        };
        PartitionFence<Map<String, Integer>> fence = (transaction, lease) -> {
            if (!leases.isHeld(lease)) {
                fenced.incrementAndGet();
                throw new PartitionLostException(lease);
            }
        };
        PartitionedSubscription a = PartitionedSubscription.builder("ticks", store, checkpoints, leases)
                .partitions(PARTITIONS).node("a").renewInterval(RENEW).leaseDuration(LEASE)
                .transactional(transactor, fence, (transaction, event) -> {
                    Ticked ticked = (Ticked) event.data();
                    transaction.put(ticked.stream(), ticked.n());
                }).build();
        nodes.add(a.start());
        awaitBalanced(List.of(a));
        append(1, 5);
        awaitTrue(() -> view.size() == STREAMS && view.values().stream().allMatch(n -> n == 5), "view up to date");
        for (int p = 0; p < PARTITIONS; p++) {
            assertTrue(checkpoints.load(PartitionedSubscription.partitionName("ticks", p, PARTITIONS)).isPresent());
        }
        PartitionLease stale = new PartitionLease("ticks", 0, PARTITIONS, "a", 0);
        assertThrows(PartitionLostException.class, () -> fence.check(new HashMap<>(), stale));
    }

    @Test
    void badSettingsFailAtBuildWithAMessageThatSaysWhatToDo() {
        InvalidInputException shortLease = assertThrows(InvalidInputException.class, () ->
                PartitionedSubscription.builder("ticks", store, checkpoints, leases).handler(event -> { })
                        .renewInterval(Duration.ofSeconds(1)).leaseDuration(Duration.ofSeconds(2)).build());
        assertTrue(shortLease.getMessage().contains("3 x renewInterval"), shortLease.getMessage());
        assertThrows(InvalidInputException.class, () ->
                PartitionedSubscription.builder("ticks", store, checkpoints, leases).build());
        InvalidInputException absurd = assertThrows(InvalidInputException.class, () ->
                PartitionedSubscription.builder("ticks", store, checkpoints, leases).handler(event -> { })
                        .renewInterval(Duration.ofDays(365_000)).leaseDuration(Duration.ofDays(365_000)).build());
        assertTrue(absurd.getMessage().contains("at most PT24H (1 day)"), absurd.getMessage());
        assertThrows(InvalidInputException.class, () ->
                PartitionedSubscription.builder("ticks", store, checkpoints, leases).partitions(0));
        leases.tryClaim("ticks", 0, 8, "a", LEASE);
        InvalidInputException mismatch = assertThrows(InvalidInputException.class, () ->
                leases.tryClaim("ticks", 1, 4, "b", LEASE));
        assertTrue(mismatch.getMessage().contains("same count"), mismatch.getMessage());
        assertTrue(leases.leases("ticks").size() == 1);
    }

    PartitionedSubscription.Builder builder(String name, int partitions, PartitionLeaseStore store) {
        return PartitionedSubscription.builder("ticks", this.store, checkpoints, store)
                .partitions(partitions).node(name).renewInterval(RENEW).leaseDuration(LEASE)
                .subscriptions(partition -> partition.pollInterval(Duration.ofMillis(5)))
                .handler(event -> record(name, event));
    }

    @Test
    void aNodeWithAnotherPartitionCountIsRefusedAtStartAndTheOthersKeepEveryPartition() {
        PartitionedSubscription a = node("a");
        awaitBalanced(List.of(a));
        PartitionedSubscription b = builder("b", PARTITIONS / 2, leases).build();
        nodes.add(b);
        PartitionCountMismatchException refused = assertThrows(PartitionCountMismatchException.class, b::start);
        assertTrue(refused.getMessage().contains("has 8 partitions, but this node was configured with 4")
                && refused.getMessage().contains("same count"), refused.getMessage());
        assertEquals(List.of(8, 4), List.of(refused.recorded(), refused.configured()));
        assertFalse(b.isRunning());
        // The refused node recorded no heartbeat: a node that beats now sees only a and itself.
        assertEquals(List.of("a", "probe"), leases.heartbeat("ticks", "probe", PARTITIONS, LEASE));
        leases.leave("ticks", "probe");
        assertEquals(PARTITIONS, a.owned().size());
    }

    @Test
    void aNodeThatLearnsOfAnotherPartitionCountWhileRunningStopsWithoutTakingAShare() {
        AtomicInteger bCalls = new AtomicInteger();
        FailingLeases bLeases = new FailingLeases(leases, bCalls);
        bLeases.down = true;
        // b starts while the lease store is unreachable: it cannot check its count yet.
        PartitionedSubscription b = builder("b", PARTITIONS / 2, bLeases).build();
        nodes.add(b.start());
        assertTrue(b.isRunning());
        assertTrue(b.lastError().isPresent());
        AtomicInteger aCalls = new AtomicInteger();
        PartitionedSubscription a = builder("a", PARTITIONS, new FailingLeases(leases, aCalls)).build();
        nodes.add(a.start());
        awaitBalanced(List.of(a));
        bLeases.down = false;
        awaitTrue(() -> !b.isRunning(), "b stopped once it learnt the recorded count");
        assertEquals(PARTITIONS, b.failure().orElseThrow().recorded());
        assertEquals(b.failure().get(), b.lastError().orElseThrow());
        assertTrue(b.owned().isEmpty());
        // Three more renewals of a (each a heartbeat and a renewal at least): a never saw b and kept everything.
        int before = aCalls.get();
        awaitTrue(() -> aCalls.get() >= before + 6, "a renewed three more times");
        assertEquals(1, a.liveNodes());
        assertEquals(PARTITIONS, a.owned().size());
        assertTrue(leases.leases("ticks").stream().allMatch(lease -> lease.token() == 1), "a never gave a partition"
                + " up: " + leases.leases("ticks"));
        append(1, 3);
        awaitHandled(3);
        assertTrue(calls.stream().allMatch(call -> call.node().equals("a")));
    }

    @Test
    void aPartitionThatFailsOnAnErrorIsLoggedWithItsCauseAndReleased() {
        try (LogCapture log = LogCapture.start(PartitionedSubscription.class, Level.WARN)) {
            AtomicInteger errors = new AtomicInteger();
            PartitionedSubscription a = PartitionedSubscription.builder("ticks", store, checkpoints, leases)
                    .partitions(PARTITIONS).node("a").renewInterval(RENEW).leaseDuration(LEASE)
                    .subscriptions(partition -> partition.pollInterval(Duration.ofMillis(5)))
                    .handler(event -> {
                        if (((Ticked) event.data()).stream().equals("s0") && errors.getAndIncrement() == 0) {
                            throw new StackOverflowError("handler broke once");
                        }
                    }).build();
            nodes.add(a.start());
            awaitBalanced(List.of(a));
            int partition = PartitionedSubscription.partitionOf("s0", PARTITIONS);
            long token = a.lease(partition).orElseThrow().token();
            append(1, 1);
            awaitTrue(() -> log.messages().stream().anyMatch(m -> m.contains("stopped by itself")), "the WARN line");
            String line = log.messages().stream().filter(m -> m.contains("stopped by itself")).findFirst().get();
            assertFalse(line.contains("{}"), line);
            assertTrue(line.contains("in state FAILED (java.lang.StackOverflowError: handler broke once)"), line);
            // FAILED (an Error) is released and claimed again, as before: the event is handled by the new claim.
            awaitTrue(() -> a.lease(partition).map(l -> l.token() > token).orElse(false)
                    && errors.get() >= 2, "the partition was claimed again and handled the event");
        }
    }

    @Test
    void aHaltedPartitionKeepsItsLeaseAndIsNotRestartedOnAnyNodeUntilTheApplicationStartsItAgain() {
        java.util.concurrent.atomic.AtomicBoolean broken = new java.util.concurrent.atomic.AtomicBoolean(true);
        AtomicInteger poisonCalls = new AtomicInteger();
        AtomicInteger leaseCalls = new AtomicInteger();
        try (LogCapture log = LogCapture.start(PartitionedSubscription.class, Level.WARN)) {
            List<PartitionedSubscription> both = new ArrayList<>();
            for (String name : List.of("a", "b")) {
                PartitionedSubscription node = PartitionedSubscription.builder("ticks", store, checkpoints,
                                new FailingLeases(leases, leaseCalls))
                        .partitions(PARTITIONS).node(name).renewInterval(RENEW).leaseDuration(LEASE)
                        .subscriptions(partition -> partition.pollInterval(Duration.ofMillis(5))
                                .retry(dev.eskit.Retry.exponential(2, Duration.ofMillis(1), Duration.ofMillis(1))))
                        .handler(event -> {
                            Ticked ticked = (Ticked) event.data();
                            if (ticked.stream().equals("s0") && ticked.n() == 2 && broken.get()) {
                                poisonCalls.incrementAndGet();
                                throw new IllegalStateException("cannot handle s0/2");
                            }
                            record(name, event);
                        }).build();
                byName.put(name, node);
                nodes.add(node.start());
                both.add(node);
            }
            awaitBalanced(both);
            int partition = PartitionedSubscription.partitionOf("s0", PARTITIONS);
            PartitionedSubscription holder = both.stream().filter(n -> n.owned().contains(partition)).findFirst()
                    .orElseThrow();
            long token = holder.lease(partition).orElseThrow().token();
            append(1, 3);
            awaitTrue(() -> holder.subscription(partition).map(s -> s.state() == SubscriptionState.HALTED)
                    .orElse(false), "the partition halted on s0/2");
            // Ten renewals of both nodes later (each at least a heartbeat and a renewal): nobody restarted it.
            int before = leaseCalls.get();
            awaitTrue(() -> leaseCalls.get() >= before + 40, "ten more renewals");
            assertEquals(2, poisonCalls.get(), "the poison event went to the handler only for its 2 attempts");
            assertEquals(token, holder.lease(partition).orElseThrow().token(), "the holder kept its lease");
            assertEquals(token, leases.leases("ticks").get(partition).token());
            assertEquals(SubscriptionState.HALTED, holder.subscription(partition).orElseThrow().state());
            assertEquals(1, log.messages().stream().filter(m -> m.contains("is halted")).count(),
                    log.messages().toString());
            // The other partitions carried on.
            long others = java.util.stream.IntStream.range(0, STREAMS)
                    .filter(i -> PartitionedSubscription.partitionOf("s" + i, PARTITIONS) != partition).count();
            awaitTrue(() -> calls.stream().filter(call -> call.partition() != partition).count() == others * 3,
                    "every event of the other partitions was handled");
            // Fixed: the application starts the partition again where it runs; it carries on from s0/2.
            broken.set(false);
            holder.subscription(partition).orElseThrow().start();
            awaitHandled(3);
            assertOrderPerStream();
        }
    }

    @Test
    void partitionOfIsStableAndSpreadsKeys() {
        assertEquals(PartitionedSubscription.partitionOf("order-1", 16), PartitionedSubscription.partitionOf(
                new String("order-1"), 16));
        int[] counts = new int[16];
        for (int i = 0; i < 16_000; i++) {
            counts[PartitionedSubscription.partitionOf("order-" + i, 16)]++;
        }
        for (int count : counts) {
            assertTrue(count > 800 && count < 1200, "spread: " + java.util.Arrays.toString(counts));
        }
        assertEquals("orders#p3of16", PartitionedSubscription.partitionName("orders", 3, 16));
    }

    /** A lease store that fails every call while {@code down}, as when the database cannot be reached. */
    static final class FailingLeases implements PartitionLeaseStore {
        final PartitionLeaseStore delegate;
        final AtomicInteger calls;
        volatile boolean down;

        FailingLeases(PartitionLeaseStore delegate, AtomicInteger calls) {
            this.delegate = delegate;
            this.calls = calls;
        }

        private void check() {
            calls.incrementAndGet();
            if (down) {
                throw new IllegalStateException("connection refused");
            }
        }

        @Override
        public List<String> heartbeat(String subscription, String node, Duration ttl) {
            check();
            return delegate.heartbeat(subscription, node, ttl);
        }

        @Override
        public java.util.Optional<PartitionLease> tryClaim(String subscription, int partition, int partitions,
                                                           String node, Duration ttl) {
            check();
            return delegate.tryClaim(subscription, partition, partitions, node, ttl);
        }

        @Override
        public List<PartitionLease> renew(String subscription, String node, Duration ttl) {
            check();
            return delegate.renew(subscription, node, ttl);
        }

        @Override
        public void release(PartitionLease lease) {
            check();
            delegate.release(lease);
        }

        @Override
        public void leave(String subscription, String node) {
            check();
            delegate.leave(subscription, node);
        }

        @Override
        public boolean isHeld(PartitionLease lease) {
            check();
            return delegate.isHeld(lease);
        }

        @Override
        public List<PartitionLeaseStatus> leases(String subscription) {
            return delegate.leases(subscription);
        }
    }
}
