package dev.eskit.internal;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.LockSupport;
import java.util.function.IntFunction;

/**
 * The worker threads of a subscription or a todo processor, and the loop they run: take a turn, then wait as the turn
 * asks (until woken, or for a backoff), until asked to stop. Stopping is cooperative: {@link #requestStop()} (or
 * interrupting a worker) makes every wait return at once, and the loop ends before its next turn.
 *
 * <p>One instance serves one run after another: {@link #start} begins a new run once the previous one has ended.
 */
public final class WorkerLoop {

    /**
     * What a turn asks for next: another turn at once, a wait (cut short by a wake-up when {@code wakeable}), or the end.
     *
     * @param ends      whether the loop ends
     * @param waitNanos how long to wait before the next turn, 0 for none
     * @param wakeable  whether {@link #wake()} cuts the wait short
     */
    public record Next(boolean ends, long waitNanos, boolean wakeable) {
        private static final Next AGAIN = new Next(false, 0, false);
        private static final Next EXIT = new Next(true, 0, false);

        /** Take the next turn at once. */
        public static Next again() {
            return AGAIN;
        }

        /** Nothing to do: wait up to {@code nanos} or until woken. */
        public static Next idle(long nanos) {
            return new Next(false, nanos, true);
        }

        /** Something failed: wait {@code nanos}; a wake-up does not cut it short. */
        public static Next backOff(long nanos) {
            return new Next(false, nanos, false);
        }

        /** End the loop. */
        public static Next exit() {
            return EXIT;
        }
    }

    /** One turn of the loop. */
    @FunctionalInterface
    public interface Turn {
        /** Does a piece of work and says what comes next. */
        Next run();
    }

    private final List<Thread> threads = new ArrayList<>();
    private volatile boolean stopRequested;
    private volatile boolean wakePending;

    /**
     * Starts {@code count} threads made by {@code newThread} (given the thread's number from 1 and expected to run the
     * work that calls {@link #loop}).
     *
     * @throws IllegalStateException when a thread of the previous run is still alive
     */
    public synchronized void start(int count, IntFunction<Thread> newThread) {
        for (Thread thread : threads) {
            if (thread.isAlive()) {
                throw new IllegalStateException("still running");
            }
        }
        threads.clear();
        stopRequested = false;
        wakePending = false;
        for (int i = 1; i <= count; i++) {
            threads.add(newThread.apply(i));
        }
        threads.forEach(Thread::start);
    }

    /**
     * Runs {@code turn} until asked to stop or until it returns {@link Next#exit()}. Before each turn a pending
     * wake-up is cleared, so a wake-up that comes during a turn cuts the wait after it short.
     */
    public void loop(Turn turn) {
        while (!stopRequested) {
            wakePending = false;
            Next next = turn.run();
            if (next.ends()) {
                return;
            }
            if (next.waitNanos() > 0) {
                pause(next.waitNanos(), next.wakeable());
            }
        }
    }

    /**
     * Waits up to {@code nanos}, or less when asked to stop (or, if {@code wakeable}, when woken). Interrupting the
     * waiting thread is a request to stop.
     *
     * @return false when asked to stop
     */
    public boolean pause(long nanos, boolean wakeable) {
        long deadline = System.nanoTime() + nanos;
        while (!stopRequested && !(wakeable && wakePending)) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                break;
            }
            LockSupport.parkNanos(this, left);
            if (Thread.interrupted()) {
                stopRequested = true;
            }
        }
        return !stopRequested;
    }

    /** {@link #pause(long, boolean)}, not wakeable, for a {@link Duration}. */
    public boolean pause(Duration duration) {
        return pause(duration.toNanos(), false);
    }

    /** Asks the workers to take a turn now instead of at the end of their idle wait; harmless when none runs. */
    public void wake() {
        wakePending = true;
        unparkAll();
    }

    /** Asks the workers to stop; they finish their current step first. */
    public void requestStop() {
        stopRequested = true;
        unparkAll();
    }

    /** Whether a stop was requested since the last {@link #start}. */
    public boolean stopRequested() {
        return stopRequested;
    }

    /**
     * Asks the workers to stop and waits at most {@code timeout} for them to end. Called from a worker itself, it only
     * asks (the worker cannot wait for itself).
     *
     * @return whether every worker has ended (false when called from a worker or when interrupted)
     */
    public boolean stop(Duration timeout) {
        requestStop();
        return join(timeout);
    }

    /**
     * Waits at most {@code timeout} for the workers to end, without asking them to.
     *
     * @return whether every worker has ended (false when called from a worker)
     */
    public boolean join(Duration timeout) {
        long deadline = Deadlines.after(timeout);
        for (Thread thread : snapshot()) {
            if (thread == Thread.currentThread()) {
                continue;
            }
            try {
                thread.join(Math.max(1, (deadline - System.nanoTime()) / 1_000_000));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return !isRunning();
            }
        }
        return !isRunning();
    }

    /** Whether a worker of the latest run is alive (it may be stopping). */
    public boolean isRunning() {
        for (Thread thread : snapshot()) {
            if (thread.isAlive()) {
                return true;
            }
        }
        return false;
    }

    /** Whether the calling thread is one of the workers. */
    public boolean isWorkerThread() {
        return snapshot().contains(Thread.currentThread());
    }

    private void unparkAll() {
        snapshot().forEach(LockSupport::unpark);
    }

    private synchronized List<Thread> snapshot() {
        return List.copyOf(threads);
    }
}
