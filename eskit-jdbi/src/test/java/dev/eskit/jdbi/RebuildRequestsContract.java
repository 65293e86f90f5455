package dev.eskit.jdbi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.eskit.Position;
import dev.eskit.jdbi.subscription.JdbiRebuildRequests;
import dev.eskit.projection.rebuild.RebuildRequest;
import dev.eskit.projection.rebuild.RebuildState;
import dev.eskit.projection.rebuild.ShadowProgress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.Test;

/** The rebuild request table: one claim at a time, takeover after the lease, progress and outcome. */
abstract class RebuildRequestsContract {

    abstract Databases db();

    JdbiRebuildRequests requests() {
        Databases.Location location = db().newLocation();
        JdbiEventStore store = db().open(location);
        return JdbiRebuildRequests.create(Jdbi.create(location.dataSource()), store);
    }

    @Test
    void eightNodesClaimingAtOnceGiveTheRequestToExactlyOne() throws Exception {
        JdbiRebuildRequests requests = requests();
        for (int round = 0; round < 5; round++) {
            requests.request("balances");
            CountDownLatch go = new CountDownLatch(1);
            ExecutorService pool = Executors.newFixedThreadPool(8);
            List<Future<Optional<RebuildRequest>>> claims = new ArrayList<>();
            for (int n = 0; n < 8; n++) {
                String node = "n" + n;
                claims.add(pool.submit(() -> {
                    go.await();
                    return requests.tryClaim("balances", node, List.of("balances"), Duration.ofMinutes(1));
                }));
            }
            go.countDown();
            int won = 0;
            String winner = null;
            for (Future<Optional<RebuildRequest>> claim : claims) {
                Optional<RebuildRequest> result = claim.get(60, TimeUnit.SECONDS);
                if (result.isPresent()) {
                    won++;
                    winner = result.get().node();
                }
            }
            pool.shutdown();
            assertEquals(1, won, "round " + round);
            RebuildRequest stored = requests.find("balances").orElseThrow();
            assertEquals(winner, stored.node());
            assertEquals(1, stored.attempts());
            assertTrue(stored.runningNow());
            requests.finish("balances", winner, true, "swapped");
        }
    }

    @Test
    void anotherNodeTakesOverWhenTheLeaseRunsOutAndTheFirstOneIsFencedOff() {
        JdbiRebuildRequests requests = requests();
        requests.request("balances");
        assertTrue(requests.tryClaim("balances", "a", List.of("balances"), Duration.ofMinutes(1)).isPresent());
        assertFalse(requests.tryClaim("balances", "b", List.of("balances"), Duration.ofMinutes(1)).isPresent(),
                "a's lease is running");
        assertEquals("a", requests.request("balances").node(), "a request while one runs joins it");
        ShadowProgress report = new ShadowProgress(Position.START, Position.START, 5, 10.0,
                Optional.of(Duration.ofMillis(500)));
        // a's last renewal leaves it a lease of 1 ms: as if it had stopped reporting.
        assertTrue(requests.progress("balances", "a", report, Duration.ofMillis(1)));
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        Optional<RebuildRequest> takeover = Optional.empty();
        while (takeover.isEmpty() && System.nanoTime() < deadline) {
            takeover = requests.tryClaim("balances", "b", List.of("balances"), Duration.ofMinutes(1));
            LockSupport.parkNanos(Duration.ofMillis(5).toNanos());
        }
        assertTrue(takeover.isPresent(), "b took over after a's lease");
        assertEquals(2, takeover.get().attempts());
        assertFalse(requests.progress("balances", "a", report, Duration.ofMinutes(1)), "a lost it");
        requests.finish("balances", "a", true, "a must not finish it");
        assertTrue(requests.progress("balances", "b", report, Duration.ofMinutes(1)));
        RebuildRequest running = requests.find("balances").orElseThrow();
        assertEquals(RebuildState.RUNNING, running.state());
        assertEquals(5, running.remaining());
        assertEquals(Optional.of(Duration.ofMillis(500)), running.eta());
        requests.finish("balances", "b", false, "boom");
        RebuildRequest failed = requests.find("balances").orElseThrow();
        assertEquals(RebuildState.FAILED, failed.state());
        assertEquals("boom", failed.message());
        assertEquals(List.of("balances"), failed.tables());
    }

    @Test
    void onlyAnUnclaimedRequestCanBeCancelled() {
        JdbiRebuildRequests requests = requests();
        assertFalse(requests.cancel("balances"));
        requests.request("balances");
        assertTrue(requests.cancel("balances"));
        assertFalse(requests.find("balances").isPresent());
        requests.request("balances");
        requests.tryClaim("balances", "a", List.of("balances"), Duration.ofMinutes(1));
        assertFalse(requests.cancel("balances"));
        assertEquals(RebuildState.RUNNING, requests.find("balances").orElseThrow().state());
    }
}
