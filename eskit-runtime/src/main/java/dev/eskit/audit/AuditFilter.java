package dev.eskit.audit;

import dev.eskit.InvalidInputException;
import dev.eskit.Principal;
import dev.eskit.StreamRef;
import java.time.Instant;

/**
 * Which audit entries to keep; every field that is set must match ({@code null} fields match everything).
 *
 * <pre>{@code
 * AuditFilter alicesWithdrawals = AuditFilter.all().initiatedBy(Principal.user("alice"))
 *     .streamType("account").between(Instant.parse("2026-11-01T00:00:00Z"), Instant.parse("2026-12-01T00:00:00Z"));
 * }</pre>
 *
 * @param initiator     the initiator exactly as stored ({@code "user:alice"})
 * @param streamType    the stream type
 * @param stream        one stream (its type and id)
 * @param from          entries at or after this time
 * @param to            entries before this time
 * @param correlationId the correlation id
 */
public record AuditFilter(String initiator, String streamType, StreamRef stream, Instant from, Instant to,
                          String correlationId) {

    private static final AuditFilter ALL = new AuditFilter(null, null, null, null, null, null);

    /** Checks that the time range is not empty. */
    public AuditFilter {
        if (from != null && to != null && !from.isBefore(to)) {
            throw new InvalidInputException("Audit time range from " + from + " to " + to + " is empty. Give a 'from'"
                    + " before 'to'.");
        }
        if (stream != null && streamType != null && !stream.type().equals(streamType)) {
            throw new InvalidInputException("Audit filter asks for stream " + stream + " and stream type \""
                    + streamType + "\", which can never match together. Give one of them.");
        }
    }

    /** The filter that keeps every entry. */
    public static AuditFilter all() {
        return ALL;
    }

    /** This filter, also requiring the initiator {@code principal} ({@code "kind:id"}). */
    public AuditFilter initiatedBy(Principal principal) {
        return initiatedBy(principal.toString());
    }

    /** This filter, also requiring the initiator exactly as stored. */
    public AuditFilter initiatedBy(String value) {
        return new AuditFilter(value, streamType, stream, from, to, correlationId);
    }

    /** This filter, also requiring the stream type. */
    public AuditFilter streamType(String value) {
        return new AuditFilter(initiator, value, stream, from, to, correlationId);
    }

    /** This filter, also requiring one stream. */
    public AuditFilter stream(StreamRef value) {
        return new AuditFilter(initiator, streamType, value, from, to, correlationId);
    }

    /** This filter, also requiring a time at or after {@code start} and before {@code end} (either may be null). */
    public AuditFilter between(Instant start, Instant end) {
        return new AuditFilter(initiator, streamType, stream, start, end, correlationId);
    }

    /** This filter, also requiring the correlation id. */
    public AuditFilter correlatedBy(String value) {
        return new AuditFilter(initiator, streamType, stream, from, to, value);
    }

    /** Whether {@code entry} is kept. */
    public boolean matches(AuditEntry entry) {
        return (initiator == null || initiator.equals(entry.initiator()))
                && (streamType == null || streamType.equals(entry.stream().type()))
                && (stream == null || stream.equals(entry.stream()))
                && (from == null || !entry.timestamp().isBefore(from))
                && (to == null || entry.timestamp().isBefore(to))
                && (correlationId == null || correlationId.equals(entry.correlationId()));
    }
}
