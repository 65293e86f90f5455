package dev.eskit.testing;

import dev.eskit.Metadata;
import dev.eskit.Position;
import dev.eskit.StoredEvent;
import dev.eskit.StreamRef;
import dev.eskit.codec.EventType;
import dev.eskit.codec.EventTypeRegistry;
import dev.eskit.codec.EventTypes;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;

/**
 * Wraps given event objects into {@link StoredEvent}s as a store would: the wire name and schema version from the
 * registry, versions counted per stream, positions counted from 1, deterministic ids and timestamps.
 */
final class StoredEvents {

    /** The stream of given events when a scenario names none. */
    static final StreamRef DEFAULT_STREAM = StreamRef.of("given", "1");

    private final EventTypes registry;
    private final Map<StreamRef, Long> versions = new HashMap<>();
    private long position;

    StoredEvents(EventTypes registry) {
        this.registry = Objects.requireNonNull(registry, "registry");
    }

    /** The registries on the class path of {@code owner}'s class loader. */
    static EventTypes discover(Object owner) {
        ClassLoader loader = owner.getClass().getClassLoader();
        return EventTypes.discover(loader == null ? ClassLoader.getSystemClassLoader() : loader);
    }

    /** {@code registry} as {@link EventTypes}. */
    static EventTypes of(EventTypeRegistry registry) {
        Objects.requireNonNull(registry, "registry");
        return registry instanceof EventTypes types ? types : EventTypes.of(registry);
    }

    /** The next stored event of {@code event} on {@code stream}. */
    StoredEvent<Object> next(StreamRef stream, Object event) {
        Objects.requireNonNull(event, "a given event is null");
        EventType<?> type = registry.findByClass(event.getClass());
        if (type == null) {
            throw new AssertionError("Given event " + event + " is of " + event.getClass().getName() + ", which is"
                    + " not a registered event type, so no store could hold it. Annotate it with @Event and compile"
                    + " with the eskit processor (or pass a registry that has it).");
        }
        long version = versions.merge(stream, 1L, Long::sum);
        position++;
        return new StoredEvent<>(new UUID(0, position), stream, version, type.name(), type.version(),
                Position.of(position), Instant.EPOCH.plusSeconds(position), Metadata.empty(), event);
    }
}
