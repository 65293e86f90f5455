package dev.eskit.todo;

import dev.eskit.EskitException;

/** A todo processor could not do what was asked, or lost the lease on an item it was processing. */
public class TodoException extends EskitException {

    /** An exception with a message that says what to do. */
    public TodoException(String message) {
        super(message);
    }
}
