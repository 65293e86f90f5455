package dev.eskit.audit;

import dev.eskit.Metadata;
import dev.eskit.Position;
import dev.eskit.Principal;
import dev.eskit.StoredEvent;
import dev.eskit.StreamRef;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

/**
 * One line of the audit log: an event and who wrote it, taken from its envelope and metadata (never its data).
 *
 * @param position      the event's position in the global log
 * @param timestamp     when it was appended
 * @param stream        its stream
 * @param version       its version in the stream
 * @param eventType     its wire name
 * @param eventId       its id
 * @param initiator     who started it ({@code "user:alice"} when written as a {@link Principal}), or {@code null}
 * @param originator    where it came from, or {@code null}
 * @param correlationId the business transaction it belongs to, or {@code null}
 * @param causationId   the message that caused it, or {@code null}
 */
public record AuditEntry(Position position, Instant timestamp, StreamRef stream, long version, String eventType,
                         UUID eventId, String initiator, String originator, String correlationId,
                         String causationId) {

    /** Checks the envelope fields. */
    public AuditEntry {
        Objects.requireNonNull(position, "position");
        Objects.requireNonNull(timestamp, "timestamp");
        Objects.requireNonNull(stream, "stream");
        Objects.requireNonNull(eventType, "eventType");
        Objects.requireNonNull(eventId, "eventId");
    }

    /** The entry of a stored event. */
    public static AuditEntry of(StoredEvent<?> event) {
        return of(event.position(), event.timestamp(), event.stream(), event.version(), event.eventType(), event.id(),
                event.metadata());
    }

    /** The entry of an event read without decoding its data (tools reading raw rows). */
    public static AuditEntry of(Position position, Instant timestamp, StreamRef stream, long version,
                                String eventType, UUID eventId, Metadata metadata) {
        Metadata m = metadata == null ? Metadata.empty() : metadata;
        return new AuditEntry(position, timestamp, stream, version, eventType, eventId, m.initiator(), m.originator(),
                m.correlationId(), m.causationId());
    }

    /** The initiator as a typed principal, when it was written as one ({@code "kind:id"}). */
    public Optional<Principal> principal() {
        return Optional.ofNullable(Principal.parse(initiator));
    }
}
