package dev.eskit;

/** Stored event data that cannot be turned back into an event object (malformed JSON, a missing upcaster, ...). */
public final class EventDecodingException extends EskitException {
    private static final long serialVersionUID = 1L;

    /** Creates the exception. */
    public EventDecodingException(String message, Throwable cause) {
        super(message, cause);
    }

    /** Creates the exception without a cause. */
    public EventDecodingException(String message) {
        super(message);
    }
}
