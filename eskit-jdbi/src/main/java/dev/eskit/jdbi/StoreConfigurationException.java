package dev.eskit.jdbi;

import dev.eskit.EskitException;

/**
 * A store that cannot be built as configured: an unsupported JDBC URL, an invalid table prefix or schema name, a
 * database schema newer than this code, and so on. The message says what to change.
 */
public final class StoreConfigurationException extends EskitException {
    private static final long serialVersionUID = 1L;

    /** Creates the exception. */
    public StoreConfigurationException(String message) {
        super(message);
    }

    /** Creates the exception with its cause. */
    public StoreConfigurationException(String message, Throwable cause) {
        super(message, cause);
    }
}
