package dev.eskit.jdbi.internal;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.time.Duration;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.jdbi.v3.core.ConnectionFactory;

/**
 * A small, bounded connection pool for stores created from a JDBC URL. It keeps idle connections for reuse and drops
 * connections that were closed (by the driver after a fatal error). For production PostgreSQL, pass a real pool
 * (HikariCP) as a {@code DataSource} instead.
 */
public final class ConnectionPool implements ConnectionFactory, AutoCloseable {

    /** Opens a new physical connection. */
    @FunctionalInterface
    public interface Opener {
        /** Opens one. */
        Connection open() throws SQLException;
    }

    private final Opener opener;
    private final int size;
    private final Duration timeout;
    private final Semaphore permits;
    private final ConcurrentLinkedDeque<Connection> idle = new ConcurrentLinkedDeque<>();
    private volatile boolean closed;

    /** A pool of at most {@code size} connections; a borrower waits at most {@code timeout} for one. */
    public ConnectionPool(Opener opener, int size, Duration timeout) {
        this.opener = opener;
        this.size = size;
        this.timeout = timeout;
        this.permits = new Semaphore(size, true);
    }

    @Override
    public Connection openConnection() throws SQLException {
        if (closed) {
            throw new SQLTransientConnectionException("The store is closed. Create a new store to keep working.",
                    "08003");
        }
        try {
            if (!permits.tryAcquire(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new SQLTransientConnectionException("All " + size + " pooled connections stayed busy for "
                        + timeout.toMillis() + " ms. Raise maxConnections or find the slow transaction.", "08001");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SQLTransientConnectionException("Interrupted while waiting for a connection.", "08001", e);
        }
        Connection connection = idle.pollFirst();
        if (connection != null) {
            return connection;
        }
        try {
            return opener.open();
        } catch (SQLException | RuntimeException e) {
            permits.release();
            throw e;
        }
    }

    @Override
    public void closeConnection(Connection connection) throws SQLException {
        try {
            if (closed || connection.isClosed()) {
                closeQuietly(connection);
                return;
            }
            if (!connection.getAutoCommit()) {
                connection.rollback();
                connection.setAutoCommit(true);
            }
            idle.offerFirst(connection);
        } catch (SQLException e) {
            closeQuietly(connection);
        } finally {
            permits.release();
        }
        if (closed) {
            drain();
        }
    }

    @Override
    public void close() {
        closed = true;
        drain();
    }

    private void drain() {
        Connection connection;
        while ((connection = idle.pollFirst()) != null) {
            closeQuietly(connection);
        }
    }

    private static void closeQuietly(Connection connection) {
        try {
            connection.close();
        } catch (SQLException ignored) {
            // Nothing useful can be done about a connection that fails to close.
        }
    }
}
