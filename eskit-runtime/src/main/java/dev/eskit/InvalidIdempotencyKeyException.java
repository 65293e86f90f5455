package dev.eskit;

/** An idempotency key that is empty, longer than {@link Limits#MAX_ID_LENGTH} or contains a NUL byte. */
public final class InvalidIdempotencyKeyException extends InvalidInputException {
    private static final long serialVersionUID = 1L;

    /** Creates the exception. */
    public InvalidIdempotencyKeyException(String message) {
        super(message);
    }
}
