package dev.eskit;

import java.util.List;
import java.util.Objects;

/**
 * One atomic append: events for one stream, with an expected version, metadata and an optional idempotency key.
 *
 * <p>All bounds are checked here, before any store sees the request: a stream reference that is valid by
 * construction, at least one and at most {@link Limits#MAX_EVENTS_PER_APPEND} non-null events, and an idempotency
 * key that is either {@code null} or a valid identifier.
 *
 * <pre>{@code
 * store.append(AppendRequest.of(StreamRef.of("account", "a-1"), ExpectedVersion.noStream(), List.of(opened))
 *     .withMetadata(Metadata.correlatedBy("req-7"))
 *     .withIdempotencyKey("open-a-1"));
 * }</pre>
 *
 * @param stream         the stream to append to
 * @param expected       what the stream's version must be
 * @param events         the event objects, each of a registered event type
 * @param metadata       metadata stored with every event of the append
 * @param idempotencyKey when not {@code null}, a retry with the same key returns the original events and writes nothing
 */
public record AppendRequest(StreamRef stream, ExpectedVersion expected, List<?> events, Metadata metadata,
                            String idempotencyKey) {

    /** Validates the request. */
    public AppendRequest {
        Objects.requireNonNull(stream, "stream");
        Objects.requireNonNull(expected, "expected");
        if (events == null || events.isEmpty()) {
            throw new EmptyAppendException("Append to " + stream + " has no events. Only call append when a"
                    + " decision produced events; a command that changes nothing should append nothing.");
        }
        if (events.size() > Limits.MAX_EVENTS_PER_APPEND) {
            throw new BatchTooLargeException("Append to " + stream + " has " + events.size()
                    + " events, more than the limit of " + Limits.MAX_EVENTS_PER_APPEND
                    + ". Split it into several appends (each is atomic on its own).");
        }
        for (int i = 0; i < events.size(); i++) {
            if (events.get(i) == null) {
                throw new InvalidInputException("Event " + i + " of the append to " + stream
                        + " is null. Pass only event objects.");
            }
        }
        events = List.copyOf(events);
        metadata = metadata == null ? Metadata.empty() : metadata;
        if (!metadata.isEmpty()) {
            // Every event row stores the metadata: refuse before any event is encoded when that alone is too much.
            Limits.checkAppendBytes(stream, events.size(), events.size(), metadata.byteSize() * events.size());
        }
        if (idempotencyKey != null) {
            String problem = Limits.checkIdentifier(idempotencyKey);
            if (problem != null) {
                throw new InvalidIdempotencyKeyException("Idempotency key " + Limits.abbreviate(idempotencyKey)
                        + " " + problem + ". Use a non-empty key of at most " + Limits.MAX_ID_LENGTH
                        + " characters without NUL bytes or invalid Unicode, or null for none.");
            }
            // A tenant's view keeps its keys as "<tenant>::<key>" on its streams "<tenant>::<type>": a key of that
            // form on any other stream could find, or be refused as a reuse of, a tenant's append.
            int separator = idempotencyKey.indexOf("::");
            if (separator >= 0 && !stream.type().startsWith(idempotencyKey.substring(0, separator + 2))) {
                throw new InvalidIdempotencyKeyException("Idempotency key " + Limits.abbreviate(idempotencyKey)
                        + " has the form of a tenant's key (\"<tenant>::<key>\") but the append is to " + stream
                        + ", which is not that tenant's. Use keys without \"::\" outside tenants' views.");
            }
        }
    }

    /** A request with empty metadata and no idempotency key. */
    public static AppendRequest of(StreamRef stream, ExpectedVersion expected, List<?> events) {
        return new AppendRequest(stream, expected, events, Metadata.empty(), null);
    }

    /** A copy with the metadata replaced. */
    public AppendRequest withMetadata(Metadata value) {
        return new AppendRequest(stream, expected, events, value, idempotencyKey);
    }

    /** A copy with the idempotency key replaced. */
    public AppendRequest withIdempotencyKey(String value) {
        return new AppendRequest(stream, expected, events, metadata, value);
    }
}
