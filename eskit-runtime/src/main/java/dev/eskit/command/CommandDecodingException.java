package dev.eskit.command;

import dev.eskit.EskitException;

/**
 * A stored command (in the durable command queue or the command log) whose payload does not read back as its type:
 * the JSON is malformed, a field is missing or unknown, or the type's shape changed since it was stored.
 */
public final class CommandDecodingException extends EskitException {
    private static final long serialVersionUID = 1L;

    /** Creates the exception. */
    public CommandDecodingException(String message, Throwable cause) {
        super(message, cause);
    }
}
