package dev.eskit.hooks;

import dev.eskit.EskitException;
import dev.eskit.Position;

/**
 * A projection halted at an event its handler could not apply ({@link ProjectionErrorPolicy#halt()}). The runner
 * should stop and keep its checkpoint before {@link #position()}; fix the cause, then call
 * {@link GuardedProjectionHandler#resume()} and run again.
 */
public final class ProjectionHaltedException extends EskitException {

    private static final long serialVersionUID = 1L;

    private final transient Position position;

    /** A halt at {@code position}. */
    public ProjectionHaltedException(String message, Position position, Throwable cause) {
        super(message, cause);
        this.position = position;
    }

    /** The position of the event the projection halted at. */
    public Position position() {
        return position;
    }
}
