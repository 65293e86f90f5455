package dev.eskit.jdbi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.eskit.jdbi.subscription.JdbiTodoStore;
import dev.eskit.subscription.Backoff;
import dev.eskit.todo.TodoClaim;
import dev.eskit.todo.TodoItem;
import dev.eskit.todo.TodoProcessor;
import dev.eskit.todo.TodoStatus;
import dev.eskit.todo.TodoStore;
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
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.Test;

/** The todo store on a database: claims, leases, backoff, the dead state, and many concurrent workers. */
abstract class TodoStoreContract {

    abstract Databases db();

    final ManualClock clock = new ManualClock();

    TodoStore todos(Clock useClock) {
        Databases.Location location = db().newLocation();
        JdbiEventStore store = db().open(location);
        return JdbiTodoStore.create(Jdbi.create(location.dataSource()), store.tableNames(), useClock);
    }

    @Test
    void itemIsRetriedAfterBackoffThenDeadThenRetriedByAnOperator() {
        TodoStore todos = todos(clock);
        assertTrue(todos.add("mail", "bad", "{\"to\":\"x\"}"));
        assertFalse(todos.add("mail", "bad", "other"));
        todos.add("mail", "good", "y");
        List<String> calls = new CopyOnWriteArrayList<>();
        TodoProcessor processor = TodoProcessor.builder("mail", todos, item -> {
            calls.add(item.id() + "#" + item.attempts());
            if (item.id().equals("bad")) {
                throw new IllegalStateException("smtp down");
            }
        }).clock(clock).retry(Backoff.exponential(2, Duration.ofSeconds(10), Duration.ofMinutes(1))).build();
        assertEquals(2, processor.runOnce());
        TodoItem waiting = todos.find("mail", "bad").orElseThrow();
        assertEquals(TodoStatus.PENDING, waiting.status());
        assertEquals(clock.instant().plusSeconds(10), waiting.availableAt());
        assertEquals("java.lang.IllegalStateException: smtp down", waiting.lastError());
        assertEquals("{\"to\":\"x\"}", waiting.payload());
        assertEquals(0, processor.runOnce());
        clock.advance(Duration.ofSeconds(10));
        assertEquals(1, processor.runOnce());
        TodoItem dead = todos.find("mail", "bad").orElseThrow();
        assertEquals(TodoStatus.DEAD, dead.status());
        assertEquals(2, dead.attempts());
        assertEquals(List.of("good"), todos.list("mail", TodoStatus.DONE, 10).stream().map(TodoItem::id).toList());
        assertEquals(List.of("bad#1", "good#1", "bad#2"), calls);
        assertTrue(todos.retry("mail", "bad"));
        assertEquals(1, processor.runOnce());
        assertTrue(todos.delete("mail", "bad"));
        assertTrue(todos.find("mail", "bad").isEmpty());
    }

    @Test
    void itemOfACrashedWorkerIsClaimableAfterItsLeaseAndTheStaleClaimIsRefused() {
        TodoStore todos = todos(clock);
        todos.add("jobs", "a", "x");
        TodoClaim stale = todos.claim("jobs", "crashed", 5, Duration.ofSeconds(30)).get(0);
        assertEquals(1, stale.item().attempts());
        assertTrue(todos.claim("jobs", "other", 5, Duration.ofSeconds(30)).isEmpty());
        clock.advance(Duration.ofSeconds(31));
        TodoClaim fresh = todos.claim("jobs", "other", 5, Duration.ofSeconds(30)).get(0);
        assertEquals(2, fresh.item().attempts());
        assertFalse(todos.complete(stale));
        assertFalse(todos.fail(stale, "late", null));
        assertTrue(todos.complete(fresh));
        assertEquals(TodoStatus.DONE, todos.find("jobs", "a").orElseThrow().status());
    }

    @Test
    void manyWorkersInSeveralProcessorsProcessEveryItemExactlyOnce() throws Exception {
        TodoStore todos = todos(Clock.systemUTC());
        int count = 300;
        for (int i = 0; i < count; i++) {
            todos.add("hammer", String.format("i%04d", i), "p");
        }
        Map<String, AtomicInteger> times = new ConcurrentHashMap<>();
        CountDownLatch all = new CountDownLatch(count);
        List<TodoProcessor> processors = new ArrayList<>();
        try {
            for (int p = 0; p < 3; p++) {
                processors.add(TodoProcessor.builder("hammer", todos, item -> {
                    times.computeIfAbsent(item.id(), k -> new AtomicInteger()).incrementAndGet();
                    all.countDown();
                }).workers(3).batchSize(5).pollInterval(Duration.ofMillis(20)).build().start());
            }
            assertTrue(all.await(120, TimeUnit.SECONDS), "processed " + times.size());
        } finally {
            processors.forEach(TodoProcessor::stop);
        }
        assertEquals(count, times.size());
        assertTrue(times.values().stream().allMatch(n -> n.get() == 1), "an item was processed twice");
        assertEquals(count, todos.list("hammer", TodoStatus.DONE, 10_000).size());
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
