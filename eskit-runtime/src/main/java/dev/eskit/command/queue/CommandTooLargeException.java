package dev.eskit.command.queue;

/**
 * A command whose encoded payload is over {@link CommandQueue#MAX_PAYLOAD_BYTES}: refused at enqueue, before anything
 * is stored.
 */
public final class CommandTooLargeException extends dev.eskit.InvalidInputException {
    private static final long serialVersionUID = 1L;

    /** Creates the exception. */
    public CommandTooLargeException(String message) {
        super(message);
    }
}
