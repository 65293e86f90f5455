package dev.eskit.jdbi.sqlite;

import dev.eskit.Position;
import dev.eskit.StreamRef;
import dev.eskit.jdbi.Dialect;
import dev.eskit.jdbi.EncodedAppend;
import dev.eskit.jdbi.Migration;
import dev.eskit.jdbi.StoreAccessException;
import dev.eskit.jdbi.StoreConfigurationException;
import dev.eskit.jdbi.TableNames;
import dev.eskit.jdbi.internal.ConnectionPool;
import java.nio.ByteBuffer;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.JdbiException;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteErrorCode;
import org.sqlite.SQLiteException;

/**
 * SQLite: WAL journal, one writer connection used under a lock with {@code BEGIN IMMEDIATE} (so a second process
 * waits for the lock at the start of its transaction, never fails half-way), reader connections of their own, and
 * {@code busy_timeout} on every connection. Global positions are the dense {@code seq} of the events table, assigned
 * in commit order because there is one writer at a time.
 */
public final class SqliteDialect extends Dialect {

    private static final List<Migration> MIGRATIONS = List.of(new Migration(1, "events, streams, idempotency keys,"
            + " snapshots, checkpoints", List.of(
            "CREATE TABLE {events} (seq INTEGER PRIMARY KEY AUTOINCREMENT, id BLOB NOT NULL,"
                    + " stream_type TEXT NOT NULL, stream_id TEXT NOT NULL, version INTEGER NOT NULL,"
                    + " event_type TEXT NOT NULL, schema_version INTEGER NOT NULL, created_at INTEGER NOT NULL,"
                    + " metadata BLOB, data BLOB NOT NULL)",
            "CREATE UNIQUE INDEX {p}events_stream_version ON {events} (stream_type, stream_id, version)",
            "CREATE TABLE {streams} (stream_type TEXT NOT NULL, stream_id TEXT NOT NULL, version INTEGER NOT NULL,"
                    + " status INTEGER NOT NULL DEFAULT 0, PRIMARY KEY (stream_type, stream_id)) WITHOUT ROWID",
            "CREATE TABLE {idempotency} (idempotency_key TEXT NOT NULL PRIMARY KEY, stream_type TEXT NOT NULL,"
                    + " stream_id TEXT NOT NULL, first_version INTEGER NOT NULL, last_version INTEGER NOT NULL,"
                    + " created_at INTEGER NOT NULL) WITHOUT ROWID",
            "CREATE INDEX {p}idempotency_stream ON {idempotency} (stream_type, stream_id)",
            "CREATE TABLE {snapshots} (stream_type TEXT NOT NULL, stream_id TEXT NOT NULL, version INTEGER NOT NULL,"
                    + " state_schema TEXT NOT NULL, data BLOB NOT NULL,"
                    + " created_at INTEGER NOT NULL, PRIMARY KEY (stream_type, stream_id)) WITHOUT ROWID",
            "CREATE TABLE {checkpoints} (name TEXT NOT NULL PRIMARY KEY, commit_order INTEGER NOT NULL,"
                    + " sequence INTEGER NOT NULL, updated_at INTEGER NOT NULL) WITHOUT ROWID")),
            new Migration(2, "event tags and an event type index for Dynamic Consistency Boundary queries", List.of(
                    "CREATE TABLE {tags} (tag TEXT NOT NULL, event_type TEXT NOT NULL, seq INTEGER NOT NULL,"
                            + " PRIMARY KEY (tag, event_type, seq)) WITHOUT ROWID",
                    "CREATE INDEX {p}tags_seq ON {tags} (seq)",
                    "CREATE INDEX {p}events_type ON {events} (event_type, seq)")));

    private final Jdbi readers;
    private final ConnectionPool pool;
    private final Handle writer;
    private final int busyTimeoutMillis;
    private final ReentrantLock writeLock = new ReentrantLock();
    private final String columns;
    private final String headSql;
    private final String insertSql;
    private final String insertReturningSql;
    private final String insertTagSql;
    private final Map<String, PreparedStatement> writerStatements = new HashMap<>();
    /**
     * Statements kept per reader connection of the store's own pool (a bounded set of connections that live as long
     * as the store). Preparing is a large part of a short read on SQLite, so reads reuse them like the writer does.
     */
    private final Map<Connection, Map<String, PreparedStatement>> readerStatements = new ConcurrentHashMap<>();

