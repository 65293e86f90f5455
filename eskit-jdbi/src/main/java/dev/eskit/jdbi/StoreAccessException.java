package dev.eskit.jdbi;

import dev.eskit.EskitException;
import java.sql.SQLException;

/**
 * The database failed for a reason that is not the caller's input: the connection was lost, the disk is full, the
 * schema was changed by hand, and so on. The message names the operation and the database's own error (with its
 * SQLState). Appends are atomic, so a failed append wrote nothing; retry once the database is healthy again. The one
 * exception is its subclass {@link AppendOutcomeUnknownException}: the connection failed while an append was being
 * committed, so it may have been written.
 */
public class StoreAccessException extends EskitException {
    private static final long serialVersionUID = 1L;

    /** Creates the exception for a failed {@code operation}. */
    public StoreAccessException(String operation, SQLException cause) {
        super("The database failed to " + operation + ": " + cause.getMessage() + " (SQLState " + cause.getSQLState()
                + ", error code " + cause.getErrorCode() + "). Check that the database is reachable and healthy,"
                + " then retry.", cause);
    }

    /** Creates the exception with a message of its own. */
    public StoreAccessException(String message, Throwable cause) {
        super(message, cause);
    }
}
