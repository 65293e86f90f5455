package dev.eskit;

import java.time.Instant;
import java.util.Objects;
import java.util.UUID;

/**
 * An event as the store keeps it: the event object and everything the store knows about it.
 *
 * @param id            a unique id, assigned by the store
 * @param stream        the stream it belongs to
 * @param version       its version within the stream (1 for the first event)
 * @param eventType     its wire name, such as {@code "bank.Deposited"}
 * @param schemaVersion the schema version it was written with (before any upcasting)
 * @param position      its place in the global log
 * @param timestamp     when it was appended
 * @param metadata      correlation, causation and the rest
 * @param data          the event object, decoded and upcast to the current schema
 * @param <E>           the event type
 */
public record StoredEvent<E>(UUID id, StreamRef stream, long version, String eventType, int schemaVersion,
                             Position position, Instant timestamp, Metadata metadata, E data) {

    /** Checks that nothing is missing. */
    public StoredEvent {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(stream, "stream");
        Objects.requireNonNull(eventType, "eventType");
        Objects.requireNonNull(position, "position");
        Objects.requireNonNull(timestamp, "timestamp");
        Objects.requireNonNull(metadata, "metadata");
        Objects.requireNonNull(data, "data");
    }

    /** The stream type. */
    public String streamType() {
        return stream.type();
    }

    /** The stream id. */
    public String streamId() {
        return stream.id();
    }

    /** The global sequence number, {@code position().sequence()}. */
    public long globalPosition() {
        return position.sequence();
    }

    /**
     * This event typed as {@code type}.
     *
     * @throws ClassCastException when the data is not a {@code type}
     */
    @SuppressWarnings("unchecked")
    public <T> StoredEvent<T> as(Class<T> type) {
        type.cast(data);
        return (StoredEvent<T>) this;
    }
}
