package dev.eskit.jdbi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.eskit.ExpectedVersion;
import dev.eskit.Position;
import dev.eskit.StreamRef;
import dev.eskit.jdbi.TestEvents.Deposited;
import dev.eskit.jdbi.subscription.JdbiRebuildRequests;
import dev.eskit.jdbi.subscription.JdbiTableSwap;
import dev.eskit.projection.rebuild.RebuildRequest;
import dev.eskit.projection.rebuild.RebuildState;
import dev.eskit.projection.rebuild.ShadowRebuild;
import dev.eskit.subscription.Subscription;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Predicate;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.Test;

/**
 * kill -9 in the middle of a shadow rebuild: a child JVM (node a) claims a rebuild request and is killed while the
 * shadow is half built. The live table keeps serving its old state (and its checkpoint stays), the request waits for
 * another node, and node b takes it over when a's lease runs out: it drops a's shadow table, rebuilds from the start
 * and swaps. Version 1 of the projection sums cents, the rebuilt version 10 x cents, so the tables tell which ran.
 */
abstract class ShadowRebuildKillContract {

    static final int EVENTS = 2_000;
    static final Duration WAIT = Duration.ofSeconds(120);
    static final String LEASE_MS = "1500";

    abstract Databases db();

    @Test
    void aRebuildKilledMidwayLeavesTheLiveTableServingAndAnotherNodeFinishesIt() throws Exception {
        Databases.Location location = db().newLocation();
        JdbiEventStore store = db().open(location);
        for (int s = 0; s < 4; s++) {
            List<Deposited> deposits = new ArrayList<>();
            for (int i = 0; i < EVENTS / 4; i++) {
                deposits.add(new Deposited("a" + s, 1));
            }
            store.append(StreamRef.of("account", "a" + s), ExpectedVersion.any(), deposits);
        }
        List<String> args = location.childArguments();
        Jdbi jdbi = Jdbi.create(location.dataSource());
        String q = ProjectionChild.qualifier(args);
        String table = q + "balances";
        jdbi.useHandle(h -> h.execute("CREATE TABLE " + table + " (account text PRIMARY KEY, cents bigint NOT NULL)"));
        try (Subscription v1 = RebuildNodeMain.projection(store, jdbi, q, 1, 0).subscription().build().start()) {
            assertTrue(v1.awaitCaughtUp(WAIT));
        }
        Position head = store.latestPosition();
        assertEquals(sums(1), balances(jdbi, table));
        JdbiRebuildRequests requests = JdbiRebuildRequests.create(jdbi, store);
        requests.request("balances");

        List<String> nodeA = new ArrayList<>(List.of("a", "10", "3000", LEASE_MS));
        nodeA.addAll(args);
        try (ChildJvm a = ChildJvm.start(RebuildNodeMain.class, nodeA)) {
            assertTrue(a.await("ready", WAIT), "node a started");
            await(requests, r -> r.state() == RebuildState.RUNNING && r.remaining() >= 0
                    && r.remaining() < EVENTS - 200, "node a rebuilt part of the shadow");
            a.kill();
        }
        RebuildRequest orphan = requests.find("balances").orElseThrow();
        assertEquals(RebuildState.RUNNING, orphan.state());
        assertEquals("a", orphan.node());
        assertTrue(orphan.remaining() > 0, "killed before the shadow caught up: " + orphan);
        assertEquals(sums(1), balances(jdbi, table), "the live table kept serving its old state");
        assertEquals(Optional.of(head), store.checkpoints().load("balances"), "the live checkpoint is unchanged");
        List<String> leftovers = jdbi.withHandle(h -> JdbiTableSwap.leftovers(h, table));
        assertEquals(1, leftovers.size(), "node a's shadow table is left behind: " + leftovers);

        List<String> nodeB = new ArrayList<>(List.of("b", "10", "0", LEASE_MS));
        nodeB.addAll(args);
        try (ChildJvm b = ChildJvm.start(RebuildNodeMain.class, nodeB)) {
            assertTrue(b.await("ready", WAIT), "node b started");
            assertTrue(b.await("swapped", WAIT), "node b took the rebuild over and swapped: "
                    + requests.find("balances"));
            RebuildRequest done = requests.find("balances").orElseThrow();
            assertEquals(RebuildState.DONE, done.state(), done::toString);
            assertEquals("b", done.node());
            assertEquals(2, done.attempts(), "claimed twice: by a, then by b after a's lease ran out");
            assertEquals(sums(10), balances(jdbi, table), "the live table has the rebuilt state");
            assertEquals(List.of(), jdbi.withHandle(h -> JdbiTableSwap.leftovers(h, table)),
                    "node a's shadow table was dropped, node b's became the live table");
            assertFalse(store.checkpoints().load(ShadowRebuild.shadowName("balances")).isPresent());
            assertEquals(Optional.of(head), store.checkpoints().load("balances"));
            b.closeInput();
        }
    }

    static void await(JdbiRebuildRequests requests, Predicate<RebuildRequest> condition, String what) {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (true) {
            Optional<RebuildRequest> request = requests.find("balances");
            if (request.filter(condition).isPresent()) {
                return;
            }
            if (System.nanoTime() - deadline >= 0) {
                fail("timed out waiting until " + what + ": " + request);
            }
            LockSupport.parkNanos(Duration.ofMillis(20).toNanos());
        }
    }

    static Map<String, Long> sums(long each) {
        Map<String, Long> expected = new TreeMap<>();
        for (int s = 0; s < 4; s++) {
            expected.put("a" + s, each * EVENTS / 4);
        }
        return expected;
    }

    static Map<String, Long> balances(Jdbi jdbi, String table) {
        Map<String, Long> rows = new TreeMap<>();
        jdbi.useHandle(handle -> handle.createQuery("SELECT account, cents FROM " + table)
                .map((r, c) -> Map.entry(r.getString(1), r.getLong(2))).forEach(e -> rows.put(e.getKey(),
                        e.getValue())));
        return rows;
    }
}
