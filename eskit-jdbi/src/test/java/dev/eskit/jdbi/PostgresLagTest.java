package dev.eskit.jdbi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.eskit.ExpectedVersion;
import dev.eskit.Position;
import dev.eskit.StreamRef;
import dev.eskit.jdbi.TestEvents.Deposited;
import dev.eskit.subscription.Subscription;
import dev.eskit.subscription.SubscriptionLag;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Lag is honest on PostgreSQL: events held back by an open append transaction count, and say so. */
class PostgresLagTest {

    @RegisterExtension
    static final Databases DB = Databases.postgres();

    static final Duration WAIT = Duration.ofSeconds(60);
    static final StreamRef SLOW = StreamRef.of("account", "slow");
    static final StreamRef QUICK = StreamRef.of("account", "quick");

    @Test
    void eventsBehindAnOpenAppendTransactionCountAsLagAndAreFlaggedAsHeldBack() throws Exception {
        CountDownLatch inside = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        JdbiEventStore store = DB.open(DB.newLocation(), builder -> builder.appendHook(stream -> {
            if (stream.equals(SLOW)) {
                inside.countDown();
                try {
                    if (!release.await(60, TimeUnit.SECONDS)) {
                        throw new IllegalStateException("never released");
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException(e);
                }
            }
        }));
        Position first = store.append(QUICK, ExpectedVersion.noStream(), List.of(new Deposited("q", 1)))
                .lastPosition();
        ExecutorService pool = Executors.newSingleThreadExecutor();
        try (Subscription s = Subscription.builder("lagging", store, store.checkpoints())
                .pollInterval(Duration.ofMillis(20)).handler(event -> { }).build().start()) {
            assertTrue(s.awaitPosition(first, WAIT));
            awaitLag(s, lag -> lag.events() == 0 && !lag.heldBack());

            // One of our appends stays open; five quick ones commit after it got its transaction id.
            Future<?> slow = pool.submit(() -> store.append(SLOW, ExpectedVersion.noStream(),
                    List.of(new Deposited("s", 1))));
            assertTrue(inside.await(60, TimeUnit.SECONDS));
            for (int i = 2; i <= 6; i++) {
                store.append(QUICK, ExpectedVersion.any(), List.of(new Deposited("q", i)));
            }
            SubscriptionLag held = awaitLag(s, lag -> lag.events() == 5 && lag.heldBack()
                    && lag.heldBackAge().toMillis() >= 50);
            assertTrue(held.oldestAge().compareTo(Duration.ZERO) > 0);
            assertFalse(held.atLeast());
            assertEquals(first, s.position(), "nothing past the horizon was read");

            release.countDown();
            slow.get(60, TimeUnit.SECONDS);
            awaitLag(s, lag -> lag.events() == 0 && !lag.heldBack());
            assertEquals(Duration.ZERO, s.lag().heldBackAge());
        } finally {
            release.countDown();
            pool.shutdownNow();
        }
    }

    /** Asks for the lag until it matches, for at most {@link #WAIT}; other suites' transactions may hold us back. */
    private static SubscriptionLag awaitLag(Subscription s, java.util.function.Predicate<SubscriptionLag> wanted) {
        long deadline = System.nanoTime() + WAIT.toNanos();
        SubscriptionLag lag = s.lag();
        while (!wanted.test(lag)) {
            assertTrue(System.nanoTime() < deadline, "lag never matched, last " + lag);
            LockSupport.parkNanos(Duration.ofMillis(10).toNanos());
            lag = s.lag();
        }
        return lag;
    }
}
