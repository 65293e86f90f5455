package dev.eskit.todo;

/**
 * Does the work of one {@link TodoItem} for a {@link TodoProcessor}. Work is done at least once: an item whose worker
 * died, or whose lease ran out, is claimed again, so make the work idempotent (or check whether it was done).
 */
@FunctionalInterface
public interface TodoHandler {

    /**
     * Processes {@code item}.
     *
     * @throws Exception to have it retried with backoff and, after the last attempt, marked dead
     */
    void process(TodoItem item) throws Exception;
}
