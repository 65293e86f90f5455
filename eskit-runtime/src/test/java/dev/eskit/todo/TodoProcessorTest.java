package dev.eskit.todo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.eskit.subscription.Backoff;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class TodoProcessorTest {

    static final Duration WAIT = Duration.ofSeconds(20);
    static final Duration LONG = Duration.ofHours(1);

    final ManualClock clock = new ManualClock();
    final TodoStore todos = TodoStore.inMemory(clock);
    final List<TodoProcessor> started = new ArrayList<>();

    @AfterEach
    void stopAll() {
        started.forEach(TodoProcessor::stop);
    }

    TodoProcessor.Builder builder(TodoHandler handler) {
        return TodoProcessor.builder("mail", todos, handler).clock(clock)
                .retry(Backoff.exponential(3, Duration.ofSeconds(10), Duration.ofMinutes(1)));
    }

    /** A lease already over let a second worker claim the item at once (found by an outside trial). */
    @Test
    void aClaimsLeaseMustBePositiveAndAtMostAYear() {
        todos.add("mail", "n-1", "p");
        for (Duration lease : List.of(Duration.ofSeconds(-60), Duration.ZERO, Duration.ofDays(366))) {
            dev.eskit.InvalidInputException refused = org.junit.jupiter.api.Assertions.assertThrows(
                    dev.eskit.InvalidInputException.class, () -> todos.claim("mail", "w", 1, lease));
            assertTrue(refused.getMessage().startsWith("Todo lease " + lease + " is out of range"),
                    refused.getMessage());
            org.junit.jupiter.api.Assertions.assertThrows(dev.eskit.InvalidInputException.class,
                    () -> builder(item -> { }).lease(lease));
        }
        assertEquals(TodoStatus.PENDING, todos.find("mail", "n-1").orElseThrow().status(), "nothing claimed");
        assertEquals(1, todos.claim("mail", "w", 1, Duration.ofDays(365)).size());
        assertTrue(todos.claim("mail", "w2", 1, Duration.ofMinutes(1)).isEmpty(), "its lease lasts");
    }

    @Test
    void severalWorkersProcessEveryItemExactlyOnceWhileLeasesLast() throws Exception {
        int count = 300;
        for (int i = 0; i < count; i++) {
            todos.add("mail", "item-" + i, "payload-" + i);
        }
        Map<String, AtomicInteger> times = new ConcurrentHashMap<>();
        CountDownLatch all = new CountDownLatch(count);
        TodoProcessor processor = builder(item -> {
            times.computeIfAbsent(item.id(), k -> new AtomicInteger()).incrementAndGet();
            all.countDown();
        }).workers(4).batchSize(7).build();
        started.add(processor.start());
        assertTrue(all.await(WAIT.toSeconds(), TimeUnit.SECONDS));
        processor.stop();
        assertEquals(count, times.size());
        assertTrue(times.values().stream().allMatch(n -> n.get() == 1), times.toString());
        assertEquals(count, todos.list("mail", TodoStatus.DONE, 10_000).size());
    }

    @Test
    void failingItemIsRetriedAfterBackoffThenMarkedDead() {
        todos.add("mail", "bad", "x");
        todos.add("mail", "good", "y");
        List<String> calls = new CopyOnWriteArrayList<>();
        TodoProcessor processor = builder(item -> {
            calls.add(item.id() + "#" + item.attempts());
            if (item.id().equals("bad")) {
                throw new IllegalStateException("smtp down");
            }
        }).build();
        assertEquals(2, processor.runOnce());
        TodoItem retrying = todos.find("mail", "bad").orElseThrow();
        assertEquals(TodoStatus.PENDING, retrying.status());
        assertEquals(clock.instant().plusSeconds(10), retrying.availableAt());
        assertEquals("java.lang.IllegalStateException: smtp down", retrying.lastError());

        assertEquals(0, processor.runOnce(), "not claimable before its backoff ends");
        clock.advance(Duration.ofSeconds(10));
        assertEquals(1, processor.runOnce());
        assertEquals(clock.instant().plusSeconds(20), todos.find("mail", "bad").orElseThrow().availableAt());
        clock.advance(Duration.ofSeconds(20));
        assertEquals(1, processor.runOnce());

        TodoItem dead = todos.find("mail", "bad").orElseThrow();
        assertEquals(TodoStatus.DEAD, dead.status());
        assertEquals(3, dead.attempts());
        assertEquals(List.of("bad#1", "good#1", "bad#2", "bad#3"), calls);
        clock.advance(LONG);
        assertEquals(0, processor.runOnce(), "a dead item waits for an operator");

        assertTrue(todos.retry("mail", "bad"));
        assertEquals(1, processor.runOnce());
        assertEquals(1, todos.find("mail", "bad").orElseThrow().attempts());
    }

    @Test
    void itemOfACrashedWorkerIsClaimedAgainAfterItsLeaseAndTheOldClaimIsVoid() {
        todos.add("mail", "a", "x");
        TodoClaim crashed = todos.claim("mail", "dead-worker", 10, Duration.ofSeconds(30)).get(0);
        List<String> done = new CopyOnWriteArrayList<>();
        TodoProcessor processor = builder(item -> done.add(item.id() + "#" + item.attempts())).build();
        assertEquals(0, processor.runOnce(), "claimed while the lease lasts");
        clock.advance(Duration.ofSeconds(31));
        assertEquals(1, processor.runOnce());
        assertEquals(List.of("a#2"), done);
        assertFalse(todos.complete(crashed));
        assertFalse(todos.fail(crashed, "late", null));
        assertEquals(TodoStatus.DONE, todos.find("mail", "a").orElseThrow().status());
    }

    @Test
    void addingAnItemTwiceAddsItOnce() {
        assertTrue(todos.add("mail", "a", "x"));
        assertFalse(todos.add("mail", "a", "other"));
        assertTrue(todos.add("other-list", "a", "x"));
        assertEquals("x", todos.find("mail", "a").orElseThrow().payload());
        assertEquals(1, todos.list("mail", TodoStatus.PENDING, 10).size());
        assertTrue(todos.delete("mail", "a"));
        assertTrue(todos.find("mail", "a").isEmpty());
    }

    @Test
    void addingAnItemWakesAnIdleProcessorWithoutWaitingForThePoll() throws Exception {
        CountDownLatch got = new CountDownLatch(1);
        TodoStore store = TodoStore.inMemory();
        TodoProcessor woken = TodoProcessor.builder("mail", store, item -> got.countDown()).pollInterval(LONG).build();
        started.add(woken.start());
        assertTrue(woken.isRunning());
        // The poll interval is an hour: only the store's notification can get the item processed in time.
        store.add("mail", "a", "x");
        assertTrue(got.await(WAIT.toSeconds(), TimeUnit.SECONDS));
    }

    @Test
    void stopFinishesTheCurrentItemAndGivesBackClaimedOnesNotStarted() throws Exception {
        TodoStore store = TodoStore.inMemory();
        for (int i = 0; i < 5; i++) {
            store.add("mail", "i" + i, "x");
        }
        CountDownLatch entered = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        AtomicReference<String> first = new AtomicReference<>();
        TodoProcessor processor = TodoProcessor.builder("mail", store, item -> {
            if (first.compareAndSet(null, item.id())) {
                entered.countDown();
                release.await();
            }
        }).batchSize(5).build();
        processor.start();
        assertTrue(entered.await(WAIT.toSeconds(), TimeUnit.SECONDS));
        Thread stopper = new Thread(processor::stop);
        stopper.start();
        release.countDown();
        stopper.join(WAIT.toMillis());
        assertFalse(processor.isRunning());
        assertEquals(TodoStatus.DONE, store.find("mail", first.get()).orElseThrow().status());
        List<TodoItem> pending = store.list("mail", TodoStatus.PENDING, 10);
        List<TodoItem> done = store.list("mail", TodoStatus.DONE, 10);
        assertEquals(5, pending.size() + done.size(), "nothing is left claimed");
    }

    /** A clock that moves only when told. */
    static final class ManualClock extends Clock {
        private final AtomicReference<Instant> now = new AtomicReference<>(Instant.parse("2026-01-01T00:00:00Z"));

        void advance(Duration duration) {
            now.updateAndGet(i -> i.plus(duration));
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now.get();
        }
    }
}
