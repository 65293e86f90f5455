package dev.eskit.hooks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.eskit.AppendRequest;
import dev.eskit.AppendResult;
import dev.eskit.ConcurrencyException;
import dev.eskit.EventStore;
import dev.eskit.StreamRef;
import dev.eskit.command.CommandBus;
import dev.eskit.command.CommandResult;
import dev.eskit.command.CommandRoute;
import dev.eskit.command.RetryPolicy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class CommandMiddlewareTest {

    private final EventStore store = EventStore.inMemory(Tally.TYPES);

    private CommandBus.Builder bus(EventStore on) {
        return CommandBus.builder(on).register(CommandRoute.of(Tally.Add.class, "tally", Tally.Add::id,
                Tally.decider()));
    }

    @Test
    void singleWriterLetsManyThreadsWriteOneStreamWithoutAnyConflict() throws Exception {
        int threads = 8;
        int perThread = 60;
        AtomicInteger inside = new AtomicInteger();
        AtomicInteger maxInside = new AtomicInteger();
        CommandBus bus = bus(store)
                .middleware(SingleWriterMiddleware.withStripes(4))
                .middleware((command, next) -> {
                    // Measures how many commands run at once behind the lock; must never exceed one per stream.
                    int now = inside.incrementAndGet();
                    maxInside.accumulateAndGet(now, Math::max);
                    try {
                        return next.proceed(command);
                    } finally {
                        inside.decrementAndGet();
                    }
                })
                .build();
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<?>> futures = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            futures.add(pool.submit(() -> {
                start.await();
                for (int i = 0; i < perThread; i++) {
                    bus.send(new Tally.Add("hot", 1));
                }
                return null;
            }));
        }
        start.countDown();
        for (Future<?> future : futures) {
            future.get(60, TimeUnit.SECONDS); // a ConcurrencyException would surface here
        }
        pool.shutdown();
        assertEquals(threads * perThread, store.streamVersion(StreamRef.of("tally", "hot")));
        assertEquals(1, maxInside.get());
    }

    @Test
    void singleWriterDoesNotBlockOtherStreams() throws Exception {
        CountDownLatch firstInside = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        SingleWriterMiddleware single = SingleWriterMiddleware.create();
        CommandBus bus = bus(store).middleware(single).middleware((command, next) -> {
            if (command.stream().id().equals("slow")) {
                firstInside.countDown();
                try {
                    assertTrue(release.await(30, TimeUnit.SECONDS));
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
            }
            return next.proceed(command);
        }).build();
        ExecutorService pool = Executors.newSingleThreadExecutor();
        Future<?> slow = pool.submit(() -> bus.send(new Tally.Add("slow", 1)));
        assertTrue(firstInside.await(30, TimeUnit.SECONDS));
        // Holding "slow"'s lock must not stop a command on another stream (1024 stripes: no collision here).
        CommandResult<?, ?> other = bus.send(new Tally.Add("fast", 2));
        assertEquals(1, other.version());
        release.countDown();
        slow.get(30, TimeUnit.SECONDS);
        pool.shutdown();
    }

    @Test
    void singleWriterRejectsABadStripeCount() {
        assertThrows(dev.eskit.InvalidInputException.class, () -> SingleWriterMiddleware.withStripes(0));
    }

    /** A store whose first {@code failures} appends fail with a conflict, as if another writer won. */
    private static EventStore conflicting(EventStore inner, int failures, AtomicInteger appends) {
        return HookedEventStore.builder(inner).before((AppendRequest request) -> {
            if (appends.incrementAndGet() <= failures) {
                throw new ConcurrencyException(request.stream(), request.expected(), 99);
            }
        }).build();
    }

    @Test
    void retryMiddlewareRunsTheCommandAgainAfterAConflict() {
        AtomicInteger appends = new AtomicInteger();
        AtomicInteger innerRuns = new AtomicInteger();
        CommandBus bus = bus(conflicting(store, 2, appends))
                .middleware(RetryMiddleware.of(new RetryPolicy(3, Duration.ZERO, Duration.ZERO)))
                .middleware((command, next) -> {
                    innerRuns.incrementAndGet();
                    return next.proceed(command);
                })
                .build();
        CommandResult<?, ?> result = bus.send(new Tally.Add("t", 4));
        assertEquals(1, result.version());
        assertEquals(3, appends.get());
        assertEquals(3, innerRuns.get()); // inner middleware runs once per attempt
    }

    @Test
    void retryMiddlewareGivesUpAfterItsAttemptsAndRethrowsTheConflict() {
        AtomicInteger appends = new AtomicInteger();
        CommandBus bus = bus(conflicting(store, 10, appends))
                .middleware(RetryMiddleware.of(new RetryPolicy(3, Duration.ZERO, Duration.ZERO)))
                .build();
        assertThrows(ConcurrencyException.class, () -> bus.send(new Tally.Add("t", 4)));
        assertEquals(3, appends.get());
        assertEquals(0, store.streamVersion(StreamRef.of("tally", "t")));
    }

    @Test
    void retryMiddlewareDoesNotRetryOtherFailures() {
        AtomicInteger runs = new AtomicInteger();
        CommandBus bus = bus(store)
                .middleware(RetryMiddleware.of(RetryPolicy.attempts(5)))
                .middleware((command, next) -> {
                    runs.incrementAndGet();
                    throw new IllegalArgumentException("rejected");
                })
                .build();
        assertThrows(IllegalArgumentException.class, () -> bus.send(new Tally.Add("t", 4)));
        assertEquals(1, runs.get());
    }

    @Test
    void loggingMiddlewarePassesResultsAndFailuresThrough() {
        CommandBus ok = bus(store).middleware(LoggingMiddleware.create()).build();
        assertEquals(1, ok.send(new Tally.Add("t", 4)).version());
        CommandBus failing = bus(conflicting(store, 1, new AtomicInteger()))
                .middleware(LoggingMiddleware.create()).build();
        assertThrows(ConcurrencyException.class, () -> failing.send(new Tally.Add("t", 4)));
        assertEquals(1, store.streamVersion(StreamRef.of("tally", "t")));
    }

    @Test
    void appendResultsOfHookedStoresReachTheCommandResult() {
        List<AppendResult> seen = new ArrayList<>();
        EventStore hooked = HookedEventStore.builder(store).after((request, result) -> seen.add(result)).build();
        CommandResult<?, ?> result = bus(hooked).build().send(new Tally.Add("t", 1));
        assertEquals(1, seen.size());
        assertEquals(seen.get(0).events().get(0).id(), result.events().get(0).id());
    }
}
