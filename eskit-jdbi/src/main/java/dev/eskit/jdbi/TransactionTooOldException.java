package dev.eskit.jdbi;

import dev.eskit.EskitException;

/**
 * PostgreSQL: an append inside the application's transaction was refused because that transaction had its
 * transaction id before the append (it wrote something, or asked for its id with {@code pg_current_xact_id()}), and
 * events of later transactions have committed since; its events would land behind a point readers may already have
 * passed. Nothing was appended; the application's own writes are untouched. Roll the transaction back and run it again, or append before the transaction's first write.
 */
public final class TransactionTooOldException extends EskitException {
    private static final long serialVersionUID = 1L;

    /** Creates the exception. */
    public TransactionTooOldException(String message) {
        super(message);
    }
}
