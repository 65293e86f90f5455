package dev.eskit.todo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.eskit.leader.InMemoryLeaderElection;
import dev.eskit.leader.LeaderElection;
import dev.eskit.leader.LeaderSupervisor;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/** A todo processor checks its guard (leadership) and each claim's lease before every item. */
class TodoProcessorGuardTest {

    static final Duration WAIT = Duration.ofSeconds(20);

    @Test
    void aLostGuardStopsTheWorkersBeforeTheNextItemAndGivesTheRestBack() throws Exception {
        TodoStore store = TodoStore.inMemory();
        for (int i = 0; i < 5; i++) {
            store.add("mail", "i" + i, "x");
        }
        AtomicBoolean holds = new AtomicBoolean(true);
        List<String> processed = new CopyOnWriteArrayList<>();
        TodoProcessor processor = TodoProcessor.builder("mail", store, item -> {
            processed.add(item.id());
            if (processed.size() == 2) {
                holds.set(false);
            }
        }).batchSize(5).guard(holds::get).build().start();
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (processor.isRunning() && System.nanoTime() < deadline) {
            Thread.onSpinWait();
        }
        assertFalse(processor.isRunning(), "it stopped by itself");
        processor.stop();
        assertEquals(2, processed.size(), "no item after the guard was lost: " + processed);
        assertEquals(2, store.list("mail", TodoStatus.DONE, 10).size());
        assertEquals(3, store.list("mail", TodoStatus.PENDING, 10).size(), "the rest were given back at once");
        assertTrue(processor.lastError().orElseThrow().getMessage().contains("guard"));
    }

    @Test
    void aGuardThatNeverHoldsClaimsNothing() {
        TodoStore store = TodoStore.inMemory();
        store.add("mail", "a", "x");
        List<String> processed = new CopyOnWriteArrayList<>();
        TodoProcessor processor = TodoProcessor.builder("mail", store, item -> processed.add(item.id()))
                .guard(() -> false).build();
        assertEquals(0, processor.runOnce());
        assertEquals(List.of(), processed);
        assertEquals(1, store.list("mail", TodoStatus.PENDING, 10).size());
        assertEquals(0, store.find("mail", "a").orElseThrow().attempts(), "not even claimed");
    }

    @Test
    void anItemWhoseLeaseEndedBeforeItsTurnIsLeftForANewClaim() {
        ManualClock clock = new ManualClock();
        TodoStore store = TodoStore.inMemory(clock);
        store.add("mail", "a", "x");
        store.add("mail", "b", "y");
        List<String> processed = new CopyOnWriteArrayList<>();
        TodoProcessor processor = TodoProcessor.builder("mail", store, item -> {
            processed.add(item.id() + "#" + item.attempts());
            if (item.id().equals("a")) {
                clock.advance(Duration.ofSeconds(31));   // "a" took longer than the 30 s lease of the batch
            }
        }).clock(clock).batchSize(2).lease(Duration.ofSeconds(30)).build();
        assertEquals(2, processor.runOnce());
        // "b" was claimed with "a"; its lease had ended when its turn came, so it was claimed again first.
        assertEquals(List.of("a#1", "b#2"), processed);
        assertEquals(2, store.list("mail", TodoStatus.DONE, 10).size());
        assertTrue(processor.lastError().orElseThrow().getMessage().contains("lease"));
    }

    @Test
    void aSupervisedProcessorRunsOnlyOnTheNodeThatLeadsItAndMovesWhenThatNodeCloses() throws Exception {
        InMemoryLeaderElection election = LeaderElection.inMemory();
        TodoStore store = TodoStore.inMemory();
        List<String> processedBy = new CopyOnWriteArrayList<>();
        CountDownLatch first = new CountDownLatch(1);
        CountDownLatch second = new CountDownLatch(1);
        LeaderSupervisor one = LeaderSupervisor.create(election, Duration.ofMillis(5));
        LeaderSupervisor two = LeaderSupervisor.create(election, Duration.ofMillis(5));
        try {
            TodoProcessor p1 = one.supervise(TodoProcessor.builder("mail", store, item -> {
                processedBy.add("one:" + item.id());
                first.countDown();
            }).pollInterval(Duration.ofMillis(5)));
            one.start();
            store.add("mail", "a", "x");
            assertTrue(first.await(WAIT.toSeconds(), TimeUnit.SECONDS));
            assertTrue(one.isLeader("todo:mail"));
            assertTrue(p1.isRunning());
            two.supervise(TodoProcessor.builder("mail", store, item -> {
                processedBy.add("two:" + item.id());
                second.countDown();
            }).pollInterval(Duration.ofMillis(5)));
            two.start();
            assertFalse(two.isLeader("todo:mail"));
            one.close();
            assertFalse(p1.isRunning());
            store.add("mail", "b", "y");
            assertTrue(second.await(WAIT.toSeconds(), TimeUnit.SECONDS));
            assertEquals(List.of("one:a", "two:b"), processedBy);
        } finally {
            one.close();
            two.close();
        }
    }

    /** A clock that moves only when told. */
    static final class ManualClock extends Clock {
        private volatile Instant now = Instant.parse("2026-01-01T00:00:00Z");

        void advance(Duration duration) {
            now = now.plus(duration);
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
            return now;
        }
    }
}
