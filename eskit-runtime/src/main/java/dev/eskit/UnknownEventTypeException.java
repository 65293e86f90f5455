package dev.eskit;

/** An event class or wire name that no registry knows. */
public final class UnknownEventTypeException extends EskitException {
    private static final long serialVersionUID = 1L;

    /** Creates the exception. */
    public UnknownEventTypeException(String message) {
        super(message);
    }
}
