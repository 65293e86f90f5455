package dev.eskit.subscription;

import dev.eskit.internal.WorkerLoop;
import java.util.function.BooleanSupplier;

/**
 * The subscription's guard (such as its leadership): asked before the subscription acts; once it says no (or fails),
 * the run is fenced: it stops at once and saves nothing more, because another node may be running it now.
 */
final class Fence {
    private final String name;
    /** The guard, or null when the subscription has none. */
    private final BooleanSupplier guard;
    private final Status status;
    private final WorkerLoop loop;
    private volatile boolean fenced;

    Fence(String name, BooleanSupplier guard, Status status, WorkerLoop loop) {
        this.name = name;
        this.guard = guard;
        this.status = status;
        this.loop = loop;
    }

    /** A new run begins unfenced. */
    void reset() {
        fenced = false;
    }

    /** Whether the run was fenced already, without asking the guard again. */
    boolean isFenced() {
        return fenced;
    }

    /**
     * Asks the guard whether this node may still act; when not (or when the guard fails), fences the run: asks it to
     * stop and records why.
     *
     * @return whether the run is fenced
     */
    boolean lost() {
        if (guard == null || fenced) {
            return fenced;
        }
        boolean holds;
        try {
            holds = guard.getAsBoolean();
        } catch (RuntimeException e) {
            holds = false;
        }
        if (!holds) {
            fenced = true;
            loop.requestStop();
            status.lastError(new SubscriptionException("Subscription \"" + name + "\" stopped because its guard"
                    + " (such as its leadership) no longer holds. Another node may be running it; start it again"
                    + " only when the guard holds again."));
        }
        return fenced;
    }

    /**
     * Fences the run because its checkpoint moved under it (another copy of the subscription, or a rebuild): asks it to
     * stop and records {@code why}.
     */
    void moved(SubscriptionException why) {
        fenced = true;
        loop.requestStop();
        status.lastError(why);
    }

    /** Inside a transaction, before each handler call and the checkpoint save: throws (rolling it back) when fenced. */
    void checkInTransaction() {
        if (lost()) {
            throw new SubscriptionException("Subscription \"" + name + "\" lost its guard; rolling back.");
        }
    }
}
