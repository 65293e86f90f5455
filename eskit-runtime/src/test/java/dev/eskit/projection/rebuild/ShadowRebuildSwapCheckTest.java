package dev.eskit.projection.rebuild;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.eskit.EventStore;
import dev.eskit.ExpectedVersion;
import dev.eskit.Position;
import dev.eskit.StreamRef;
import dev.eskit.codec.EventTypes;
import dev.eskit.subscription.CheckpointStore;
import dev.eskit.subscription.Subscription;
import dev.eskit.subscription.SubscriptionException;
import dev.eskit.subscription.Transactor;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * The check inside the swap's transaction: a node that lost its rebuild request's lease after its last progress
 * report (it stalled past the lease) must not swap, and the swap rolls back as a whole. Against a fake database whose
 * transactions commit a copy of its tables and checkpoints, or nothing.
 */
class ShadowRebuildSwapCheckTest {

    record Added(String key, long amount) {
    }

    static final Duration WAIT = Duration.ofSeconds(30);

    final EventStore store = EventStore.inMemory(EventTypes.builder().add("t.Added", Added.class).build());
    final Db db = new Db();

    ShadowRebuildSwapCheckTest() {
        for (int i = 0; i < 30; i++) {
            store.append(StreamRef.of("k", "k" + (i % 3)), ExpectedVersion.any(), List.of(new Added("k" + (i % 3), 1)));
        }
    }

    /** Version {@code factor} of a projection summing amounts per key into table "sums". */
    ShadowRebuild<Db.Tx> projection(long factor) {
        return ShadowRebuild.builder("sums", store, db, db.transactor, db.swap)
                .tables("sums")
                .create((tx, names) -> tx.tables.put(names.apply("sums"), new HashMap<>()))
                .handler(names -> (tx, event) -> {
                    Added added = (Added) event.data();
                    tx.tables.get(names.apply("sums")).merge(added.key(), added.amount() * factor, Long::sum);
                })
                .progressEvery(Duration.ofMillis(20))
                .build();
    }

    Subscription liveVersionOne() throws Exception {
        db.transactor.inTransaction(tx -> tx.tables.put("sums", new HashMap<>()));
        Subscription live = projection(1).subscription().build().start();
        assertTrue(live.awaitCaughtUp(WAIT));
        return live;
    }

    @Test
    void aRefusingCheckRollsTheSwapBackAndTheLiveProjectionGoesOn() throws Exception {
        Subscription live = liveVersionOne();
        Map<String, Long> before = db.tables.get("sums");
        Position checkpoint = db.load("sums").orElseThrow();
        SubscriptionException refused = assertThrows(SubscriptionException.class, () -> projection(10).run(live, WAIT,
                report -> { }, tx -> {
                    throw new SubscriptionException("lost the lease");
                }));
        assertEquals("lost the lease", refused.getMessage());
        assertEquals(before, db.tables.get("sums"), "the live table is unchanged");
        assertEquals(Map.of("k0", 10L, "k1", 10L, "k2", 10L), before);
        assertEquals(Optional.of(checkpoint), db.load("sums"), "the live checkpoint is unchanged");
        assertTrue(live.isRunning(), "the old version runs again");
        live.stop();
    }

    @Test
    void aPassingCheckRunsInTheSwapsTransactionBeforeTheTablesAreSwapped() throws Exception {
        Subscription live = liveVersionOne();
        List<Map<String, Long>> seenInCheck = new ArrayList<>();
        Position reached = projection(10).run(live, WAIT, report -> { },
                tx -> seenInCheck.add(tx.tables.get("sums")));
        assertEquals(List.of(Map.of("k0", 10L, "k1", 10L, "k2", 10L)), seenInCheck, "before the swap, in it");
        assertEquals(Map.of("k0", 100L, "k1", 100L, "k2", 100L), db.tables.get("sums"));
        assertEquals(store.latestPosition(), reached);
        assertFalse(live.isRunning());
    }

    @Test
    void theWatcherRefusesTheSwapWhenItsNodeNoLongerHoldsTheRequestAtTheSwap() throws Exception {
        Subscription live = liveVersionOne();
        Map<String, Long> before = db.tables.get("sums");
        // Every progress report renews the lease, but at the swap the request belongs to another node (the node
        // stalled past its lease after its last report and another took the request over).
        Requests requests = new Requests(false);
        AtomicReference<Subscription> current = new AtomicReference<>(live);
        RebuildRequestWatcher watcher = RebuildRequestWatcher.builder(requests, "a")
                .projection(projection(10), current::get, current::set).build();
        watcher.pollOnce();
        assertTrue(requests.finished.await(WAIT.toSeconds(), TimeUnit.SECONDS));
        assertEquals(List.of("sums"), requests.askedAtSwap, "the watcher checked at the swap");
        assertFalse(requests.swapped);
        assertTrue(requests.message.contains("lost the rebuild request"), requests.message);
        assertEquals(before, db.tables.get("sums"), "the live table is unchanged");
        assertTrue(live.isRunning(), "the old version runs again");
        assertEquals(live, current.get());
        live.stop();

        Requests holding = new Requests(true);
        RebuildRequestWatcher second = RebuildRequestWatcher.builder(holding, "a")
                .projection(projection(10), current::get, current::set).build();
        second.pollOnce();
        assertTrue(holding.swapped, holding.message);
        assertEquals(Map.of("k0", 100L, "k1", 100L, "k2", 100L), db.tables.get("sums"));
        current.get().stop();
    }

