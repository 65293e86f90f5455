package dev.eskit.jdbi;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.sqlite.SQLiteConnection;

/**
 * The statements a SQLite store keeps prepared: preparing is a large part of a short statement on SQLite, so the
 * writer connection keeps every statement it runs, and so does each physical reader connection of the store's own
 * pool (registered with {@link #keep}). Any other connection (an application's) gets a statement of its own, closed
 * on {@link #release}. A statement that failed may be left in a state not worth reasoning about: the connection's
 * statements are then forgotten ({@link #forgetWriter}, {@link #forgetReader}) and prepared afresh.
 */
final class SqliteStatements {

    private final Connection writer;
    private final boolean keepsReaders;
    /** The writer's statements; only used under the store's write lock, so a plain map is enough. */
    private final Map<String, PreparedStatement> writerStatements = new HashMap<>();
    /** Statements kept per physical reader connection of the store's own pool (they live as long as the pool). */
    private final Map<Connection, Map<String, PreparedStatement>> readerStatements = new ConcurrentHashMap<>();

    /**
     * @param writer       the store's writer connection
     * @param keepsReaders whether the readers are the store's own pool (else an application's, whose connections keep
     *                     nothing)
     */
    SqliteStatements(Connection writer, boolean keepsReaders) {
        this.writer = writer;
        this.keepsReaders = keepsReaders;
    }

    /** A statement for {@code statementSql} on {@code connection}: a kept one where the connection keeps them. */
    PreparedStatement prepare(Connection connection, String statementSql) throws SQLException {
        if (connection == writer) {
            PreparedStatement statement = writerStatements.get(statementSql);
            if (statement == null) {
                statement = connection.prepareStatement(statementSql);
                writerStatements.put(statementSql, statement);
            }
            return statement;
        }
        // Statements are kept on the physical reader connections of the store's own pool, registered by keep() (the
        // pool closes those made through its proxy); any other connection (a caller's) gets a statement of its own.
        // A borrowed connection is used by one thread at a time, and the pool hands it over with a happens-before
        // edge, so the inner map needs no lock.
        Map<String, PreparedStatement> cache = keepsReaders
                ? readerStatements.get(connection.unwrap(SQLiteConnection.class)) : null;
        if (cache == null) {
            return connection.prepareStatement(statementSql);
        }
        PreparedStatement cached = cache.get(statementSql);
        if (cached == null || cached.isClosed()) {
            cached = connection.unwrap(SQLiteConnection.class).prepareStatement(statementSql);
            cache.put(statementSql, cached);
        }
        return cached;
    }

    /**
     * Kept statements are handed back as they are, their parameters still bound: every use binds all of them again
     * (until then the last values stay referenced: one row's bytes per statement, a batch's are dropped after it; a
     * several-rows insert's, at most {@link SqliteEventInserts#MAX_STATEMENT_DATA} of event data per statement).
     * {@code clearParameters()} would cost more than it looks: SQLite marks a statement whose bindings were cleared
     * as expired, so its next execution parses and plans the SQL again (measured: a command's stream load took about
     * 30 µs with it, 17 µs without). Other statements are closed.
     */
    void release(PreparedStatement statement) throws SQLException {
        Connection connection = statement.getConnection();
        if (connection != writer && !readerStatements.containsKey(connection)) {
            statement.close();
        }
    }

    /** Registers a reader connection of the store's own pool, so that its statements are kept. */
    void keep(Connection borrowed) throws SQLException {
        Connection physical = borrowed.unwrap(SQLiteConnection.class);
        if (!readerStatements.containsKey(physical)) {
            dropClosedConnections();
            readerStatements.put(physical, new HashMap<>());
        }
    }

    /** Forgets the statements of connections the pool has retired. */
    private void dropClosedConnections() throws SQLException {
        for (Iterator<Connection> it = readerStatements.keySet().iterator(); it.hasNext(); ) {
            if (it.next().isClosed()) {
                it.remove();
            }
        }
    }

    /** Closes and forgets the statements kept on a reader connection (after a failure on it). */
    void forgetReader(Connection connection) {
        Map<String, PreparedStatement> cache;
        try {
            cache = keepsReaders ? readerStatements.remove(connection.unwrap(SQLiteConnection.class)) : null;
        } catch (SQLException e) {
            return;
        }
        if (cache != null) {
            cache.values().forEach(SqliteStatements::closeQuietly);
        }
    }

    /** Closes and forgets the writer's statements (after a failure, or when the store closes). */
    void forgetWriter() {
        writerStatements.values().forEach(SqliteStatements::closeQuietly);
        writerStatements.clear();
    }

    /** Forgets the readers' statements once their pool is closed (closing its connections closed them). */
    void dropReaders() {
        readerStatements.clear();
    }

    private static void closeQuietly(PreparedStatement statement) {
        try {
            statement.close();
        } catch (SQLException ignored) {
            // The statement is dropped either way.
        }
    }
}
