package dev.eskit.jdbi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.eskit.ExpectedVersion;
import dev.eskit.Position;
import dev.eskit.StreamRef;
import dev.eskit.jdbi.TestEvents.Deposited;
import dev.eskit.jdbi.subscription.JdbiRebuildRequests;
import dev.eskit.jdbi.subscription.JdbiTableSwap;
import dev.eskit.jdbi.subscription.JdbiTransactor;
import dev.eskit.projection.rebuild.RebuildRequest;
import dev.eskit.projection.rebuild.ShadowProgress;
import dev.eskit.projection.rebuild.ShadowRebuild;
import dev.eskit.subscription.Subscription;
import dev.eskit.subscription.SubscriptionException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.Test;

/**
 * Zero-downtime rebuild on a database: version 1 of a balances projection sums cents; version 2 (the "fixed" one)
 * sums ten times the cents. While version 2 is rebuilt into a shadow table, the live table keeps version 1's sums;
 * after the swap it has version 2's; a rebuild that dies before the swap leaves the live table and its checkpoint as
 * they were.
 */
abstract class ShadowRebuildContract {

    static final Duration WAIT = Duration.ofSeconds(120);
    static final int EVENTS = 400;

    abstract Databases db();

    Databases.Location location;
    JdbiEventStore store;
    Jdbi jdbi;
    String q;

    void open() {
        location = db().newLocation();
        store = db().open(location);
        jdbi = Jdbi.create(location.dataSource());
        q = store.tableNames().table("");
        for (int s = 0; s < 4; s++) {
            List<Deposited> deposits = new ArrayList<>();
            for (int i = 0; i < EVENTS / 4; i++) {
                deposits.add(new Deposited("a" + s, 1));
            }
            store.append(StreamRef.of("account", "a" + s), ExpectedVersion.any(), deposits);
        }
    }

    /** A version of the projection: writes {@code factor} x cents per deposit through the resolver. */
    ShadowRebuild.Builder<Handle> projection(int factor, java.util.function.Consumer<Integer> onEvent) {
        AtomicInteger seen = new AtomicInteger();
        return ShadowRebuild.builder("balances", store, store.checkpoints(), JdbiTransactor.of(jdbi, store),
                        JdbiTableSwap.create())
                .tables(q + "balances")
                .create((handle, names) -> handle.execute("CREATE TABLE " + names.apply(q + "balances")
                        + " (account text PRIMARY KEY, cents bigint NOT NULL)"))
                .handler(names -> (handle, event) -> {
                    onEvent.accept(seen.incrementAndGet());
                    Deposited d = (Deposited) event.data();
                    handle.execute("INSERT INTO " + names.apply(q + "balances") + " AS b (account, cents) VALUES (?, ?)"
                            + " ON CONFLICT (account) DO UPDATE SET cents = b.cents + excluded.cents", d.account(),
                            d.cents() * factor);
                })
                .subscription(shadow -> shadow.eventTypes("test.Deposited").batchSize(50).checkpointEvery(20))
                .progressEvery(Duration.ofMillis(50));
    }

    Map<String, Long> balances() {
        Map<String, Long> rows = new TreeMap<>();
        jdbi.useHandle(handle -> handle.createQuery("SELECT account, cents FROM " + q + "balances")
                .map((r, c) -> Map.entry(r.getString(1), r.getLong(2))).forEach(e -> rows.put(e.getKey(),
                        e.getValue())));
        return rows;
    }

    static Map<String, Long> sums(long each) {
        Map<String, Long> expected = new TreeMap<>();
        for (int s = 0; s < 4; s++) {
            expected.put("a" + s, each * EVENTS / 4);
        }
        return expected;
    }

    /** Version 1, live and caught up. */
    Subscription liveVersionOne() throws Exception {
        ShadowRebuild<Handle> v1 = projection(1, n -> { }).build();
        JdbiTransactor.of(jdbi, store).inTransaction(handle -> handle.execute("CREATE TABLE " + q
                + "balances (account text PRIMARY KEY, cents bigint NOT NULL)"));
        Subscription live = v1.subscription().build().start();
        assertTrue(live.awaitCaughtUp(WAIT));
        assertEquals(sums(1), balances());
        return live;
    }

