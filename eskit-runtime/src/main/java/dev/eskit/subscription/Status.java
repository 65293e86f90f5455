package dev.eskit.subscription;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BooleanSupplier;

/**
 * What others see of a subscription's run, and waiting for it: its state, whether its thread is active, what stopped
 * it, the latest error it retried and the caught-up signal. Written by the worker (and by start/stop), read anywhere.
 */
final class Status {
    private final String name;
    /** Guards nothing but {@link #changed}, which awaiting callers wait on. */
    private final ReentrantLock signalLock = new ReentrantLock();
    private final Condition changed = signalLock.newCondition();

    private volatile SubscriptionState state = SubscriptionState.NEW;
    /** True from start() until the worker has finished its last step. */
    private volatile boolean active;
    private volatile Throwable failure;
    private volatile Throwable lastError;
    private volatile CompletableFuture<Void> caughtUp = new CompletableFuture<>();

    Status(String name) {
        this.name = name;
    }

    SubscriptionState state() {
        return state;
    }

    void state(SubscriptionState value) {
        state = value;
    }

    boolean active() {
        return active;
    }

    Throwable failure() {
        return failure;
    }

    Throwable lastError() {
        return lastError;
    }

    void lastError(Throwable value) {
        lastError = value;
    }

    CompletableFuture<Void> caughtUp() {
        return caughtUp;
    }

    /** A new run begins: no failure, a fresh caught-up signal, active, catching up. */
    void starting() {
        failure = null;
        if (caughtUp.isDone()) {
            caughtUp = new CompletableFuture<>();
        }
        // active before state: a waiter that sees the new state then also sees active (see await).
        active = true;
        state = SubscriptionState.CATCHING_UP;
    }

    /** The run stops for good with {@code cause}: awaiting callers get it. */
    void fail(Throwable cause) {
        failure = cause;
        caughtUp.completeExceptionally(cause);
    }

    /** Sets a running state (LIVE or CATCHING_UP) unless a stop was asked for, and wakes awaiting callers. */
    void running(SubscriptionState value, boolean stopRequested) {
        if (!stopRequested) {
            state = value;
        }
        if (value == SubscriptionState.LIVE) {
            caughtUp.complete(null);
        }
        signalChanged();
    }

    /** The worker has ended in {@code last}. */
    void ended(SubscriptionState last) {
        state = last;
        active = false;
        signalChanged();
    }

    void signalChanged() {
        signalLock.lock();
        try {
            changed.signalAll();
        } finally {
            signalLock.unlock();
        }
    }

    /**
     * Waits until {@code done}, the run has stopped, or {@code timeout} passed.
     *
     * @throws SubscriptionException when the run failed or halted
     */
    boolean await(Duration timeout, BooleanSupplier done) {
        long deadline = dev.eskit.internal.Deadlines.after(timeout);
        signalLock.lock();
        try {
            while (true) {
                throwIfFailed();
                if (done.getAsBoolean()) {
                    return true;
                }
                // Stopped (or failed) is final; a subscription not started yet, such as one a LeaderSupervisor
                // starts once it leads, may still get there, so waiting goes on until the deadline.
                // Read state before active: starting() writes active first, so a state past NEW comes with active
                // set unless the subscription has stopped since.
                SubscriptionState seen = state;
                if (seen != SubscriptionState.NEW && !active) {
                    return done.getAsBoolean();
                }
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                changed.awaitNanos(left);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } finally {
            signalLock.unlock();
        }
    }

    /** Throws what stopped the run, as a {@link SubscriptionException}, if it failed or halted. */
    void throwIfFailed() {
        Throwable fatal = failure;
        if (fatal == null) {
            return;
        }
        if (fatal instanceof SubscriptionHaltedException halted) {
            throw new SubscriptionException(halted.getMessage(), halted);
        }
        throw new SubscriptionException("Subscription \"" + name + "\" stopped with " + fatal
                + ". Fix the handler and start it again.", fatal);
    }
}
