package dev.eskit.jdbi.subscription;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;
import java.util.Objects;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/** Write transactions on a Jdbi: {@code BEGIN IMMEDIATE} with a busy timeout on SQLite, Jdbi's own elsewhere. */
final class WriteTransactions {

    /** Work inside a transaction. */
    @FunctionalInterface
    interface Work<T> {
        T run(Handle handle) throws Exception;
    }

    private final Jdbi jdbi;
    private final long busyTimeoutMillis;
    private volatile Boolean sqlite;

    WriteTransactions(Jdbi jdbi, long busyTimeoutMillis) {
        this.jdbi = Objects.requireNonNull(jdbi, "jdbi");
        this.busyTimeoutMillis = busyTimeoutMillis;
    }

    /** Runs {@code work} in a write transaction that commits when it returns and rolls back when it throws. */
    <T> T write(Work<T> work) throws Exception {
        try (Handle handle = jdbi.open()) {
            if (isSqlite(handle)) {
                Connection connection = handle.getConnection();
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
            }
            return handle.inTransaction(work::run);
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
            String product = handle.getConnection().getMetaData().getDatabaseProductName();
            known = product != null && product.toLowerCase(Locale.ROOT).contains("sqlite");
            sqlite = known;
        }
        return known;
    }

    static void execute(Connection connection, String sql) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }
}
