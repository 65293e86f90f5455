package dev.eskit;

import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * What is known about why and by whom an event was written. Every field may be {@code null}; {@code extras} is never
 * {@code null}.
 *
 * <p>Bounds: at most {@link Limits#MAX_METADATA_ENTRIES} extra entries, and at most {@link Limits#MAX_METADATA_BYTES}
 * bytes of UTF-8 across every field, key and value. Keys are non-empty and values non-null.
 *
 * <p>The constructor throws {@link MetadataTooLargeException} when a bound is broken.
 *
 * @param correlationId the id shared by every message of one business transaction
 * @param causationId   the id of the message (command or event) that caused this one
 * @param initiator     who started it (a user id, a service name)
 * @param originator    where it came from (a node, a process, an API)
 * @param extras        anything else, as strings
 */
public record Metadata(String correlationId, String causationId, String initiator, String originator,
                       Map<String, String> extras) {

    private static final Metadata EMPTY = new Metadata(null, null, null, null, Map.of());

    /** Validates the bounds and copies {@code extras}. */
    public Metadata {
        if (extras == null || extras.isEmpty()) {
            extras = Map.of();
        } else {
            if (extras.size() > Limits.MAX_METADATA_ENTRIES) {
                throw new MetadataTooLargeException("Metadata has " + extras.size()
                        + " extra entries, more than the limit of " + Limits.MAX_METADATA_ENTRIES
                        + ". Keep bulky context in the event data or in your own storage and reference it by id.");
            }
            LinkedHashMap<String, String> copy = new LinkedHashMap<>(extras.size() * 2);
            for (Map.Entry<String, String> entry : extras.entrySet()) {
                if (entry.getKey() == null || entry.getKey().isEmpty()) {
                    throw new InvalidInputException("Metadata has an empty or null key. Give every extra a name.");
                }
                if (entry.getValue() == null) {
                    throw new InvalidInputException("Metadata key \"" + entry.getKey()
                            + "\" has a null value. Leave the key out instead.");
                }
                copy.put(entry.getKey(), entry.getValue());
            }
            extras = Collections.unmodifiableMap(copy);
        }
        checkSize(correlationId, causationId, initiator, originator, extras);
    }

    private static void checkSize(String correlationId, String causationId, String initiator, String originator,
                                  Map<String, String> extras) {
        long chars = length(correlationId) + length(causationId) + length(initiator) + length(originator);
        for (Map.Entry<String, String> entry : extras.entrySet()) {
            chars += entry.getKey().length() + entry.getValue().length();
        }
        // A char is at most 3 bytes of UTF-8, so most metadata never needs to be encoded to be checked.
        if (chars * 3 <= Limits.MAX_METADATA_BYTES) {
            return;
        }
        long bytes = utf8(correlationId) + utf8(causationId) + utf8(initiator) + utf8(originator);
        for (Map.Entry<String, String> entry : extras.entrySet()) {
            bytes += utf8(entry.getKey()) + utf8(entry.getValue());
        }
        if (bytes > Limits.MAX_METADATA_BYTES) {
            throw new MetadataTooLargeException("Metadata is " + bytes + " bytes, more than the limit of "
                    + Limits.MAX_METADATA_BYTES + ". Keep bulky context in the event data or in your own storage"
                    + " and reference it by id.");
        }
    }

    /** The UTF-8 bytes of every field and extra (keys and values): at most {@link Limits#MAX_METADATA_BYTES}. */
    public long byteSize() {
        long bytes = utf8(correlationId) + utf8(causationId) + utf8(initiator) + utf8(originator);
        for (Map.Entry<String, String> entry : extras.entrySet()) {
            bytes += utf8(entry.getKey()) + utf8(entry.getValue());
        }
        return bytes;
    }

    private static int length(String value) {
        return value == null ? 0 : value.length();
    }

    private static int utf8(String value) {
        return value == null ? 0 : value.getBytes(StandardCharsets.UTF_8).length;
    }

    /** Metadata with no fields set. */
    public static Metadata empty() {
        return EMPTY;
    }

    /** Metadata with only a correlation id. */
    public static Metadata correlatedBy(String correlationId) {
        return new Metadata(correlationId, null, null, null, Map.of());
    }

    /** A copy with the correlation id replaced. */
    public Metadata withCorrelationId(String value) {
        return new Metadata(value, causationId, initiator, originator, extras);
    }

    /** A copy with the causation id replaced. */
    public Metadata withCausationId(String value) {
        return new Metadata(correlationId, value, initiator, originator, extras);
    }

    /** A copy with the initiator replaced. */
    public Metadata withInitiator(String value) {
        return new Metadata(correlationId, causationId, value, originator, extras);
    }

    /** A copy with the originator replaced. */
    public Metadata withOriginator(String value) {
        return new Metadata(correlationId, causationId, initiator, value, extras);
    }

    /** A copy with one extra entry added or replaced. */
    public Metadata with(String key, String value) {
        LinkedHashMap<String, String> copy = new LinkedHashMap<>(extras);
        copy.put(key, value);
        return new Metadata(correlationId, causationId, initiator, originator, copy);
    }

    /** A copy with the initiator set to {@code principal} ({@code "kind:id"}). */
    public Metadata withInitiator(Principal principal) {
        return withInitiator(Objects.requireNonNull(principal, "principal").toString());
    }

    /** A copy with the originator set to {@code principal} ({@code "kind:id"}). */
    public Metadata withOriginator(Principal principal) {
        return withOriginator(Objects.requireNonNull(principal, "principal").toString());
    }

    /** The initiator as a typed principal, or empty when there is none or it is not written as {@code "kind:id"}. */
    public java.util.Optional<Principal> initiatorPrincipal() {
        return java.util.Optional.ofNullable(Principal.parse(initiator));
    }

    /** The originator as a typed principal, or empty when there is none or it is not written as {@code "kind:id"}. */
    public java.util.Optional<Principal> originatorPrincipal() {
        return java.util.Optional.ofNullable(Principal.parse(originator));
    }

    /** Whether no field is set and there are no extras. */
    public boolean isEmpty() {
        return correlationId == null && causationId == null && initiator == null && originator == null
                && extras.isEmpty();
    }
}
