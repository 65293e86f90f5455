package dev.eskit;

/** The root of every exception eskit throws on purpose; each subtype's message says what to do about it. */
public class EskitException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** Creates an exception with a message that explains the problem and the fix. */
    public EskitException(String message) {
        super(message);
    }

    /** Creates an exception with a message and the underlying cause. */
    public EskitException(String message, Throwable cause) {
        super(message, cause);
    }
}