    private SqliteDialect(TableNames tables, Jdbi readers, ConnectionPool pool, Handle writer, int busyTimeoutMillis) {
        super(tables);
        this.readers = readers;
        this.pool = pool;
        this.writer = writer;
        this.busyTimeoutMillis = busyTimeoutMillis;
        this.columns = EVENT_COLUMNS.replace("{commitOrder}", "0");
        this.headSql = "INSERT INTO " + tables.streams() + " AS st (stream_type, stream_id, version, status)"
                + " VALUES (?, ?, ?, 0) ON CONFLICT (stream_type, stream_id)"
                + " DO UPDATE SET version = st.version + excluded.version RETURNING version, status";
        this.insertSql = "INSERT INTO " + tables.events() + " (id, stream_type, stream_id, version, event_type,"
                + " schema_version, created_at, metadata, data) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)";
        this.insertReturningSql = insertSql + " RETURNING seq";
        this.insertTagSql = "INSERT INTO " + tables.tags() + " (tag, event_type, seq) VALUES (?, ?, ?)";
    }

    /**
     * Opens the SQLite file of {@code url} with a writer connection and a pool of {@code readerConnections} readers.
     *
     * @throws StoreConfigurationException for an in-memory database (readers could not see the writer's data)
     */
    public static SqliteDialect open(String url, TableNames tables, Synchronous synchronous, Duration busyTimeout,
                                     int readerConnections) {
        String lower = url.toLowerCase(java.util.Locale.ROOT);
        if (lower.contains(":memory:") || lower.contains("mode=memory") || lower.equals("jdbc:sqlite:")) {
            throw new StoreConfigurationException("\"" + url + "\" is an in-memory SQLite database, which the"
                    + " store's separate reader connections cannot share. Use a file (\"jdbc:sqlite:app.db\", a temp"
                    + " file in tests) or EventStore.inMemory().");
        }
        int busy = (int) busyTimeout.toMillis();
        Connection writerConnection;
        try {
            writerConnection = connect(url, busy, synchronous, true);
        } catch (SQLException e) {
            throw new StoreAccessException("open the SQLite database " + url, e);
        }
        Handle writer = Jdbi.create(() -> writerConnection).open();
        ConnectionPool pool = new ConnectionPool(() -> connect(url, busy, synchronous, false), readerConnections,
                Duration.ofSeconds(30));
        return new SqliteDialect(tables, Jdbi.create(pool), pool, writer, -1);
    }

    /** Uses {@code jdbi}'s connections: one held for the store's lifetime as the writer, others borrowed to read. */
    public static SqliteDialect on(Jdbi jdbi, TableNames tables, Synchronous synchronous, Duration busyTimeout) {
        int busy = (int) busyTimeout.toMillis();
        Handle writer = jdbi.open();
        try (Statement statement = writer.getConnection().createStatement()) {
            statement.execute("PRAGMA journal_mode = WAL");
            statement.execute("PRAGMA synchronous = " + synchronous.name());
            statement.execute("PRAGMA busy_timeout = " + busy);
        } catch (SQLException e) {
            writer.close();
            throw new StoreAccessException("configure the SQLite writer connection", e);
        }
        return new SqliteDialect(tables, jdbi, null, writer, busy);
    }

    private static Connection connect(String url, int busyTimeoutMillis, Synchronous synchronous, boolean writer)
            throws SQLException {
        SQLiteConfig config = new SQLiteConfig();
        config.setBusyTimeout(busyTimeoutMillis);
        config.setSynchronous(synchronous == Synchronous.FULL
                ? SQLiteConfig.SynchronousMode.FULL : SQLiteConfig.SynchronousMode.NORMAL);
        if (writer) {
            config.setJournalMode(SQLiteConfig.JournalMode.WAL);
        }
        Properties properties = config.toProperties();
        Connection connection = new org.sqlite.JDBC().connect(url, properties);
        if (!writer) {
            try (Statement statement = connection.createStatement()) {
                statement.execute("PRAGMA query_only = true");
            }
        }
        return connection;
    }

    @Override
    public String name() {
        return "SQLite";
    }

    @Override
    public <T> T inTransaction(HandleWork<T> work) throws SQLException {
        writeLock.lock();
        try {
            Connection connection = writer.getConnection();
            executeCached(connection, "BEGIN IMMEDIATE");
            try {
                T result = work.run(writer);
                executeCached(connection, "COMMIT");
                return result;
            } catch (Throwable failure) {
                // A statement that failed may be left in a state not worth reasoning about: prepare afresh.
                forgetWriterStatements();
                try {
                    execute(connection, "ROLLBACK");
                } catch (SQLException rollback) {
                    // A failed COMMIT may already have ended the transaction; anything else is worth reporting.
                    if (rollback.getMessage() == null || !rollback.getMessage().contains("no transaction is active")) {
                        failure.addSuppressed(rollback);
                    }
                }
                throw failure;
            }
        } finally {
            writeLock.unlock();
        }
    }

