package dev.eskit;

import java.time.Instant;
import java.util.Objects;
import java.util.UUID;

/**
 * Everything a store knows about a stored event except its data: what an {@link EventDecodingException} names when a
 * stored event cannot be read, so that a subscription can dead-letter it (or halt on it) and an operator can find it.
 *
 * @param id            the event's id
 * @param stream        its stream
 * @param version       its version within the stream
 * @param eventType     its wire name as stored
 * @param schemaVersion the schema version it was written with
 * @param position      its place in the global log
 * @param timestamp     when it was appended
 */
public record StoredEventHeader(UUID id, StreamRef stream, long version, String eventType, int schemaVersion,
                                Position position, Instant timestamp) {

    /** Checks that nothing is missing. */
    public StoredEventHeader {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(stream, "stream");
        Objects.requireNonNull(eventType, "eventType");
        Objects.requireNonNull(position, "position");
        Objects.requireNonNull(timestamp, "timestamp");
    }

    /** The header of {@code event}. */
    public static StoredEventHeader of(StoredEvent<?> event) {
        return new StoredEventHeader(event.id(), event.stream(), event.version(), event.eventType(),
                event.schemaVersion(), event.position(), event.timestamp());
    }

    /** How messages name it: {@code event 3 of stream account/a-1 (position 0.17, type "bank.Deposited")}. */
    public String describe() {
        return "event " + version + " of stream " + stream + " (position " + position + ", type \"" + eventType + "\")";
    }
}
