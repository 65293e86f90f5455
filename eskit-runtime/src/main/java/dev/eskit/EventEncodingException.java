package dev.eskit;

/** An event object that cannot be serialized. Nothing was written. */
public final class EventEncodingException extends EskitException {
    private static final long serialVersionUID = 1L;

    /** Creates the exception. */
    public EventEncodingException(String message, Throwable cause) {
        super(message, cause);
    }
}