    private void executeCached(Connection connection, String sql) throws SQLException {
        PreparedStatement statement = prepare(connection, sql);
        try {
            statement.execute();
        } finally {
            release(statement);
        }
    }

    private static void execute(Connection connection, String sql) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }

    @Override
    public <T> T read(HandleWork<T> work) throws SQLException {
        try (Handle handle = readers.open()) {
            if (busyTimeoutMillis >= 0) {
                execute(handle.getConnection(), "PRAGMA busy_timeout = " + busyTimeoutMillis);
            }
            try {
                return work.run(handle);
            } catch (SQLException | RuntimeException failure) {
                // As on the writer: a statement that failed is prepared afresh next time.
                forgetReaderStatements(handle.getConnection());
                throw failure;
            }
        }
    }

    private void forgetReaderStatements(Connection connection) {
        Map<String, PreparedStatement> cache = readerStatements.remove(connection);
        if (cache != null) {
            for (PreparedStatement statement : cache.values()) {
                try {
                    statement.close();
                } catch (SQLException ignored) {
                    // The statement is dropped either way.
                }
            }
        }
    }

    @Override
    public List<Migration> migrations() {
        return MIGRATIONS;
    }

    @Override
    public void beginMigration(Handle handle) {
        // BEGIN IMMEDIATE already holds the database's write lock, so a second process migrates after this one.
    }

    @Override
    public StreamHead lockStream(Connection connection, StreamRef stream, int count) throws SQLException {
        // The write lock is already held; one upsert reads the stream's row and advances its version. A refused
        // append rolls it back.
        PreparedStatement upsert = prepare(connection, headSql);
        try {
            upsert.setString(1, stream.type());
            upsert.setString(2, stream.id());
            upsert.setLong(3, count);
            try (ResultSet row = upsert.executeQuery()) {
                row.next();
                return new StreamHead(row.getLong(1) - count, row.getInt(2), 0, null);
            }
        } finally {
            release(upsert);
        }
    }

    @Override
    public Position[] insertEvents(Connection connection, StreamHead head, EncodedAppend append) throws SQLException {
        int count = append.size();
        long last;
        if (count == 1) {
            PreparedStatement insert = prepare(connection, insertReturningSql);
            try {
                bindEvent(insert, 1, append, 0, head.version() + 1);
                try (ResultSet row = insert.executeQuery()) {
                    row.next();
                    last = row.getLong(1);
                }
            } finally {
                release(insert);
            }
        } else {
            PreparedStatement insert = prepare(connection, insertSql);
            try {
                for (int i = 0; i < count; i++) {
                    bindEvent(insert, 1, append, i, head.version() + i + 1);
                    insert.addBatch();
                }
                insert.executeBatch();
            } finally {
                release(insert);
            }
            PreparedStatement lastRow = prepare(connection, "SELECT last_insert_rowid()");
            try (ResultSet row = lastRow.executeQuery()) {
                row.next();
                last = row.getLong(1);
            } finally {
                release(lastRow);
            }
        }
        // One writer holds the database lock, so the batch got consecutive sequence numbers ending at `last`.
        Position[] positions = new Position[count];
        for (int i = 0; i < count; i++) {
            positions[i] = Position.of(last - count + 1 + i);
        }
        return positions;
    }

    @Override
    public void insertTags(Connection connection, Position[] positions, EncodedAppend append) throws SQLException {
        PreparedStatement insert = prepare(connection, insertTagSql);
        try {
            for (int i = 0; i < append.size(); i++) {
                for (dev.eskit.dcb.Tag tag : append.tags(i)) {
                    insert.setString(1, tag.value());
                    insert.setString(2, append.event(i).type());
                    insert.setLong(3, positions[i].sequence());
                    insert.addBatch();
                }
            }
            insert.executeBatch();
        } finally {
            release(insert);
        }
    }

    @Override
    protected String logKey(String alias) {
        return alias.isEmpty() ? "seq" : alias + ".seq";
    }

    @Override
    protected String afterSql(String alias) {
        return alias + ".seq > ?";
    }

    @Override
    protected Binder bindAfter(Position after) {
        // Commit order is always 0 here; a position from elsewhere with a commit order lies after the whole log.
        long sequence = after.commitOrder() > 0 ? Long.MAX_VALUE : after.sequence();
        return (statement, index) -> {
            statement.setLong(index, sequence);
            return index + 1;
        };
    }

    @Override
    protected String horizonSql(String alias) {
        // One writer assigns sequence numbers in commit order: every committed prefix is complete.
        return "";
    }

    @Override
    protected String commitOrderSql(String alias) {
        return "0";
    }

    @Override
    public void advanceStream(Connection connection, StreamRef stream, StreamHead head, long newVersion) {
        // lockStream already advanced the version.
    }

    @Override
    public PreparedStatement prepare(Connection connection, String sql) throws SQLException {
        if (connection != writer.getConnection()) {
            if (pool == null) {
                // Connections of a Jdbi or DataSource we do not own may be many and short-lived: no caching.
                return connection.prepareStatement(sql);
            }
            // A borrowed connection is used by one thread at a time, and the pool hands it over with a
            // happens-before edge, so the inner map needs no lock.
            Map<String, PreparedStatement> cache = readerStatements.computeIfAbsent(connection, c -> new HashMap<>());
            PreparedStatement cached = cache.get(sql);
            if (cached == null || cached.isClosed()) {
                cached = connection.prepareStatement(sql);
                cache.put(sql, cached);
            }
            return cached;
        }
        // Only used under the write lock, so a plain map is enough.
        PreparedStatement statement = writerStatements.get(sql);
        if (statement == null) {
            statement = connection.prepareStatement(sql);
            writerStatements.put(sql, statement);
        }
        return statement;
    }

    @Override
    public void release(PreparedStatement statement) throws SQLException {
        if (statement.getConnection() != writer.getConnection() && pool == null) {
            statement.close();
        } else {
            statement.clearParameters();
        }
    }

    private void forgetWriterStatements() {
        for (PreparedStatement statement : writerStatements.values()) {
            try {
                statement.close();
            } catch (SQLException ignored) {
                // The statement is dropped either way.
            }
        }
        writerStatements.clear();
    }

    @Override
    public String eventColumns() {
        return columns;
    }

    @Override
    public PreparedStatement prepareReadAll(Connection connection, Position after, int limit, Set<String> eventTypes)
            throws SQLException {
        StringBuilder sql = new StringBuilder(160).append("SELECT ").append(columns).append(" FROM ")
                .append(tables().events()).append(" WHERE seq > ?");
        if (!eventTypes.isEmpty()) {
            sql.append(" AND event_type IN (");
            for (int i = 0; i < eventTypes.size(); i++) {
                sql.append(i == 0 ? "?" : ", ?");
            }
            sql.append(')');
        }
        sql.append(" ORDER BY seq LIMIT ?");
        PreparedStatement query = prepare(connection, sql.toString());
        int index = 1;
        // A commit order above 0 comes from another kind of store; it is past everything here.
        query.setLong(index++, after.commitOrder() > 0 ? Long.MAX_VALUE : after.sequence());
        for (String type : eventTypes) {
            query.setString(index++, type);
        }
        query.setInt(index, limit);
        return query;
    }

    @Override
    public Position position(long commitOrder, long sequence) {
        return Position.of(sequence);
    }

    @Override
    public String forUpdate() {
        return "";
    }

    @Override
    public void setUuid(PreparedStatement statement, int index, UUID value) throws SQLException {
        statement.setBytes(index, ByteBuffer.allocate(16).putLong(value.getMostSignificantBits())
                .putLong(value.getLeastSignificantBits()).array());
    }

    @Override
    public UUID getUuid(ResultSet rows, int index) throws SQLException {
        ByteBuffer bytes = ByteBuffer.wrap(rows.getBytes(index));
        return new UUID(bytes.getLong(), bytes.getLong());
    }

    @Override
    public void setInstant(PreparedStatement statement, int index, Instant value) throws SQLException {
        statement.setLong(index, toMicros(value));
    }

    @Override
    public Instant getInstant(ResultSet rows, int index) throws SQLException {
        return fromMicros(rows.getLong(index));
    }

    @Override
    public boolean isUniqueViolation(SQLException error) {
        for (Throwable cause = error; cause != null; cause = cause.getCause()) {
            if (cause instanceof SQLiteException sqlite) {
                SQLiteErrorCode code = sqlite.getResultCode();
                if (code == SQLiteErrorCode.SQLITE_CONSTRAINT_UNIQUE
                        || code == SQLiteErrorCode.SQLITE_CONSTRAINT_PRIMARYKEY) {
                    return true;
                }
            }
            String message = cause.getMessage();
            if (message != null && message.contains("UNIQUE constraint failed")) {
                return true;
            }
        }
        return false;
    }

    @Override
    public void close() {
        writeLock.lock();
        try {
            forgetWriterStatements();
            writer.close();
        } catch (JdbiException e) {
            // Closing is best effort: the process may be going down anyway.
        } finally {
            writeLock.unlock();
        }
        if (pool != null) {
            // Closing the connections closes their statements.
            pool.close();
            readerStatements.clear();
        }
    }
}