    @Test
    void onATenantsStoreTheRebuildUsesTheTenantsCheckpointsAndLeavesNoShadowCheckpoint() throws Exception {
        dev.eskit.tenancy.TenantScope acme = dev.eskit.tenancy.TenantScope.of(dev.eskit.tenancy.TenantId.of("acme"));
        EventStore tenantStore = acme.events(store);
        for (int i = 0; i < 4; i++) {
            tenantStore.append(StreamRef.of("k", "a" + i), ExpectedVersion.any(), List.of(new Added("a", 1)));
        }
        ShadowRebuild<Db.Tx> rebuild = ShadowRebuild.builder("sums", tenantStore, db, db.transactor, db.swap)
                .tables("sums")
                .create((tx, names) -> tx.tables.put(names.apply("sums"), new HashMap<>()))
                .handler(names -> (tx, event) -> tx.tables.get(names.apply("sums"))
                        .merge(((Added) event.data()).key(), ((Added) event.data()).amount(), Long::sum))
                .build();
        db.transactor.inTransaction(tx -> tx.tables.put("sums", new HashMap<>()));
        Subscription live = rebuild.subscription().build().start();
        assertTrue(live.awaitCaughtUp(WAIT));
        Position reached = rebuild.run(live, WAIT, report -> { });
        assertEquals(tenantStore.latestPosition(), reached, "the tenant's head, not the start of the log");
        assertEquals(Optional.of(reached), db.load("acme::sums"), "the tenant's live checkpoint moved");
        assertEquals(Optional.empty(), db.load("sums"), "no checkpoint outside the tenant");
        assertEquals(Optional.empty(), db.load("acme::sums#shadow"), "the shadow's checkpoint is gone");
        assertEquals(Map.of("a", 4L), db.tables.get("sums"), "only the tenant's events");
    }

    /** One request, claimable once; {@code holdsAtSwap} answers {@code holds}. */
    static final class Requests implements RebuildRequests {
        final boolean holds;
        final List<String> askedAtSwap = new ArrayList<>();
        final CountDownLatch finished = new CountDownLatch(1);
        volatile boolean claimed;
        volatile boolean swapped;
        volatile String message = "";

        Requests(boolean holds) {
            this.holds = holds;
        }

        @Override
        public RebuildRequest request(String projection) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Optional<RebuildRequest> tryClaim(String projection, String node, List<String> tables,
                                                 Duration lease) {
            if (claimed) {
                return Optional.empty();
            }
            claimed = true;
            return Optional.of(new RebuildRequest(projection, RebuildState.RUNNING, node, 1, true, tables, -1, 0,
                    Optional.empty(), null));
        }

        @Override
        public boolean progress(String projection, String node, ShadowProgress progress, Duration lease) {
            return true;
        }

        @Override
        public boolean holdsAtSwap(Object transaction, String projection, String node, Duration lease) {
            assertTrue(transaction instanceof Db.Tx, "called with the swap's transaction");
            askedAtSwap.add(projection);
            return holds;
        }

        @Override
        public void finish(String projection, String node, boolean swapped, String message) {
            this.swapped = swapped;
            this.message = message;
            finished.countDown();
        }

        @Override
        public Optional<RebuildRequest> find(String projection) {
            return Optional.empty();
        }

        @Override
        public boolean cancel(String projection) {
            return false;
        }
    }

    /** Tables and checkpoints; a transaction works on copies and commits by replacing them, or leaves them. */
    static final class Db implements CheckpointStore {
        volatile Map<String, Map<String, Long>> tables = new HashMap<>();
        volatile Map<String, Position> checkpoints = new HashMap<>();

        static final class Tx {
            final Map<String, Map<String, Long>> tables = new HashMap<>();
            final Map<String, Position> checkpoints;

            Tx(Map<String, Map<String, Long>> tables, Map<String, Position> checkpoints) {
                tables.forEach((name, rows) -> this.tables.put(name, new HashMap<>(rows)));
                this.checkpoints = new HashMap<>(checkpoints);
            }
        }

        final Transactor<Tx> transactor = new Transactor<>() {
            @Override
            public void inTransaction(Work<Tx> work) throws Exception {
                synchronized (Db.this) {
                    Tx tx = new Tx(tables, checkpoints);
                    work.run(tx);
                    tables = tx.tables;
                    checkpoints = tx.checkpoints;
                }
            }

            @Override
            public void saveCheckpoint(Tx transaction, String name, Position position) {
                transaction.checkpoints.put(name, position);
            }
        };

        final TableSwap<Tx> swap = (tx, live, shadow) -> tx.tables.put(live, tx.tables.remove(shadow));

        @Override
        public synchronized Optional<Position> load(String name) {
            return Optional.ofNullable(checkpoints.get(name));
        }

        @Override
        public synchronized void save(String name, Position position) {
            Map<String, Position> copy = new HashMap<>(checkpoints);
            copy.put(name, position);
            checkpoints = copy;
        }

        @Override
        public synchronized void delete(String name) {
            Map<String, Position> copy = new HashMap<>(checkpoints);
            copy.remove(name);
            checkpoints = copy;
        }
    }
}
