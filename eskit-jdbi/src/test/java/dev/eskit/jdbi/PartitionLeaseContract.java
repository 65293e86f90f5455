package dev.eskit.jdbi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.eskit.ExpectedVersion;
import dev.eskit.InvalidInputException;
import dev.eskit.StreamRef;
import dev.eskit.jdbi.TestEvents.Deposited;
import dev.eskit.jdbi.subscription.JdbiPartitionLeases;
import dev.eskit.jdbi.subscription.JdbiTransactor;
import dev.eskit.partition.PartitionCountMismatchException;
import dev.eskit.partition.PartitionLease;
import dev.eskit.partition.PartitionLostException;
import dev.eskit.partition.PartitionedSubscription;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.Test;

/** The partition lease table on a database, and partitioned subscriptions over it. */
abstract class PartitionLeaseContract {

    static final Duration LONG = Duration.ofMinutes(1);
    static final Duration WAIT = Duration.ofSeconds(180);

    abstract Databases db();

    Databases.Location location;
    JdbiEventStore store;
    Jdbi jdbi;
    JdbiPartitionLeases leases;

    void open() {
        location = db().newLocation();
        store = db().open(location);
        com.zaxxer.hikari.HikariConfig config = new com.zaxxer.hikari.HikariConfig();
        config.setDataSource(location.dataSource());
        config.setMaximumPoolSize(12);
        jdbi = Jdbi.create(db().track(new com.zaxxer.hikari.HikariDataSource(config)));
        leases = JdbiPartitionLeases.create(jdbi, store);
    }

