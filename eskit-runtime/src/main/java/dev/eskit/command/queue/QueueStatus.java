package dev.eskit.command.queue;

/** Where a queued command is. */
public enum QueueStatus {
    /** Waiting for a worker (new, or waiting for its next attempt after a conflict or a transient failure). */
    PENDING,
    /** A worker holds it under a lease; when the lease ends before the worker finishes, it is claimed again. */
    CLAIMED,
    /** Handled: its events (if any) are appended. Final. */
    SUCCEEDED,
    /** The decider (or a middleware) refused it. Final. */
    REJECTED,
    /** A poison command: an unknown type, a payload that does not decode, or every attempt failed. Waits for an operator. */
    DEAD;

    /** Whether the command will not run again (unless an operator requeues a dead one). */
    public boolean isFinal() {
        return this == SUCCEEDED || this == REJECTED || this == DEAD;
    }
}
