package dev.eskit.jdbi.subscription;

import dev.eskit.internal.WriteQueues;
import dev.eskit.jdbi.JdbiSchema;
import dev.eskit.jdbi.StoreAccessException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.JdbiException;

/**
 * Write transactions on a Jdbi: {@code BEGIN IMMEDIATE} with a busy timeout on SQLite, Jdbi's own elsewhere.
 *
 * <p>On SQLite the write transactions of this process on one database file also queue, first come first served, on a
 * fair lock of that file ({@link #queue}), the same one the event store's own writer takes its turn on. SQLite has one writer, and a writer that waits for it only polls (its busy
 * handler sleeps up to 100 ms between tries), so a thread that commits and at once begins its next transaction, such as
 * a shadow rebuild or a subscription catching up, would otherwise keep the database to itself: a rebuild's progress
 * reports and lease renewals, or the live projection, could wait until it is done, or fail after the busy timeout.
 */
final class WriteTransactions {

    /** Work inside a transaction. */
    @FunctionalInterface
    interface Work<T> {
        T run(Handle handle) throws Exception;
    }

    private final Jdbi jdbi;
    private final long busyTimeoutMillis;
    private volatile Boolean sqlite;
    /** The write queue of the database file (SQLite only), found on first use. */
    private volatile ReentrantLock queue;

    WriteTransactions(Jdbi jdbi, long busyTimeoutMillis) {
        this.jdbi = Objects.requireNonNull(jdbi, "jdbi");
        this.busyTimeoutMillis = busyTimeoutMillis;
    }

    /** Runs {@code work} in a write transaction that commits when it returns and rolls back when it throws. */
    <T> T write(Work<T> work) throws Exception {
        try (Handle handle = jdbi.open()) {
            if (isSqlite(handle)) {
                Connection connection = handle.getConnection();
                ReentrantLock turn = queue(connection);
                enter(turn);
                try {
                    execute(connection, "PRAGMA busy_timeout = " + busyTimeoutMillis);
                    execute(connection, "BEGIN IMMEDIATE");
                    try {
                        T result = work.run(handle);
                        execute(connection, "COMMIT");
                        return result;
                    } catch (Throwable failure) {
                        try {
                            execute(connection, "ROLLBACK");
                        } catch (SQLException rollback) {
                            failure.addSuppressed(rollback);
                        }
                        throw failure;
                    }
                } finally {
                    turn.unlock();
                }
            }
            return handle.inTransaction(work::run);
        }
    }

    /**
     * Waits for this process's turn to write to the database file, at most the busy timeout, as SQLite itself waits
     * for the write lock. A timed {@code tryLock} keeps the queue's order.
     */
    private void enter(ReentrantLock turn) throws SQLException {
        try {
            if (!turn.tryLock(Math.max(0, busyTimeoutMillis), TimeUnit.MILLISECONDS)) {
                throw new SQLException("[SQLITE_BUSY] The database is locked: another write transaction of this"
                        + " process held it for more than " + busyTimeoutMillis + " ms (SQLite has one writer)."
                        + " Keep write transactions short; a handler must not wait inside its transaction for"
                        + " another write.", "HY000", 5);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SQLException("Interrupted while waiting to write to the SQLite database.", "HY000", e);
        }
    }

    /**
     * The fair write queue of the connection's database file, shared by every WriteTransactions of this process on
     * that file and by the event store's own writer ({@link WriteQueues}; a database without a file, in memory, gets
     * one of its own).
     */
    private ReentrantLock queue(Connection connection) throws SQLException {
        ReentrantLock known = queue;
        if (known != null) {
            return known;
        }
        ReentrantLock found = WriteQueues.of(connection);
        synchronized (this) {
            if (queue == null) {
                queue = found;
            }
            return queue;
        }
    }

    /** Runs {@code work} on a handle in auto-commit mode. */
    <T> T read(Work<T> work) throws Exception {
        try (Handle handle = jdbi.open()) {
            if (isSqlite(handle)) {
                execute(handle.getConnection(), "PRAGMA busy_timeout = " + busyTimeoutMillis);
            }
            return work.run(handle);
        }
    }

    /** Whether the database is SQLite. */
    boolean isSqlite() throws SQLException {
        try (Handle handle = jdbi.open()) {
            return isSqlite(handle);
        }
    }

    private boolean isSqlite(Handle handle) throws SQLException {
        Boolean known = sqlite;
        if (known == null) {
            known = JdbiSchema.databaseName(handle.getConnection()).equals("SQLite");
            sqlite = known;
        }
        return known;
    }

    /** JDBC work on a connection. */
    @FunctionalInterface
    interface ConnectionWork<T> {
        T run(Connection connection) throws SQLException;
    }

    /** {@link #inHandle} for JDBC work on the handle's connection. */
    <T> T call(String operation, boolean write, ConnectionWork<T> work) {
        return inHandle(operation, write, handle -> {
            try {
                return work.run(handle.getConnection());
            } catch (SQLException e) {
                throw new StoreAccessException(operation, e);
            }
        });
    }

    /** Statements on a Jdbi handle. */
    @FunctionalInterface
    interface HandleWork<T> {
        T run(Handle handle);
    }

    /**
     * Runs {@code work}: in a write transaction when {@code write}, in auto-commit mode otherwise. A failure of the
     * database becomes a {@link StoreAccessException} naming {@code operation}; other runtime exceptions pass as they
     * are.
     */
    <T> T inHandle(String operation, boolean write, HandleWork<T> work) {
        try {
            return write ? write(work::run) : read(work::run);
        } catch (JdbiException e) {
            if (e.getCause() instanceof SQLException sql) {
                throw new StoreAccessException(operation, sql);
            }
            throw new StoreAccessException("The database failed to " + operation + ": " + e.getMessage()
                    + ". Check that it is reachable and healthy, then retry.", e);
        } catch (SQLException e) {
            throw new StoreAccessException(operation, e);
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new StoreAccessException("The database failed to " + operation + ": " + e.getMessage(), e);
        }
    }

    /** An instant as microseconds since the epoch, the precision the work tables keep. */
    static long micros(Instant instant) {
        return Math.addExact(Math.multiplyExact(instant.getEpochSecond(), 1_000_000L), instant.getNano() / 1_000);
    }

    /** The instant of {@link #micros(Instant)}'s value. */
    static Instant instant(long micros) {
        return Instant.ofEpochSecond(Math.floorDiv(micros, 1_000_000L), Math.floorMod(micros, 1_000_000L) * 1_000L);
    }

    static void execute(Connection connection, String sql) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }
}
