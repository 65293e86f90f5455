package dev.eskit;

import java.util.Optional;

/**
 * Stored event data that cannot be turned back into an event object (malformed JSON, a field the event type does not
 * have, a missing upcaster, ...). When a store reads the event from its log it names the event ({@link #event()}), so
 * that a subscription can dead-letter it or halt on it with its position, stream and type.
 */
public final class EventDecodingException extends EskitException {
    private static final long serialVersionUID = 1L;

    /** The event that could not be decoded, when known. */
    private final transient StoredEventHeader event;

    /** Creates the exception. */
    public EventDecodingException(String message, Throwable cause) {
        this(message, cause, null);
    }

    /** Creates the exception without a cause. */
    public EventDecodingException(String message) {
        this(message, null, null);
    }

    /** Creates the exception for the stored event {@code event} (may be {@code null} when unknown). */
    public EventDecodingException(String message, Throwable cause, StoredEventHeader event) {
        super(message, cause);
        this.event = event;
    }

    /** The stored event that could not be decoded, when the store named it. */
    public Optional<StoredEventHeader> event() {
        return Optional.ofNullable(event);
    }
}
