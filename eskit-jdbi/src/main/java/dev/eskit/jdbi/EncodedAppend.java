package dev.eskit.jdbi;

import dev.eskit.StreamRef;
import dev.eskit.codec.EncodedEvent;
import java.time.Instant;
import java.util.UUID;

/**
 * An append after encoding, ready to be bound to INSERT statements: done before any connection is taken, so that
 * serialization never holds a lock.
 */
public final class EncodedAppend {
    private final StreamRef stream;
    private final UUID[] ids;
    private final EncodedEvent[] events;
    private final byte[] metadata;
    private final Instant timestamp;

    EncodedAppend(StreamRef stream, UUID[] ids, EncodedEvent[] events, byte[] metadata, Instant timestamp) {
        this.stream = stream;
        this.ids = ids;
        this.events = events;
        this.metadata = metadata;
        this.timestamp = timestamp;
    }

    /** The stream. */
    public StreamRef stream() {
        return stream;
    }

    /** How many events. */
    public int size() {
        return events.length;
    }

    /** The id of event {@code index}. */
    public UUID id(int index) {
        return ids[index];
    }

    /** Event {@code index}, encoded. */
    public EncodedEvent event(int index) {
        return events[index];
    }

    /** The encoded metadata shared by every event, or {@code null} when it is empty. */
    public byte[] metadata() {
        return metadata;
    }

    /** The append's timestamp (microsecond precision). */
    public Instant timestamp() {
        return timestamp;
    }
}
