package dev.eskit.jdbi;

import dev.eskit.StreamRef;
import dev.eskit.codec.EncodedEvent;
import dev.eskit.dcb.Tag;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * An append after encoding, ready to be bound to INSERT statements: done before any connection is taken, so that
 * serialization never holds a lock.
 */
final class EncodedAppend {
    private final StreamRef stream;
    private final UUID[] ids;
    private final EncodedEvent[] events;
    private final byte[] metadata;
    private final Instant timestamp;
    private final List<List<Tag>> tags;

    EncodedAppend(StreamRef stream, UUID[] ids, EncodedEvent[] events, byte[] metadata, Instant timestamp) {
        this(stream, ids, events, metadata, timestamp, null);
    }

    EncodedAppend(StreamRef stream, UUID[] ids, EncodedEvent[] events, byte[] metadata, Instant timestamp,
                  List<List<Tag>> tags) {
        this.tags = tags;
        this.stream = stream;
        this.ids = ids;
        this.events = events;
        this.metadata = metadata;
        this.timestamp = timestamp;
    }

    /** The stream. */
    StreamRef stream() {
        return stream;
    }

    /** How many events. */
    int size() {
        return events.length;
    }

    /** The id of event {@code index}. */
    UUID id(int index) {
        return ids[index];
    }

    /** Event {@code index}, encoded. */
    EncodedEvent event(int index) {
        return events[index];
    }

    /** The encoded metadata shared by every event, or {@code null} when it is empty. */
    byte[] metadata() {
        return metadata;
    }

    /** The append's timestamp (microsecond precision). */
    Instant timestamp() {
        return timestamp;
    }

    /** The tags of event {@code index} (its {@code @Tag} tags and explicit ones); empty when it has none. */
    List<Tag> tags(int index) {
        return tags == null ? List.of() : tags.get(index);
    }

    /** Whether some event has a tag. */
    boolean hasTags() {
        if (tags != null) {
            for (List<Tag> list : tags) {
                if (!list.isEmpty()) {
                    return true;
                }
            }
        }
        return false;
    }
}