    static void awaitTrue(BooleanSupplier condition, String what) {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!condition.getAsBoolean()) {
            assertTrue(System.nanoTime() < deadline, "timed out waiting until " + what);
            LockSupport.parkNanos(5_000_000);
        }
    }

    @Test
    void aClaimHoldsUntilReleasedAndEveryClaimRaisesTheFencingToken() {
        open();
        PartitionLease a = leases.tryClaim("orders", 0, 4, "a", LONG).orElseThrow();
        assertEquals(1, a.token());
        assertEquals(Optional.empty(), leases.tryClaim("orders", 0, 4, "b", LONG));
        assertEquals(List.of(a), leases.renew("orders", "a", LONG));
        assertEquals(List.of(), leases.renew("orders", "b", LONG));
        assertTrue(leases.isHeld(a));
        leases.release(a);
        assertFalse(leases.isHeld(a));
        PartitionLease b = leases.tryClaim("orders", 0, 4, "b", LONG).orElseThrow();
        assertEquals(2, b.token());
        // A late release by the old owner does not free the new owner's lease.
        leases.release(a);
        assertTrue(leases.isHeld(b));
        assertEquals(Optional.of("b"), leases.leases("orders").get(0).owner());
        assertEquals(2, leases.leases("orders").get(0).token());
    }

    @Test
    void anExpiredLeaseCanBeClaimedByAnotherNodeAndIsNotRenewedAnyMore() {
        open();
        PartitionLease a = leases.tryClaim("orders", 1, 4, "a", Duration.ofMillis(300)).orElseThrow();
        awaitTrue(() -> !leases.isHeld(a), "the lease ran out");
        PartitionLease b = leases.tryClaim("orders", 1, 4, "b", LONG).orElseThrow();
        assertEquals(a.token() + 1, b.token());
        assertEquals(List.of(), leases.renew("orders", "a", LONG));
    }

    @Test
    void theFenceRollsBackATransactionOfANodeThatLostItsLease() {
        open();
        jdbi.useHandle(handle -> handle.execute("CREATE TABLE " + qualifier() + "fenced (v integer)"));
        PartitionLease a = leases.tryClaim("orders", 2, 4, "a", LONG).orElseThrow();
        leases.release(a);
        PartitionLease b = leases.tryClaim("orders", 2, 4, "b", LONG).orElseThrow();
        JdbiTransactor transactor = JdbiTransactor.of(jdbi, store);
        assertThrows(PartitionLostException.class, () -> transactor.inTransaction(handle -> {
            handle.execute("INSERT INTO " + qualifier() + "fenced (v) VALUES (1)");
            leases.fence().check(handle, a);
        }));
        assertDoesNotThrowChecked(() -> transactor.inTransaction(handle -> {
            handle.execute("INSERT INTO " + qualifier() + "fenced (v) VALUES (2)");
            leases.fence().check(handle, b);
        }));
        assertEquals(List.of(2), jdbi.withHandle(handle -> handle.createQuery("SELECT v FROM " + qualifier()
                + "fenced").mapTo(Integer.class).list()));
    }

    interface Work {
        void run() throws Exception;
    }

    static void assertDoesNotThrowChecked(Work work) {
        try {
            work.run();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    String qualifier() {
        TableNames names = store.tableNames();
        return names.table("");
    }

    @Test
    void heartbeatsListTheLiveNodesAndLeavingReleasesTheNodesLeases() {
        open();
        assertEquals(List.of("b"), leases.heartbeat("orders", "b", LONG));
        assertEquals(List.of("a", "b"), leases.heartbeat("orders", "a", LONG));
        PartitionLease lease = leases.tryClaim("orders", 3, 4, "b", LONG).orElseThrow();
        leases.leave("orders", "b");
        assertFalse(leases.isHeld(lease));
        assertEquals(List.of("a"), leases.heartbeat("orders", "a", LONG));
    }

    @Test
    void aNodeWithAnotherPartitionCountIsRefusedWithAMessageThatSaysWhatToDo() {
        open();
        leases.tryClaim("orders", 0, 4, "a", LONG).orElseThrow();
        InvalidInputException e = assertThrows(InvalidInputException.class, () ->
                leases.tryClaim("orders", 5, 8, "b", LONG));
        assertTrue(e.getMessage().contains("same count"), e.getMessage());
        assertEquals(1, leases.leases("orders").size());
    }

    @Test
    void theFirstHeartbeatRecordsTheCountAndANodeWithAnotherIsRefusedAndForgotten() {
        open();
        assertEquals(List.of("n8"), leases.heartbeat("orders", "n8", 8, LONG));
        assertEquals(8, leases.leases("orders").get(0).partitions());
        // A heartbeat of n4 from before it knew its count (or an older release) is counted until n4 is refused...
        assertEquals(List.of("n4", "n8"), leases.heartbeat("orders", "n4", LONG));
        PartitionCountMismatchException e = assertThrows(PartitionCountMismatchException.class, () ->
                leases.heartbeat("orders", "n4", 4, LONG));
        assertTrue(e.getMessage().contains("has 8 partitions, but this node was configured with 4"), e.getMessage());
        // ...and then never again.
        assertEquals(List.of("n8"), leases.heartbeat("orders", "n8", 8, LONG));
        assertThrows(PartitionCountMismatchException.class, () -> leases.tryClaim("orders", 1, 4, "n4", LONG));
        // Rows claimed before the count was recorded by a heartbeat count too.
        leases.tryClaim("other", 5, 6, "a", LONG).orElseThrow();
        assertThrows(PartitionCountMismatchException.class, () -> leases.heartbeat("other", "b", 8, LONG));
        assertEquals(List.of(5), leases.leases("other").stream().map(l -> l.partition()).toList());
    }

    @Test
    void aPartitionedSubscriptionWithAnotherCountIsRefusedAtStartAndTheOtherNodeKeepsEveryPartition() {
        open();
        List<PartitionedSubscription> nodes = new ArrayList<>();
        try {
            PartitionedSubscription n8 = partitioned("n8", 8);
            nodes.add(n8.start());
            awaitTrue(() -> n8.owned().size() == 8, "n8 owns every partition");
            PartitionedSubscription n4 = partitioned("n4", 4);
            nodes.add(n4);
            PartitionCountMismatchException e = assertThrows(PartitionCountMismatchException.class, n4::start);
            assertTrue(e.getMessage().contains("same count"), e.getMessage());
            assertFalse(n4.isRunning());
            assertEquals(List.of("n8"), jdbi.withHandle(handle -> handle.createQuery("SELECT node FROM "
                    + qualifier() + "partition_nodes WHERE subscription = 'parts-tx'").mapTo(String.class).list()));
            assertEquals(1, n8.liveNodes());
            assertEquals(8, n8.owned().size());
        } finally {
            nodes.forEach(PartitionedSubscription::close);
        }
    }

    PartitionedSubscription partitioned(String node, int partitions) {
        return PartitionedSubscription.builder("parts-tx", store, store.checkpoints(), leases)
                .partitions(partitions).node(node)
                .renewInterval(Duration.ofMillis(200)).leaseDuration(Duration.ofMillis(1200))
                .handler(event -> { })
                .build();
    }

    @Test
    void concurrentClaimsGiveEachPartitionToExactlyOneNode() throws Exception {
        open();
        int nodes = 6;
        int partitions = 16;
        ExecutorService pool = Executors.newFixedThreadPool(nodes);
        CountDownLatch go = new CountDownLatch(1);
        List<Future<List<PartitionLease>>> results = new ArrayList<>();
        for (int n = 0; n < nodes; n++) {
            String node = "n" + n;
            results.add(pool.submit(() -> {
                go.await();
                List<PartitionLease> won = new ArrayList<>();
                for (int p = 0; p < partitions; p++) {
                    leases.tryClaim("hammer", p, partitions, node, LONG).ifPresent(won::add);
                }
                return won;
            }));
        }
        go.countDown();
        ConcurrentHashMap<Integer, String> owners = new ConcurrentHashMap<>();
        for (Future<List<PartitionLease>> result : results) {
            for (PartitionLease lease : result.get(60, TimeUnit.SECONDS)) {
                assertEquals(null, owners.put(lease.partition(), lease.owner()), "partition " + lease.partition()
                        + " went to two nodes");
                assertEquals(1, lease.token());
            }
        }
        pool.shutdown();
        assertEquals(partitions, owners.size());
    }

    @Test
    void transactionalPartitionsOnThreeNodesApplyEveryEventExactlyOnce() {
        open();
        String q = qualifier();
        jdbi.useHandle(handle -> handle.execute("CREATE TABLE " + q + "applied (stream text NOT NULL, version"
                + " bigint NOT NULL, node text NOT NULL, PRIMARY KEY (stream, version))"));
        List<PartitionedSubscription> nodes = new ArrayList<>();
        try {
            for (String node : List.of("a", "b", "c")) {
                nodes.add(PartitionedSubscription.builder("balances", store, store.checkpoints(), leases)
                        .partitions(6).node(node)
                        .renewInterval(Duration.ofMillis(200)).leaseDuration(Duration.ofMillis(1200))
                        .subscriptions(partition -> partition.pollInterval(Duration.ofMillis(20)).checkpointEvery(100))
                        .transactional(JdbiTransactor.of(jdbi, store), leases.fence(), (handle, event) ->
                                handle.execute("INSERT INTO " + q + "applied (stream, version, node) VALUES (?, ?, ?)",
                                        event.streamId(), event.version(), node))
                        .build().start());
            }
            for (int round = 0; round < 3; round++) {
                for (int s = 0; s < 20; s++) {
                    List<Deposited> deposits = new ArrayList<>();
                    for (int i = 0; i < 10; i++) {
                        deposits.add(new Deposited("s" + s, i));
                    }
                    store.append(StreamRef.of("account", "s" + s), ExpectedVersion.any(), deposits);
                }
                if (round == 1) {
                    // A node leaves midway: its partitions move, each event is still applied once (the primary key
                    // would refuse a second time and stall the projection).
                    nodes.get(0).close();
                }
            }
            awaitTrue(() -> jdbi.withHandle(handle -> handle.createQuery("SELECT count(*) FROM " + q + "applied")
                    .mapTo(Long.class).one()) == 600L, "every event was applied");
            awaitTrue(() -> nodes.get(1).owned().size() + nodes.get(2).owned().size() == 6, "b and c own all");
        } finally {
            nodes.forEach(PartitionedSubscription::close);
        }
    }
}
