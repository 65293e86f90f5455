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
