package dev.eskit;

/** A command sent to a {@link dev.eskit.command.CommandBus} that has no route for its class. */
public final class UnknownCommandException extends EskitException {
    private static final long serialVersionUID = 1L;

    /** Creates the exception. */
    public UnknownCommandException(String message) {
        super(message);
    }
}
