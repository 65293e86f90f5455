package dev.eskit.automation;

import dev.eskit.EskitException;

/** An automation broke its contract, such as returning {@code null} instead of a list of commands. */
public class AutomationException extends EskitException {

    /** An exception with a message that says what to do. */
    public AutomationException(String message) {
        super(message);
    }
}
