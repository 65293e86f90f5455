package dev.eskit.jdbi.postgres;

import dev.eskit.Position;
import dev.eskit.StreamRef;
import dev.eskit.jdbi.Dialect;
import dev.eskit.jdbi.EncodedAppend;
import dev.eskit.jdbi.Migration;
import dev.eskit.jdbi.StoreConfigurationException;
import dev.eskit.jdbi.TableNames;
import dev.eskit.jdbi.internal.ConnectionPool;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/**
 * PostgreSQL. An append is one transaction: it takes an advisory lock on its stream (so appends to one stream queue
 * up instead of failing late, and get their transaction ids in version order), upserts the stream's row, checks the
 * expected version, and inserts the events with sequence numbers taken from a sequence and the transaction id from
 * {@code pg_current_xact_id()}. The unique (stream type, stream id, version) constraint backs the version check up.
 *
 * <p>The global log is read ordered by (tx, seq) and only below {@code pg_snapshot_xmin(pg_current_snapshot())}: every
 * transaction below that horizon has ended, and every later transaction gets a larger id, so a page once read never
 * gains an earlier event. A still-running writer holds the log back (never for a fixed timeout, and never by skipping).
 */
public final class PostgresDialect extends Dialect {

    private static final List<Migration> MIGRATIONS = List.of(new Migration(1, "events, streams, idempotency keys,"
            + " snapshots, checkpoints", List.of(
            "CREATE SEQUENCE {q}events_seq AS bigint",
            "CREATE TABLE {events} (tx xid8 NOT NULL DEFAULT pg_current_xact_id(), seq bigint NOT NULL,"
                    + " id uuid NOT NULL, stream_type text NOT NULL, stream_id text NOT NULL, version bigint NOT NULL,"
                    + " event_type text NOT NULL, schema_version integer NOT NULL, created_at timestamptz NOT NULL,"
                    + " metadata bytea, data bytea NOT NULL,"
                    + " CONSTRAINT {p}events_pkey PRIMARY KEY (tx, seq),"
                    + " CONSTRAINT {p}events_stream_version UNIQUE (stream_type, stream_id, version))",
            "ALTER SEQUENCE {q}events_seq OWNED BY {events}.seq",
            "CREATE TABLE {streams} (stream_type text NOT NULL, stream_id text NOT NULL, version bigint NOT NULL,"
                    + " status smallint NOT NULL DEFAULT 0,"
                    + " CONSTRAINT {p}streams_pkey PRIMARY KEY (stream_type, stream_id))",
            "CREATE TABLE {idempotency} (idempotency_key text NOT NULL, stream_type text NOT NULL,"
                    + " stream_id text NOT NULL, first_version bigint NOT NULL, last_version bigint NOT NULL,"
                    + " created_at timestamptz NOT NULL, CONSTRAINT {p}idempotency_pkey PRIMARY KEY (idempotency_key))",
            "CREATE INDEX {p}idempotency_stream ON {idempotency} (stream_type, stream_id)",
            "CREATE TABLE {snapshots} (stream_type text NOT NULL, stream_id text NOT NULL, version bigint NOT NULL,"
                    + " state_schema text NOT NULL, data bytea NOT NULL,"
                    + " created_at timestamptz NOT NULL,"
                    + " CONSTRAINT {p}snapshots_pkey PRIMARY KEY (stream_type, stream_id))",
            "CREATE TABLE {checkpoints} (name text NOT NULL, commit_order bigint NOT NULL, sequence bigint NOT NULL,"
                    + " updated_at timestamptz NOT NULL, CONSTRAINT {p}checkpoints_pkey PRIMARY KEY (name))")),
            new Migration(2, "event tags and an event type index for Dynamic Consistency Boundary queries", List.of(
                    "CREATE TABLE {tags} (tag text NOT NULL, event_type text NOT NULL, tx xid8 NOT NULL,"
                            + " seq bigint NOT NULL,"
                            + " CONSTRAINT {p}tags_pkey PRIMARY KEY (tag, event_type, tx, seq))",
                    "CREATE INDEX {p}tags_seq ON {tags} (seq)",
                    "CREATE INDEX {p}events_type ON {events} (event_type, tx, seq)")));

    /** Takes advisory locks on bigint keys, each exclusive or shared, in array order. */
    private static final String BOUNDARY_LOCKS = "SELECT CASE WHEN u.x THEN pg_advisory_xact_lock(u.k)"
            + " ELSE pg_advisory_xact_lock_shared(u.k) END FROM unnest(?::bigint[], ?::boolean[]) AS u(k, x)";

