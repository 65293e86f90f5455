package dev.eskit.command.queue;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Where queued commands live: in memory ({@link #inMemory()}) or in the SQLite or PostgreSQL store's
 * {@code command_queue} table ({@code JdbiCommandQueueStore} in eskit-jdbi). {@link CommandQueue} drives it; an
 * implementation only stores and claims.
 */
public interface CommandQueueStore {

    /** Stores a new pending command; returns false (and changes nothing) when its id is queued already. */
    boolean enqueue(QueuedCommand command);

    /**
     * Stores new pending commands, in order, in one transaction where the store has them; returns how many were new.
     * This default enqueues them one by one.
     */
    default int enqueueAll(List<QueuedCommand> commands) {
        int added = 0;
        for (QueuedCommand command : commands) {
            added += enqueue(command) ? 1 : 0;
        }
        return added;
    }

    /**
     * Claims up to {@code max} commands that are pending and available (or claimed with an ended lease), oldest
     * first, skipping any command that has an unfinished (pending or claimed) command of the same partition key
     * enqueued before it. Each claim counts an attempt and holds the command for {@code lease}.
     */
    List<QueueClaim> claim(String worker, int max, Duration lease);

    /**
     * Makes a claimed command final ({@code SUCCEEDED}, {@code REJECTED} or {@code DEAD}) with {@code result}'s
     * fields; returns false when the claim's lease ended and another worker holds it (nothing changes then).
     */
    boolean finish(QueueClaim claim, QueueResult result);

    /** Gives a claimed command back for another attempt at {@code retryAt}; false when the lease was lost. */
    boolean retry(QueueClaim claim, String error, Instant retryAt);

    /** The command {@code id}, if queued. */
    Optional<QueuedCommand> find(String id);

    /** Up to {@code limit} commands with {@code status}, oldest first. */
    List<QueuedCommand> list(QueueStatus status, int limit);

    /** Makes dead command {@code id} pending again with its attempts reset; false when it is not dead. */
    boolean requeue(String id);

    /** Deletes final ({@code SUCCEEDED} and {@code REJECTED}) commands finished before {@code cutoff}. */
    int deleteFinishedBefore(Instant cutoff);

    /** A queue in this JVM's memory: for tests and single-process applications; lost when the process ends. */
    static CommandQueueStore inMemory() {
        return new InMemoryCommandQueueStore(java.time.Clock.systemUTC());
    }
}
