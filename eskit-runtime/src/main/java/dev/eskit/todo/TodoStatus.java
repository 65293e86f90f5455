package dev.eskit.todo;

/** Where a {@link TodoItem} is in its life. */
public enum TodoStatus {
    /** Waiting to be claimed, from its {@code availableAt} on. */
    PENDING,
    /** Claimed by a worker until its lease ends; claimable again after that. */
    CLAIMED,
    /** Processed successfully. */
    DONE,
    /** Failed on every attempt; waits for an operator to {@link TodoStore#retry retry} or delete it. */
    DEAD
}
