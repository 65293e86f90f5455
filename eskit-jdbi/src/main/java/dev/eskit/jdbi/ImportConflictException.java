package dev.eskit.jdbi;

import dev.eskit.EskitException;

/**
 * {@link RawEventAccess#importEvents} met an event that does not fit the target store: another event already holds
 * its stream version, or the stream's previous versions are missing. Nothing of the batch was written.
 */
public final class ImportConflictException extends EskitException {
    private static final long serialVersionUID = 1L;

    /** An import conflict described by {@code message}. */
    public ImportConflictException(String message) {
        super(message);
    }
}
