package dev.eskit;

/** A read limit below 1 or above {@link Limits#MAX_READ_LIMIT}. */
public final class InvalidReadLimitException extends InvalidInputException {
    private static final long serialVersionUID = 1L;

    /** Creates the exception. */
    public InvalidReadLimitException(String message) {
        super(message);
    }
}
