package dev.eskit.spring;

import dev.eskit.EventStore;

/**
 * Wraps the event store the starter's command bus appends through (metrics, tracing, hooks). Declare one as a bean;
 * decorators apply in {@code @Order}, the first one innermost. The starter adds one for Micrometer when
 * {@code eskit-observability} and a {@code MeterRegistry} are present.
 *
 * <pre>{@code
 * @Bean EventStoreDecorator hooks() { return store -> HookedEventStore.builder(store).before(audit).build(); }
 * }</pre>
 */
@FunctionalInterface
public interface EventStoreDecorator {

    /** The store to use instead of {@code store}. */
    EventStore decorate(EventStore store);
}
