package dev.eskit.subscription;

import dev.eskit.EskitException;

/**
 * A subscription could not do what was asked: it was used in a way its state does not allow (starting it twice), an
 * operation named something it does not have (an unknown dead letter), or its handler stopped it with an error.
 */
public class SubscriptionException extends EskitException {

    /** An exception with a message that says what to do. */
    public SubscriptionException(String message) {
        super(message);
    }

    /** An exception with a message that says what to do, and its cause. */
    public SubscriptionException(String message, Throwable cause) {
        super(message, cause);
    }
}
