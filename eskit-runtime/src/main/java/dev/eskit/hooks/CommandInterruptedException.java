package dev.eskit.hooks;

import dev.eskit.EskitException;

/** The thread was interrupted while a command waited to run; the command did not run and nothing was written. */
public final class CommandInterruptedException extends EskitException {

    private static final long serialVersionUID = 1L;

    /** An interruption with a message that says what to do. */
    public CommandInterruptedException(String message, Throwable cause) {
        super(message, cause);
    }
}
