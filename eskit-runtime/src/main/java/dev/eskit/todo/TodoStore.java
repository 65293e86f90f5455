package dev.eskit.todo;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Todo lists: work items that workers claim, process and complete, with attempts, backoff, a dead state and leases.
 * Implementations are thread-safe and let many workers (on PostgreSQL, many nodes) claim at once without two of them
 * getting the same item while its lease lasts: {@code FOR UPDATE SKIP LOCKED} on PostgreSQL, the single writer on
 * SQLite, a lock in memory.
 */
public interface TodoStore {

    /**
     * Adds a pending item, available now, unless the list already has one with {@code id} (whatever its status).
     *
     * @return whether it was added
     */
    boolean add(String list, String id, String payload);

    /**
     * Claims up to {@code max} items of {@code list} for {@code worker}: pending items whose time has come, and claimed
     * items whose lease has ended (their worker is presumed dead), oldest first. Each claim counts one attempt and
     * lasts {@code lease}.
     */
    List<TodoClaim> claim(String list, String worker, int max, Duration lease);

    /**
     * Checks a claim's lease, as every store does before it claims: positive (a lease already over would let another
     * worker claim the item at once) and at most 365 days.
     *
     * @return {@code lease}
     * @throws dev.eskit.InvalidInputException when it is zero, negative or longer
     */
    static Duration checkLease(Duration lease) {
        java.util.Objects.requireNonNull(lease, "lease");
        if (lease.isNegative() || lease.isZero() || lease.compareTo(Duration.ofDays(365)) > 0) {
            throw new dev.eskit.InvalidInputException("Todo lease " + lease + " is out of range. Claim with a"
                    + " positive lease of at most 365 days: how long the worker may take before another one may"
                    + " claim the item.");
        }
        return lease;
    }

    /**
     * Marks the claimed item done.
     *
     * @return whether the claim was still valid (otherwise nothing changes: another worker owns the item now)
     */
    boolean complete(TodoClaim claim);

    /**
     * Records a failure of the claimed item: pending again from {@code retryAt}, or {@link TodoStatus#DEAD} when
     * {@code retryAt} is {@code null}.
     *
     * @return whether the claim was still valid
     */
    boolean fail(TodoClaim claim, String error, Instant retryAt);

    /** The item with {@code id}, if any. */
    Optional<TodoItem> find(String list, String id);

    /** Up to {@code limit} items of {@code list} with {@code status}, oldest first. */
    List<TodoItem> list(String list, TodoStatus status, int limit);

    /** Makes a dead (or done) item pending again, available now, with its attempts reset; returns whether it existed. */
    boolean retry(String list, String id);

    /** Deletes an item whatever its status; returns whether it existed. */
    boolean delete(String list, String id);

    /** A new in-memory store on the system clock. */
    static TodoStore inMemory() {
        return new InMemoryTodoStore(Clock.systemUTC());
    }

    /** A new in-memory store on {@code clock} (for tests of leases and backoff). */
    static TodoStore inMemory(Clock clock) {
        return new InMemoryTodoStore(clock);
    }
}
