package dev.eskit.codec;

import java.util.List;

/**
 * A source of event types. The annotation processor generates one per package ({@code <Package>EventTypes}) and lists
 * it in {@code META-INF/services/dev.eskit.codec.EventTypeRegistry}, so {@link EventTypes#discover()} finds it.
 */
@FunctionalInterface
public interface EventTypeRegistry {

    /** The event types this registry contributes. */
    List<EventType<?>> eventTypes();
}
