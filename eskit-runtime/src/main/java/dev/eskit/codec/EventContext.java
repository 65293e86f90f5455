package dev.eskit.codec;

import dev.eskit.Position;
import dev.eskit.StreamRef;
import java.util.Objects;
import java.util.UUID;

/**
 * Where an event is being written or read: what a codec passes to an {@link EventDataTransform} so that it can bind
 * data to its event (personal-data ciphertext is bound to the event id) and name the event in errors.
 *
 * @param eventId  the event's id
 * @param stream   its stream, as the store keeps it
 * @param version  its version in the stream; 0 while it is being written (not known yet)
 * @param position its position in the global log; {@code null} while it is being written
 */
public record EventContext(UUID eventId, StreamRef stream, long version, Position position) {

    /** Checks that the id and stream are there. */
    public EventContext {
        Objects.requireNonNull(eventId, "eventId");
        Objects.requireNonNull(stream, "stream");
    }

    /** The context of an event about to be written. */
    public static EventContext writing(UUID eventId, StreamRef stream) {
        return new EventContext(eventId, stream, 0, null);
    }

    /** The event in words, for error messages: {@code event 3 of stream account/a-1 (position 17, id ...)}. */
    public String describe() {
        return (version > 0 ? "event " + version + " of stream " + stream : "a new event of stream " + stream)
                + " (" + (position == null ? "" : "position " + position + ", ") + "id " + eventId + ")";
    }
}
