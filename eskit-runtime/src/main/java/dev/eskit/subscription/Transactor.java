package dev.eskit.subscription;

import dev.eskit.Position;

/**
 * Runs a subscription's handler calls and its checkpoint save in one database transaction, so that a read model and
 * the position it reflects always commit together: after a crash no event is applied twice and none is lost
 * (exactly-once effects). The Jdbi module provides one for SQLite and PostgreSQL, whose transaction object is a Jdbi
 * {@code Handle}.
 *
 * <p>The subscription loads its starting position from its {@link CheckpointStore}; {@link #saveCheckpoint} must write
 * where that store reads.
 *
 * @param <T> the transaction object handed to the handler (a Jdbi {@code Handle}, a JDBC {@code Connection}, ...)
 */
public interface Transactor<T> {

    /**
     * Runs {@code work} in a new transaction that commits when it returns and rolls back when it throws.
     *
     * @throws Exception whatever {@code work} throws (after the rollback), or a failure to begin or commit
     */
    void inTransaction(Work<T> work) throws Exception;

    /** Saves subscription {@code name}'s checkpoint inside {@code transaction}. */
    void saveCheckpoint(T transaction, String name, Position position) throws Exception;

    /**
     * Saves subscription {@code name}'s checkpoint inside {@code transaction} only if it is still at {@code expected}
     * ({@code null}: none saved), and says whether it was. A transactional subscription saves this way, so that a
     * second copy of it running elsewhere (which would apply every event again) is noticed at its first save: its
     * transaction rolls back and it stops. The default saves unconditionally and returns {@code true}; the Jdbi
     * transactor compares in the same statement.
     *
     * @return whether the checkpoint was at {@code expected} and is saved
     */
    default boolean saveCheckpoint(T transaction, String name, Position expected, Position position)
            throws Exception {
        saveCheckpoint(transaction, name, position);
        return true;
    }

    /**
     * Work done inside a transaction.
     *
     * @param <T> the transaction object
     */
    @FunctionalInterface
    interface Work<T> {
        /** Does the work; throwing rolls the transaction back. */
        void run(T transaction) throws Exception;
    }
}
