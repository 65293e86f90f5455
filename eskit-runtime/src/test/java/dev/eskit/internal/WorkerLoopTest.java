package dev.eskit.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.eskit.internal.WorkerLoop.Next;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class WorkerLoopTest {

    static final Duration WAIT = Duration.ofSeconds(20);
    static final long HOUR = Duration.ofHours(1).toNanos();

    final WorkerLoop loop = new WorkerLoop();

    @AfterEach
    void stop() {
        loop.stop(WAIT);
    }

    void start(int count, Runnable body) {
        loop.start(count, i -> {
            Thread thread = new Thread(body, "worker-loop-test-" + i);
            thread.setDaemon(true);
            return thread;
        });
    }

    static void await(CountDownLatch latch) throws InterruptedException {
        assertTrue(latch.await(WAIT.toSeconds(), TimeUnit.SECONDS), "timed out waiting");
    }

    @Test
    void stopEndsAnIdleWaitAndTheLoopAtOnce() throws Exception {
        CountDownLatch idle = new CountDownLatch(1);
        AtomicInteger turns = new AtomicInteger();
        start(1, () -> loop.loop(() -> {
            turns.incrementAndGet();
            idle.countDown();
            return Next.idle(HOUR);
        }));
        await(idle);
        assertTrue(loop.isRunning());
        assertTrue(loop.stop(WAIT), "an hour's idle wait ends when a stop is asked for");
        assertFalse(loop.isRunning());
        assertTrue(loop.stopRequested());
        assertEquals(1, turns.get(), "no turn after the stop");
    }

    @Test
    void wakeCutsAnIdleWaitShort() throws Exception {
        CountDownLatch second = new CountDownLatch(2);
        CountDownLatch first = new CountDownLatch(1);
        start(1, () -> loop.loop(() -> {
            first.countDown();
            second.countDown();
            return Next.idle(HOUR);
        }));
        await(first);
        loop.wake();
        await(second);
    }

    @Test
    void wakeDoesNotCutABackOffShort() throws Exception {
        long backOff = Duration.ofMillis(300).toNanos();
        List<Long> turnTimes = new ArrayList<>();
        CountDownLatch firstTurn = new CountDownLatch(1);
        CountDownLatch secondTurn = new CountDownLatch(1);
        start(1, () -> loop.loop(() -> {
            synchronized (turnTimes) {
                turnTimes.add(System.nanoTime());
            }
            if (firstTurn.getCount() > 0) {
                firstTurn.countDown();
                return Next.backOff(backOff);
            }
            secondTurn.countDown();
            return Next.exit();
        }));
        await(firstTurn);
        loop.wake();
        await(secondTurn);
        synchronized (turnTimes) {
            assertTrue(turnTimes.get(1) - turnTimes.get(0) >= backOff, "the backoff was waited out");
        }
    }

    @Test
    void againTakesTheNextTurnAtOnceAndExitEndsTheLoop() throws Exception {
        AtomicInteger turns = new AtomicInteger();
        CountDownLatch ended = new CountDownLatch(1);
        start(1, () -> {
            loop.loop(() -> turns.incrementAndGet() < 5 ? Next.again() : Next.exit());
            ended.countDown();
        });
        await(ended);
        assertEquals(5, turns.get());
        assertFalse(loop.stopRequested(), "exit is not a stop request");
    }

    @Test
    void interruptingAWaitingWorkerIsAStopRequest() throws Exception {
        CountDownLatch waiting = new CountDownLatch(1);
        AtomicReference<Thread> worker = new AtomicReference<>();
        start(1, () -> {
            worker.set(Thread.currentThread());
            loop.loop(() -> {
                waiting.countDown();
                return Next.backOff(HOUR);
            });
        });
        await(waiting);
        worker.get().interrupt();
        assertTrue(loop.join(WAIT));
        assertTrue(loop.stopRequested());
    }

    @Test
    void pauseReportsAStopAndOtherwiseWaitsItsTime() {
        long began = System.nanoTime();
        assertTrue(loop.pause(Duration.ofMillis(20)));
        assertTrue(System.nanoTime() - began >= Duration.ofMillis(20).toNanos());
        assertTrue(loop.pause(0, true), "no wait at all");
        loop.requestStop();
        began = System.nanoTime();
        assertFalse(loop.pause(HOUR, false));
        assertTrue(System.nanoTime() - began < WAIT.toNanos());
    }

    @Test
    void aRunningLoopCannotBeStartedTwiceButAStoppedOneCanWithoutItsOldStop() throws Exception {
        CountDownLatch running = new CountDownLatch(1);
        start(1, () -> loop.loop(() -> {
            running.countDown();
            return Next.idle(HOUR);
        }));
        await(running);
        assertThrows(IllegalStateException.class, () -> start(1, () -> { }));
        assertTrue(loop.stop(WAIT));
        CountDownLatch again = new CountDownLatch(1);
        start(1, () -> loop.loop(() -> {
            again.countDown();
            return Next.idle(HOUR);
        }));
        await(again);
        assertFalse(loop.stopRequested(), "a new run starts without the old stop request");
        assertTrue(loop.isRunning());
    }

    @Test
    void stopCalledByAWorkerOnlyAsks() throws Exception {
        AtomicBoolean returned = new AtomicBoolean(true);
        AtomicBoolean wasWorker = new AtomicBoolean();
        CountDownLatch ended = new CountDownLatch(1);
        start(1, () -> {
            loop.loop(() -> {
                wasWorker.set(loop.isWorkerThread());
                returned.set(loop.stop(WAIT));
                return Next.again();
            });
            ended.countDown();
        });
        await(ended);
        assertTrue(wasWorker.get());
        assertFalse(loop.isWorkerThread());
        assertFalse(returned.get(), "a worker cannot wait for itself");
    }

    @Test
    void hammerNoWakeUpIsLostAcrossManyWorkersAndWakers() throws Exception {
        // Workers idle for an hour between turns: only wake-ups move them. Each waker bumps the counter, then
        // wakes; a wake-up lost between a worker's turn and its wait would leave the last value unseen.
        int workers = 4;
        int wakers = 4;
        int perWaker = 2_000;
        AtomicLong published = new AtomicLong();
        AtomicLong seen = new AtomicLong();
        start(workers, () -> loop.loop(() -> {
            seen.accumulateAndGet(published.get(), Math::max);
            return Next.idle(HOUR);
        }));
        List<Thread> threads = new ArrayList<>();
        for (int w = 0; w < wakers; w++) {
            Thread thread = new Thread(() -> {
                for (int i = 0; i < perWaker; i++) {
                    published.incrementAndGet();
                    loop.wake();
                }
            });
            threads.add(thread);
            thread.start();
        }
        for (Thread thread : threads) {
            thread.join(WAIT.toMillis());
            assertFalse(thread.isAlive());
        }
        long total = (long) wakers * perWaker;
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (seen.get() < total && System.nanoTime() < deadline) {
            Thread.onSpinWait();
        }
        assertEquals(total, seen.get(), "a worker saw the last published value");
        assertTrue(loop.stop(WAIT), "every worker stopped");
    }
}
