package dev.eskit.jdbi;

import dev.eskit.Position;
import dev.eskit.StreamRef;
import dev.eskit.dcb.Tag;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.TreeSet;
import java.util.UUID;

/**
 * An event row as stored, without decoding: its data and metadata are the bytes the codec wrote (JSON for
 * {@link dev.eskit.codec.JsonEventCodec}). Read with {@link RawEventAccess}; tools use it to show events whose classes
 * are not on the class path and to copy events between stores unchanged ({@link RawEventAccess#importEvents}).
 *
 * <p>The arrays are not copied; do not change them.
 *
 * @param id            the event's id
 * @param stream        its stream
 * @param version       its version in the stream (1 for the first)
 * @param eventType     its wire name, such as {@code "bank.Deposited"}
 * @param schemaVersion the schema version it was written with
 * @param position      its position in the global log of the store it was read from (ignored on import)
 * @param timestamp     when it was appended (microsecond precision)
 * @param metadata      the encoded metadata, or {@code null} when there was none
 * @param data          the encoded event
 * @param tags          its Dynamic Consistency Boundary tags ({@link dev.eskit.dcb}), sorted and without duplicates
 *                      (the store keeps them as a set); empty when it has none. An import writes the same tag rows an
 *                      append writes, so DCB queries on the target find the imported event.
 * @param codec         the format of {@code data}, {@code "json"} or {@code "cbor"} ({@code EventCodec.format()}),
 *                      kept by an import; {@code null} means {@code "json"}
 */
public record RawEvent(UUID id, StreamRef stream, long version, String eventType, int schemaVersion,
                       Position position, Instant timestamp, byte[] metadata, byte[] data, List<Tag> tags,
                       String codec) {

    /**
     * Checks that every part but {@code metadata} is present and the version is positive; sorts the tags and drops
     * duplicates ({@code null} tags mean none).
     */
    public RawEvent {
        codec = codec == null ? dev.eskit.codec.EncodedEvent.JSON : codec;
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(stream, "stream");
        Objects.requireNonNull(eventType, "eventType");
        Objects.requireNonNull(position, "position");
        Objects.requireNonNull(timestamp, "timestamp");
        Objects.requireNonNull(data, "data");
        if (version < 1) {
            throw new dev.eskit.InvalidInputException("Event " + id + " has version " + version
                    + "; stream versions start at 1.");
        }
        tags = tags == null || tags.isEmpty() ? List.of() : List.copyOf(new TreeSet<>(tags));
    }

    /** An event without tags, for callers written before events carried them. */
    public RawEvent(UUID id, StreamRef stream, long version, String eventType, int schemaVersion, Position position,
                    Instant timestamp, byte[] metadata, byte[] data) {
        this(id, stream, version, eventType, schemaVersion, position, timestamp, metadata, data, List.of(), null);
    }

    /** A JSON event with tags, for callers written before rows recorded their codec. */
    public RawEvent(UUID id, StreamRef stream, long version, String eventType, int schemaVersion, Position position,
                    Instant timestamp, byte[] metadata, byte[] data, List<Tag> tags) {
        this(id, stream, version, eventType, schemaVersion, position, timestamp, metadata, data, tags, null);
    }

    /** This event with {@code tags} instead of its own. */
    public RawEvent withTags(List<Tag> tags) {
        return new RawEvent(id, stream, version, eventType, schemaVersion, position, timestamp, metadata, data, tags,
                codec);
    }

    /** The data as text (UTF-8): the event's JSON when {@link #codec()} is {@code "json"}. */
    public String dataText() {
        return new String(data, StandardCharsets.UTF_8);
    }

    /** The metadata as text (UTF-8), or {@code null} when there is none. */
    public String metadataText() {
        return metadata == null ? null : new String(metadata, StandardCharsets.UTF_8);
    }
}