    private final Jdbi jdbi;
    private final ConnectionPool pool;
    private final String columns;
    private final int lockSpace;
    private final String headSql;
    private final String headWithKeysSql;
    private final String headAfterBoundarySql;
    private final String insertTagSql;
    private final String insertSql;
    private final String readAllSql;
    private final String readAllFilteredSql;

    private PostgresDialect(TableNames tables, Jdbi jdbi, ConnectionPool pool) {
        super(tables);
        this.jdbi = jdbi;
        this.pool = pool;
        this.columns = EVENT_COLUMNS.replace("{commitOrder}", "tx::text::bigint");
        // Stream locks use the two-key advisory lock space (apart from applications' one-key locks), keyed by store.
        this.lockSpace = tables.events().hashCode();
        // The advisory lock comes first and assigns no transaction id; the upsert after it does. So a stream's
        // appends get their transaction ids in the order they hold the stream, and a later version always has a later
        // (tx, seq) position. One statement string, one round trip.
        // READ COMMITTED (whatever the pool's default) lets the statements after the lock see what the previous
        // holder committed.
        this.headSql = tables.render("SET TRANSACTION ISOLATION LEVEL READ COMMITTED;"
                + " SELECT pg_advisory_xact_lock(?, ?); WITH head AS (INSERT INTO {streams} AS st (stream_type, stream_id, version,"
                + " status) VALUES (?, ?, ?, 0) ON CONFLICT (stream_type, stream_id)"
                + " DO UPDATE SET version = st.version + excluded.version RETURNING st.version, st.status)"
                + " SELECT version, status, pg_current_xact_id()::text::bigint,"
                + " ARRAY(SELECT nextval('{q}events_seq') FROM generate_series(1, ?)) FROM head");
        // The same, with the shared boundary locks of the events after the stream lock (still before the tx id).
        this.headWithKeysSql = headSql.replace("SELECT pg_advisory_xact_lock(?, ?);",
                "SELECT pg_advisory_xact_lock(?, ?); SELECT pg_advisory_xact_lock_shared(u.k)"
                        + " FROM unnest(?::bigint[]) AS u(k);");
        // A DCB append's transaction started with its boundary locks; its stream is new, so nobody waits for it.
        this.headAfterBoundarySql = headSql.substring(headSql.indexOf("SELECT pg_advisory_xact_lock(?, ?);"));
        this.insertTagSql = "INSERT INTO " + tables.tags() + " (tag, event_type, tx, seq)"
                + " VALUES (?, ?, pg_current_xact_id(), ?)";
        this.insertSql = "INSERT INTO " + tables.events() + " (seq, id, stream_type, stream_id, version, event_type,"
                + " schema_version, created_at, metadata, data) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
        String readAll = "SELECT " + columns + " FROM " + tables.events()
                + " WHERE (tx, seq) > (?::text::xid8, ?) AND tx < pg_snapshot_xmin(pg_current_snapshot())";
        this.readAllSql = readAll + " ORDER BY tx, seq LIMIT ?";
        this.readAllFilteredSql = readAll + " AND event_type = ANY (?) ORDER BY tx, seq LIMIT ?";
    }

    /** Connects to {@code url} through a built-in pool of at most {@code maxConnections} connections. */
    public static PostgresDialect open(String url, TableNames tables, int maxConnections) {
        org.postgresql.Driver driver = new org.postgresql.Driver();
        ConnectionPool pool = new ConnectionPool(() -> {
            Connection connection = driver.connect(url, new Properties());
            if (connection == null) {
                throw new StoreConfigurationException("\"" + url + "\" is not a PostgreSQL JDBC URL.");
            }
            return connection;
        }, maxConnections, Duration.ofSeconds(30));
        return new PostgresDialect(tables, Jdbi.create(pool), pool);
    }

    /** Uses {@code jdbi}'s connections (typically from a pool such as HikariCP). */
    public static PostgresDialect on(Jdbi jdbi, TableNames tables) {
        return new PostgresDialect(tables, jdbi, null);
    }

    @Override
    public String name() {
        return "PostgreSQL";
    }

    @Override
    public <T> T inTransaction(HandleWork<T> work) throws SQLException {
        try (Handle handle = jdbi.open()) {
            Connection connection = handle.getConnection();
            connection.setAutoCommit(false);
            try {
                T result = work.run(handle);
                connection.commit();
                return result;
            } catch (Throwable failure) {
                try {
                    connection.rollback();
                } catch (SQLException rollback) {
                    failure.addSuppressed(rollback);
                }
                dropIfBroken(connection, failure);
                throw failure;
            } finally {
                try {
                    connection.setAutoCommit(true);
                } catch (SQLException ignored) {
                    // A broken connection is dropped by the pool when it is returned.
                }
            }
        }
    }

