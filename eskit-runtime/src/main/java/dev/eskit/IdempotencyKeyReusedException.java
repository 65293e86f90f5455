package dev.eskit;

/** An idempotency key that was first used for a different stream. Nothing was written. */
public final class IdempotencyKeyReusedException extends InvalidInputException {
    private static final long serialVersionUID = 1L;

    /** Creates the exception. */
    public IdempotencyKeyReusedException(String message) {
        super(message);
    }
}
