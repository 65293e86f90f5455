package dev.eskit.subscription;

import dev.eskit.Position;
import dev.eskit.internal.WorkerLoop;
import java.time.Duration;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.locks.LockSupport;

/** A subscription's thread: starting and stopping it, and waiting until it has got somewhere. */
final class Lifecycle {
    private final String name;
    private final WorkerLoop loop;
    private final Status status;
    private final Fence fence;
    private final Reader reader;
    private final ThreadFactory threadFactory;
    private final Runnable worker;

    Lifecycle(String name, WorkerLoop loop, Status status, Fence fence, Reader reader, ThreadFactory threadFactory,
              Runnable worker) {
        this.name = name;
        this.loop = loop;
        this.status = status;
        this.fence = fence;
        this.reader = reader;
        this.threadFactory = threadFactory;
        this.worker = worker;
    }

    /** See {@link Subscription#start()}. */
    synchronized void start() {
        if (loop.isRunning()) {
            throw new SubscriptionException("Subscription \"" + name + "\" is already running. Call stop() before"
                    + " starting it again.");
        }
        fence.reset();
        status.starting();
        loop.start(1, number -> threadFactory.newThread(worker));
    }

    /** See {@link Subscription#stop(Duration)}. */
    boolean stop(Duration timeout) {
        synchronized (this) {
            if (!loop.isRunning()) {
                return true;
            }
            loop.requestStop();
            SubscriptionState state = status.state();
            if (state == SubscriptionState.CATCHING_UP || state == SubscriptionState.LIVE) {
                status.state(SubscriptionState.STOPPING);
            }
        }
        status.signalChanged();
        if (loop.isWorkerThread()) {
            return false;
        }
        return loop.join(timeout);
    }

    /** Stops the thread if it runs, runs {@code reset}, and starts it again if it was running (a rebuild). */
    synchronized void restartAround(Runnable reset) {
        if (loop.isWorkerThread()) {
            throw new SubscriptionException("Subscription \"" + name + "\" cannot rebuild itself from its handler."
                    + " Call rebuild() from another thread.");
        }
        boolean wasRunning = status.active();
        if (wasRunning) {
            stop(Duration.ofDays(365));
        }
        reset.run();
        if (wasRunning) {
            start();
        }
    }

    /** See {@link Subscription#awaitCaughtUp(Duration)}. */
    boolean awaitCaughtUp(Duration timeout) {
        return status.await(timeout, () -> status.caughtUp().isDone());
    }

    /** See {@link Subscription#awaitPosition(Position, Duration)}. */
    boolean awaitPosition(Position target, Duration timeout) {
        long deadline = dev.eskit.internal.Deadlines.after(timeout);
        long pauseNanos = 1_000_000L;
        while (!reader.readable(target)) {
            status.throwIfFailed();
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return false;
            }
            LockSupport.parkNanos(Math.min(left, pauseNanos));
            pauseNanos = Math.min(pauseNanos * 2, 50_000_000L);
        }
        // A read that starts after this point sees target; once such a read catches up, target is handled even
        // when its type is filtered out.
        long readsBefore = reader.readsStarted();
        loop.wake();
        return status.await(Duration.ofNanos(Math.max(0, deadline - System.nanoTime())),
                () -> reader.position().compareTo(target) >= 0 || reader.caughtUpAfter(readsBefore));
    }
}
