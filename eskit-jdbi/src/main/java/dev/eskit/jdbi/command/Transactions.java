package dev.eskit.jdbi.command;

import dev.eskit.jdbi.JdbiSchema;
import dev.eskit.jdbi.StoreAccessException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.JdbiException;

/**
 * Transactions on the application's Jdbi for the command tables. Every write transaction starts with a write, so on
 * SQLite it takes the database's write lock at its first statement (waiting up to the busy timeout) and never fails
 * late on a lock upgrade.
 */
final class Transactions {

    /** Work inside a transaction. */
    @FunctionalInterface
    interface Work<T> {
        T run(Handle handle) throws SQLException;
    }

    private static final long BUSY_TIMEOUT_MILLIS = 10_000;

    private final Jdbi jdbi;
    private final boolean sqlite;

    Transactions(Jdbi jdbi) {
        this.jdbi = jdbi;
        try (Handle handle = jdbi.open()) {
            this.sqlite = JdbiSchema.databaseName(handle.getConnection()).equals("SQLite");
        } catch (SQLException | JdbiException e) {
            throw new StoreAccessException("detect the database of the command tables", e instanceof SQLException s
                    ? s : new SQLException(e.getMessage(), e));
        }
    }

    boolean sqlite() {
        return sqlite;
    }

    /** Runs {@code work} in a transaction that commits when it returns. */
    <T> T write(String operation, Work<T> work) {
        return run(operation, true, work);
    }

    /** Runs {@code work} in auto-commit mode. */
    <T> T read(String operation, Work<T> work) {
        return run(operation, false, work);
    }

    private <T> T run(String operation, boolean write, Work<T> work) {
        try (Handle handle = jdbi.open()) {
            if (sqlite) {
                try (Statement statement = handle.getConnection().createStatement()) {
                    statement.execute("PRAGMA busy_timeout = " + BUSY_TIMEOUT_MILLIS);
                }
            }
            if (!write) {
                return work.run(handle);
            }
            return handle.inTransaction(h -> {
                try {
                    return work.run(h);
                } catch (SQLException e) {
                    throw new Failed(e);
                }
            });
        } catch (Failed e) {
            throw new StoreAccessException(operation, e.sql);
        } catch (SQLException e) {
            throw new StoreAccessException(operation, e);
        } catch (JdbiException e) {
            if (e.getCause() instanceof Failed failed) {
                throw new StoreAccessException(operation, failed.sql);
            }
            if (e.getCause() instanceof SQLException sql) {
                throw new StoreAccessException(operation, sql);
            }
            throw e;
        }
    }

    /** Carries an SQL failure through Jdbi's callback. */
    private static final class Failed extends RuntimeException {
        private static final long serialVersionUID = 1L;
        final transient SQLException sql;

        Failed(SQLException sql) {
            super(sql.getMessage(), sql, false, false);
            this.sql = sql;
        }
    }

    static long micros(Instant instant) {
        return Math.addExact(Math.multiplyExact(instant.getEpochSecond(), 1_000_000L), instant.getNano() / 1_000);
    }

    static Instant instant(long micros) {
        return Instant.ofEpochSecond(Math.floorDiv(micros, 1_000_000L), Math.floorMod(micros, 1_000_000L) * 1_000L);
    }

    static void execute(Connection connection, String sql) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }
}