    @Test
    void theLiveTableServesTheOldStateDuringTheRebuildAndTheNewOneAfterTheSwap() throws Exception {
        open();
        Subscription live = liveVersionOne();
        CountDownLatch halfway = new CountDownLatch(1);
        CountDownLatch checked = new CountDownLatch(1);
        List<ShadowProgress> reports = new CopyOnWriteArrayList<>();
        CountDownLatch reported = new CountDownLatch(1);
        ShadowRebuild<Handle> v2 = projection(10, n -> {
            if (n == EVENTS / 2) {
                halfway.countDown();
                await(checked);
                // Held halfway until a progress report has been made: on a fast machine the shadow could otherwise
                // catch up before the first report is due.
                await(reported);
            }
        }).progress(report -> {
            reports.add(report);
            reported.countDown();
        }).build();
        List<Map<String, Long>> seenDuring = new CopyOnWriteArrayList<>();
        Thread reader = new Thread(() -> {
            await(halfway);
            seenDuring.add(balances());
            checked.countDown();
        });
        reader.start();
        Position reached = v2.run(live, WAIT);
        reader.join(WAIT.toMillis());
        assertEquals(List.of(sums(1)), seenDuring, "the live table kept the old state during the rebuild");
        assertEquals(sums(10), balances(), "after the swap the live table has the rebuilt state");
        assertEquals(store.latestPosition(), reached);
        assertEquals(java.util.Optional.of(reached), store.checkpoints().load("balances"));
        assertEquals(java.util.Optional.empty(), store.checkpoints().load(ShadowRebuild.shadowName("balances")));
        assertFalse(live.isRunning(), "the old version stays stopped after the swap");
        assertTrue(reports.size() >= 1 && reports.get(0).describe().contains("events/s"), "progress: " + reports);
        // The rebuilt projection goes on live from the swapped checkpoint.
        Subscription next = v2.subscription().build().start();
        store.append(StreamRef.of("account", "a0"), ExpectedVersion.any(), List.of(new Deposited("a0", 1)));
        assertTrue(next.awaitPosition(store.latestPosition(), WAIT));
        assertEquals(10L * EVENTS / 4 + 10, balances().get("a0"));
        next.stop();
    }

    @Test
    void aRebuildThatDiesBeforeTheSwapLeavesTheLiveTableAndCheckpointIntact() throws Exception {
        open();
        Subscription live = liveVersionOne();
        Position before = store.checkpoints().load("balances").orElseThrow();
        ShadowRebuild<Handle> v2 = projection(10, n -> {
            if (n == EVENTS / 2) {
                throw new OutOfMemoryError("simulated crash of the rebuild");
            }
        }).build();
        SubscriptionException e = assertThrows(SubscriptionException.class, () -> v2.run(live, WAIT));
        assertTrue(e.getMessage().contains("live tables are unchanged"), e.getMessage());
        assertEquals(sums(1), balances());
        assertEquals(java.util.Optional.of(before), store.checkpoints().load("balances"));
        assertTrue(live.isRunning(), "the old version runs again");
        live.stop();
    }

    @Test
    void aRebuildDropsTheShadowTablesEarlierRunsLeftBehindBeforeItStarts() throws Exception {
        open();
        Subscription live = liveVersionOne();
        jdbi.useHandle(handle -> {
            handle.execute("CREATE TABLE " + q + "balances_s0000000000001 (account text PRIMARY KEY, cents bigint NOT NULL)");
            handle.execute("CREATE TABLE " + q + "balances_s1700000000000 (account text)");
            handle.execute("CREATE TABLE " + q + "balances_summary (account text)");
        });
        assertEquals(List.of(q + "balances_s0000000000001", q + "balances_s1700000000000"),
                jdbi.withHandle(handle -> JdbiTableSwap.leftovers(handle, q + "balances")));
        projection(10, n -> { }).build().run(live, WAIT);
        assertEquals(List.of(), jdbi.withHandle(handle -> JdbiTableSwap.leftovers(handle, q + "balances")));
        assertEquals(sums(10), balances());
        assertEquals(0L, (long) jdbi.withHandle(handle -> handle.createQuery("SELECT count(*) FROM " + q
                + "balances_summary").mapTo(Long.class).one()), "a table that only starts like a shadow is kept");
    }

