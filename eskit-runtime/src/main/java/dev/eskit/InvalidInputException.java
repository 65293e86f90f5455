package dev.eskit;

/**
 * Input that breaks one of eskit's bounds or rules. Thrown before anything is written: an append that fails with
 * an {@code InvalidInputException} (or a subtype) leaves the store unchanged.
 */
public class InvalidInputException extends EskitException {
    private static final long serialVersionUID = 1L;

    /** Creates an exception with a message that explains the rule and the fix. */
    public InvalidInputException(String message) {
        super(message);
    }
}
