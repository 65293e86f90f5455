package dev.eskit;

/** An append with more than {@link Limits#MAX_EVENTS_PER_APPEND} events. */
public final class BatchTooLargeException extends InvalidInputException {
    private static final long serialVersionUID = 1L;

    /** Creates the exception. */
    public BatchTooLargeException(String message) {
        super(message);
    }
}
