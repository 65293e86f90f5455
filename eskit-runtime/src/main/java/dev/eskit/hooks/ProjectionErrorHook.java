package dev.eskit.hooks;

import dev.eskit.StoredEvent;

/**
 * Observes every failure of a guarded projection (for alerts or metrics), before its
 * {@link ProjectionErrorPolicy} is applied. Exceptions thrown by the hook are logged and ignored.
 */
@FunctionalInterface
public interface ProjectionErrorHook {

    /**
     * Called once per failed try.
     *
     * @param projection the projection's name
     * @param event      the event it failed on
     * @param attempt    1 for the first try of this event
     * @param error      what the handler threw
     */
    void onError(String projection, StoredEvent<?> event, int attempt, RuntimeException error);
}