    @Override
    public <T> T read(HandleWork<T> work) throws SQLException {
        try (Handle handle = jdbi.open()) {
            try {
                return work.run(handle);
            } catch (SQLException | RuntimeException failure) {
                dropIfBroken(handle.getConnection(), failure);
                throw failure;
            }
        }
    }

    /**
     * Closes a connection that failed with a connection-class error (SQLState 08xxx, or the server shutting down),
     * so that a pool drops it instead of handing it out again.
     */
    private static void dropIfBroken(Connection connection, Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof SQLException sql && sql.getSQLState() != null
                    && (sql.getSQLState().startsWith("08") || sql.getSQLState().startsWith("57P"))) {
                try {
                    connection.close();
                } catch (SQLException ignored) {
                    // It is broken already.
                }
                return;
            }
        }
    }

    @Override
    public List<Migration> migrations() {
        return MIGRATIONS;
    }

    @Override
    public void beginMigration(Handle handle) throws SQLException {
        Connection connection = handle.getConnection();
        try (PreparedStatement lock = connection.prepareStatement("SELECT pg_advisory_xact_lock(hashtext(?))")) {
            lock.setString(1, "eskit-migrate:" + tables().schema() + "." + tables().prefix());
            lock.execute();
        }
        boolean exists;
        try (PreparedStatement query = connection.prepareStatement(
                "SELECT 1 FROM pg_namespace WHERE nspname = ?")) {
            query.setString(1, tables().schema());
            try (ResultSet row = query.executeQuery()) {
                exists = row.next();
            }
        }
        if (!exists) {
            try (var statement = connection.createStatement()) {
                statement.execute(tables().render("CREATE SCHEMA {schema}"));
            }
        }
    }

    @Override
    public StreamHead lockStream(Connection connection, StreamRef stream, int count) throws SQLException {
        return head(connection, headSql, stream, count, null, 2);
    }

    @Override
    public StreamHead lockStream(Connection connection, StreamRef stream, int count, long[] sharedKeys)
            throws SQLException {
        if (sharedKeys.length == 0) {
            return lockStream(connection, stream, count);
        }
        return head(connection, headWithKeysSql, stream, count, sharedKeys, 3);
    }

    @Override
    public StreamHead lockStreamAfterBoundary(Connection connection, StreamRef stream, int count)
            throws SQLException {
        return head(connection, headAfterBoundarySql, stream, count, null, 1);
    }

    @Override
    public boolean locksQueryReads() {
        return true;
    }

    @Override
    public void lockBoundary(Connection connection, long[] keys, boolean[] exclusive) throws SQLException {
        // READ COMMITTED (whatever the pool's default): the condition check after the locks sees what every append
        // this one waited for committed.
        try (var statement = connection.createStatement()) {
            statement.execute("SET TRANSACTION ISOLATION LEVEL READ COMMITTED");
        }
        if (keys.length == 0) {
            return;
        }
        Boolean[] modes = new Boolean[exclusive.length];
        for (int i = 0; i < modes.length; i++) {
            modes[i] = exclusive[i];
        }
        Long[] boxed = Arrays.stream(keys).boxed().toArray(Long[]::new);
        try (PreparedStatement lock = connection.prepareStatement(BOUNDARY_LOCKS)) {
            lock.setArray(1, connection.createArrayOf("bigint", boxed));
            lock.setArray(2, connection.createArrayOf("boolean", modes));
            try (ResultSet rows = lock.executeQuery()) {
                while (rows.next()) {
                    // Each row is one lock taken, in key order.
                }
            }
        }
    }

    /**
     * Runs a head statement: {@code skip} result sets come before the head row (SET counts as none, as it returns
     * an update count).
     */
    private StreamHead head(Connection connection, String sql, StreamRef stream, int count, long[] sharedKeys,
                            int skip) throws SQLException {
        try (PreparedStatement query = connection.prepareStatement(sql)) {
            int index = 1;
            query.setInt(index++, lockSpace);
            query.setInt(index++, (stream.type() + '\u001f' + stream.id()).hashCode());
            if (sharedKeys != null) {
                query.setArray(index++, connection.createArrayOf("bigint",
                        Arrays.stream(sharedKeys).boxed().toArray(Long[]::new)));
            }
            query.setString(index++, stream.type());
            query.setString(index++, stream.id());
            query.setLong(index++, count);
            query.setInt(index, count);
            query.execute();
            for (int i = 1; i < skip; i++) {
                query.getMoreResults();
            }
            if (!query.getMoreResults()) {
                throw new SQLException("The stream lock statement returned no stream row.");
            }
            try (ResultSet row = query.getResultSet()) {
                row.next();
                long newVersion = row.getLong(1);
                int status = row.getInt(2);
                long tx = row.getLong(3);
                Array array = row.getArray(4);
                Object[] values = (Object[]) array.getArray();
                long[] sequences = new long[values.length];
                for (int i = 0; i < values.length; i++) {
                    sequences[i] = ((Number) values[i]).longValue();
                }
                array.free();
                Arrays.sort(sequences);
                return new StreamHead(newVersion - count, status, tx, sequences);
            }
        }
    }

    @Override
    public Position[] insertEvents(Connection connection, StreamHead head, EncodedAppend append) throws SQLException {
        int count = append.size();
        long[] sequences = head.sequences();
        Position[] positions = new Position[count];
        try (PreparedStatement insert = connection.prepareStatement(insertSql)) {
            for (int i = 0; i < count; i++) {
                insert.setLong(1, sequences[i]);
                bindEvent(insert, 2, append, i, head.version() + i + 1);
                positions[i] = new Position(head.commitOrder(), sequences[i]);
                if (count == 1) {
                    insert.executeUpdate();
                } else {
                    insert.addBatch();
                }
            }
            if (count > 1) {
                insert.executeBatch();
            }
        }
        return positions;
    }

    @Override
    public void insertTags(Connection connection, Position[] positions, EncodedAppend append) throws SQLException {
        try (PreparedStatement insert = connection.prepareStatement(insertTagSql)) {
            for (int i = 0; i < append.size(); i++) {
                for (dev.eskit.dcb.Tag tag : append.tags(i)) {
                    insert.setString(1, tag.value());
                    insert.setString(2, append.event(i).type());
                    insert.setLong(3, positions[i].sequence());
                    insert.addBatch();
                }
            }
            insert.executeBatch();
        }
    }

    @Override
    protected String logKey(String alias) {
        return alias.isEmpty() ? "tx, seq" : alias + ".tx, " + alias + ".seq";
    }

    @Override
    protected String afterSql(String alias) {
        return "(" + alias + ".tx, " + alias + ".seq) > (?::text::xid8, ?)";
    }

    @Override
    protected Binder bindAfter(Position after) {
        return (statement, index) -> {
            statement.setString(index, Long.toString(after.commitOrder()));
            statement.setLong(index + 1, after.sequence());
            return index + 2;
        };
    }

    @Override
    protected String horizonSql(String alias) {
        return " AND " + alias + ".tx < pg_snapshot_xmin(pg_current_snapshot())";
    }

    @Override
    protected String commitOrderSql(String alias) {
        return alias + ".tx::text::bigint";
    }

    @Override
    public void advanceStream(Connection connection, StreamRef stream, StreamHead head, long newVersion) {
        // lockStream already set the new version.
    }

    @Override
    public String eventColumns() {
        return columns;
    }

    @Override
    public PreparedStatement prepareReadAll(Connection connection, Position after, int limit, Set<String> eventTypes)
            throws SQLException {
        PreparedStatement query = connection.prepareStatement(eventTypes.isEmpty() ? readAllSql : readAllFilteredSql);
        query.setString(1, Long.toString(after.commitOrder()));
        query.setLong(2, after.sequence());
        if (eventTypes.isEmpty()) {
            query.setInt(3, limit);
        } else {
            query.setArray(3, connection.createArrayOf("text", eventTypes.toArray()));
            query.setInt(4, limit);
        }
        return query;
    }

    @Override
    public Position position(long commitOrder, long sequence) {
        return new Position(commitOrder, sequence);
    }

    @Override
    public String forUpdate() {
        return " FOR UPDATE";
    }

    @Override
    public void setUuid(PreparedStatement statement, int index, UUID value) throws SQLException {
        statement.setObject(index, value);
    }

    @Override
    public UUID getUuid(ResultSet rows, int index) throws SQLException {
        return rows.getObject(index, UUID.class);
    }

    @Override
    public void setInstant(PreparedStatement statement, int index, Instant value) throws SQLException {
        statement.setObject(index, OffsetDateTime.ofInstant(value, ZoneOffset.UTC));
    }

    @Override
    public Instant getInstant(ResultSet rows, int index) throws SQLException {
        return rows.getObject(index, OffsetDateTime.class).toInstant();
    }

    @Override
    public boolean isUniqueViolation(SQLException error) {
        for (SQLException e = error; e != null; e = e.getNextException()) {
            for (Throwable cause = e; cause != null; cause = cause.getCause()) {
                if (cause instanceof SQLException sql && "23505".equals(sql.getSQLState())) {
                    return true;
                }
            }
        }
        return false;
    }

    @Override
    public void close() {
        if (pool != null) {
            pool.close();
        }
    }
}