    @Test
    void aNodeWhoseLeaseRanOutBeforeTheSwapCannotSwapEvenAfterItsLastReport() throws Exception {
        open();
        Subscription live = liveVersionOne();
        Position before = store.checkpoints().load("balances").orElseThrow();
        JdbiRebuildRequests requests = JdbiRebuildRequests.create(jdbi, store);
        requests.request("balances");
        assertTrue(requests.tryClaim("balances", "a", List.of(q + "balances"), Duration.ofMillis(200)).isPresent());
        AtomicBoolean takenOver = new AtomicBoolean();
        // Node a stalls after a report (it does not renew its lease) until its lease has run out and node b has
        // claimed the request: its swap must then be refused in the swap's own transaction.
        Consumer<ShadowProgress> stalled = report -> {
            if (takenOver.compareAndSet(false, true)) {
                long deadline = System.nanoTime() + WAIT.toNanos();
                while (requests.tryClaim("balances", "b", List.of(q + "balances"), Duration.ofMinutes(5))
                        .isEmpty()) {
                    assertTrue(System.nanoTime() - deadline < 0, "a's lease ran out");
                    LockSupport.parkNanos(Duration.ofMillis(20).toNanos());
                }
            }
        };
        ShadowRebuild<Handle> v2 = projection(10, n -> { }).build();
        SubscriptionException refused = assertThrows(SubscriptionException.class, () -> v2.run(live, WAIT, stalled,
                transaction -> {
                    if (!requests.holdsAtSwap(transaction, "balances", "a", Duration.ofMinutes(1))) {
                        throw new SubscriptionException("node a lost the request");
                    }
                }));
        assertEquals("node a lost the request", refused.getMessage());
        assertTrue(takenOver.get());
        assertEquals(sums(1), balances(), "the live table is unchanged");
        assertEquals(java.util.Optional.of(before), store.checkpoints().load("balances"));
        assertTrue(live.isRunning(), "the old version runs again");
        RebuildRequest request = requests.find("balances").orElseThrow();
        assertEquals("b", request.node());
        assertTrue(request.leaseHeld(), "b's claim stands");
        live.stop();
    }

    @Test
    void aNodeThatHoldsItsLeaseSwapsAndTheCheckExtendsTheLeaseInTheSwapsTransaction() throws Exception {
        open();
        Subscription live = liveVersionOne();
        JdbiRebuildRequests requests = JdbiRebuildRequests.create(jdbi, store);
        requests.request("balances");
        assertTrue(requests.tryClaim("balances", "a", List.of(q + "balances"), Duration.ofMinutes(5)).isPresent());
        AtomicBoolean checked = new AtomicBoolean();
        projection(10, n -> { }).build().run(live, WAIT, report -> { }, transaction -> {
            checked.set(requests.holdsAtSwap(transaction, "balances", "a", Duration.ofMinutes(5)));
            assertTrue(checked.get(), "a holds the request");
            assertFalse(requests.holdsAtSwap(transaction, "balances", "b", Duration.ofMinutes(5)), "b does not");
        });
        assertTrue(checked.get());
        assertEquals(sums(10), balances());
        RebuildRequest request = requests.find("balances").orElseThrow();
        assertEquals("a", request.node());
        assertTrue(request.leaseHeld());
        assertFalse(requests.tryClaim("balances", "b", List.of(q + "balances"), Duration.ofMinutes(1)).isPresent());
    }

    static void await(CountDownLatch latch) {
        try {
            assertTrue(latch.await(WAIT.toSeconds(), TimeUnit.SECONDS));
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
    }
}
