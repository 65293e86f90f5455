package dev.eskit.jdbi;

import dev.eskit.Position;
import dev.eskit.StreamRef;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import dev.eskit.dcb.Query;
import dev.eskit.dcb.QueryItem;
import dev.eskit.dcb.Tag;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.jdbi.v3.core.Handle;

/**
 * What differs between the databases {@link JdbiEventStore} runs on: how connections are used, the DDL, how an append
 * locks its stream and gets global positions, and how the global log is read. Everything else is shared SQL in
 * {@link JdbiEventStore}.
 *
 * <p>This is the seam between the store and its built-in dialects ({@code dev.eskit.jdbi.sqlite.SqliteDialect},
 * {@code dev.eskit.jdbi.postgres.PostgresDialect}); it is public only because they live in their own packages. Its
 * methods may change between releases.
 */
public abstract class Dialect implements AutoCloseable {

    /** Stream status stored in the streams table: accepts appends. */
    public static final int ACTIVE = 0;
    /** Stream status stored in the streams table: read-only. */
    public static final int ARCHIVED = 1;
    /** Stream status stored in the streams table: closed for good. */
    public static final int TOMBSTONED = 2;

    /**
     * The columns every event query selects, in this order: seq, commit_order, id, stream_type, stream_id, version,
     * event_type, schema_version, created_at, metadata, data. {@code {commitOrder}} is replaced by the dialect's
     * expression for the commit order.
     */
    protected static final String EVENT_COLUMNS = "seq, {commitOrder} AS commit_order, id, stream_type, stream_id,"
            + " version, event_type, schema_version, created_at, metadata, data";

    private final TableNames tables;

    /** A dialect for the given table names. */
    protected Dialect(TableNames tables) {
        this.tables = tables;
    }

    /** The store's table names. */
    public final TableNames tables() {
        return tables;
    }

    /** {@code "SQLite"} or {@code "PostgreSQL"}. */
    public abstract String name();

    /** Work on a Jdbi handle that may fail with an {@link SQLException}. */
    @FunctionalInterface
    public interface HandleWork<T> {
        /** Does the work. */
        T run(Handle handle) throws SQLException;
    }

    /**
     * Runs {@code work} in a write transaction: commits when it returns, rolls back and rethrows when it throws.
     */
    public abstract <T> T inTransaction(HandleWork<T> work) throws SQLException;

    /** Runs {@code work} on a connection in auto-commit mode, for reads. */
    public abstract <T> T read(HandleWork<T> work) throws SQLException;

    /** The versioned migrations of this dialect's schema, in ascending order. */
    public abstract List<Migration> migrations();

    /**
     * Prepares the migration transaction: takes whatever lock keeps two processes from migrating at once and creates
     * the schema if needed. Runs inside {@link #inTransaction(HandleWork)} before the migrations table is read.
     */
    public abstract void beginMigration(Handle handle) throws SQLException;

    /**
     * A stream's state at the start of an append, read (and on PostgreSQL locked) inside the append's transaction.
     *
     * @param version     the stream's version before the append
     * @param status      {@link #ACTIVE}, {@link #ARCHIVED} or {@link #TOMBSTONED}
     * @param commitOrder the transaction's commit order (0 where the sequence alone orders the log)
     * @param sequences   pre-allocated global sequence numbers for the events, or {@code null} when the database
     *                    assigns them on insert
     */
    public record StreamHead(long version, int status, long commitOrder, long[] sequences) {
    }

    /**
     * Reads and locks the stream's row for an append of {@code count} events. May already advance the stored version
     * (the transaction is rolled back if the append is refused).
     */
    public abstract StreamHead lockStream(Connection connection, StreamRef stream, int count) throws SQLException;

    /** Inserts the events at versions {@code head.version() + 1 ...} and returns their global positions. */
    public abstract Position[] insertEvents(Connection connection, StreamHead head, EncodedAppend append)
            throws SQLException;

    /** Records the stream's new version after the events were inserted (unless {@link #lockStream} already did). */
    public abstract void advanceStream(Connection connection, StreamRef stream, StreamHead head, long newVersion)
            throws SQLException;

    /** The columns to select for events; see {@link #EVENT_COLUMNS}. */
    public abstract String eventColumns();

    /**
     * A statement that selects up to {@code limit} events after {@code after} in global order, of the given types
     * (all when empty), with the columns of {@link #eventColumns()}. Hand it back with {@link #release}.
     */
    public abstract PreparedStatement prepareReadAll(Connection connection, Position after, int limit,
                                                     Set<String> eventTypes) throws SQLException;

    /** The position of an event from its stored sequence and commit order. */
    public abstract Position position(long commitOrder, long sequence);

    /** The row-lock suffix for a SELECT inside a write transaction ({@code " FOR UPDATE"} or empty). */
    public abstract String forUpdate();

    /** Binds a UUID parameter. */
    public abstract void setUuid(PreparedStatement statement, int index, UUID value) throws SQLException;

    /** Reads a UUID column. */
    public abstract UUID getUuid(ResultSet rows, int index) throws SQLException;

    /** Binds a timestamp parameter (microsecond precision). */
    public abstract void setInstant(PreparedStatement statement, int index, Instant value) throws SQLException;

    /** Reads a timestamp column. */
    public abstract Instant getInstant(ResultSet rows, int index) throws SQLException;

    /**
     * A prepared statement for {@code sql} on {@code connection}. Hand it back with {@link #release} instead of
     * closing it: a dialect may keep it for the next call (SQLite does on its single writer connection).
     */
    public PreparedStatement prepare(Connection connection, String sql) throws SQLException {
        return connection.prepareStatement(sql);
    }

    /** Hands back a statement of {@link #prepare}; closes it unless the dialect keeps it. */
    public void release(PreparedStatement statement) throws SQLException {
        statement.close();
    }

    /** Whether {@code error} (or one chained to it) is a unique-constraint violation. */
    public abstract boolean isUniqueViolation(SQLException error);

    /** Releases the dialect's connections. */
    @Override
    public abstract void close();

    /**
     * Binds the nine event columns id, stream_type, stream_id, version, event_type, schema_version, created_at,
     * metadata, data of event {@code index} of {@code append}, starting at parameter {@code first}.
     */
    protected final void bindEvent(PreparedStatement statement, int first, EncodedAppend append, int index,
                                   long version) throws SQLException {
        setUuid(statement, first, append.id(index));
        statement.setString(first + 1, append.stream().type());
        statement.setString(first + 2, append.stream().id());
        statement.setLong(first + 3, version);
        statement.setString(first + 4, append.event(index).type());
        statement.setInt(first + 5, append.event(index).schemaVersion());
        setInstant(statement, first + 6, append.timestamp());
        statement.setBytes(first + 7, append.metadata());
        statement.setBytes(first + 8, append.event(index).data());
    }

    // ------------------------------------------------------------------------ dynamic consistency boundaries

    /** Binds one parameter of a generated statement. */
    @FunctionalInterface
    protected interface Binder {
        /** Binds at {@code index}; returns the next free index. */
        int bind(PreparedStatement statement, int index) throws SQLException;
    }

    /** The log-order key columns of an event or tag row: {@code "a.seq"}, or {@code "a.tx, a.seq"}. */
    protected abstract String logKey(String alias);

    /** The predicate "row {@code alias} comes after the bound position". */
    protected abstract String afterSql(String alias);

    /** Binds a position for {@link #afterSql(String)}. */
    protected abstract Binder bindAfter(Position after);

    /** The visibility horizon for reads ({@code " AND ..."}), or empty. */
    protected abstract String horizonSql(String alias);

    /** The commit order of row {@code alias}, as a bigint expression. */
    protected abstract String commitOrderSql(String alias);

    /**
     * Inserts the tag rows of {@code append}'s events (stored at {@code positions}); does nothing when they have no
     * tags.
     */
    public abstract void insertTags(Connection connection, Position[] positions, EncodedAppend append)
            throws SQLException;

    /**
     * Starts a DCB append transaction by taking the boundary locks {@code keys} (sorted ascending), each exclusive or
     * shared as {@code exclusive} says, before anything else. SQLite's single writer needs none.
     */
    public void lockBoundary(Connection connection, long[] keys, boolean[] exclusive) throws SQLException {
    }

    /** {@link #lockStream} in a transaction that {@link #lockBoundary} has already started. */
    public StreamHead lockStreamAfterBoundary(Connection connection, StreamRef stream, int count)
            throws SQLException {
        return lockStream(connection, stream, count);
    }

    /**
     * {@link #lockStream} that also takes the shared boundary locks {@code sharedKeys} (sorted ascending) of the
     * events it will write, after the stream lock and before the transaction gets its id.
     */
    public StreamHead lockStream(Connection connection, StreamRef stream, int count, long[] sharedKeys)
            throws SQLException {
        return lockStream(connection, stream, count);
    }

    /**
     * Whether query reads run in a transaction that first takes the query's boundary locks exclusively (waiting for
     * every in-flight append of a matching event) instead of reading below a visibility horizon. PostgreSQL: yes;
     * SQLite, whose single writer commits in sequence order: no.
     */
    public boolean locksQueryReads() {
        return false;
    }

    /**
     * Up to {@code limit} events matching {@code query} after {@code after}, in log order: below the read horizon, or
     * every committed one when {@code horizon} is false (under the boundary locks).
     */
    public final PreparedStatement prepareQueryRead(Connection connection, Query query, Position after, int limit,
                                                    boolean horizon) throws SQLException {
        List<Binder> binders = new ArrayList<>();
        StringBuilder sql = new StringBuilder("SELECT ").append(eventColumns()).append(" FROM ")
                .append(tables.events()).append(" WHERE (").append(logKey("")).append(") IN (");
        itemUnion(sql, binders, query, after, limit, horizon);
        sql.append(") ORDER BY ").append(logKey("")).append(" LIMIT ?");
        binders.add((statement, index) -> {
            statement.setInt(index, limit);
            return index + 1;
        });
        return bound(connection, sql.toString(), binders);
    }

    /**
     * The position of an event matching {@code query} after {@code after} (everything committed, no horizon), or
     * {@code null}. Call it under the boundary locks.
     */
    public final Position findConflict(Connection connection, Query query, Position after) throws SQLException {
        List<Binder> binders = new ArrayList<>();
        StringBuilder sql = new StringBuilder("SELECT c.seq, ").append(commitOrderSql("c")).append(" FROM (");
        itemUnion(sql, binders, query, after, 1, false);
        sql.append(") c LIMIT 1");
        try (PreparedStatement statement = bound(connection, sql.toString(), binders);
             ResultSet row = statement.executeQuery()) {
            return row.next() ? position(row.getLong(2), row.getLong(1)) : null;
        }
    }

    private PreparedStatement bound(Connection connection, String sql, List<Binder> binders) throws SQLException {
        PreparedStatement statement = connection.prepareStatement(sql);
        try {
            int index = 1;
            for (Binder binder : binders) {
                index = binder.bind(statement, index);
            }
            return statement;
        } catch (SQLException | RuntimeException e) {
            statement.close();
            throw e;
        }
    }

    /** One sub-select per query item (each in log order with its own limit), joined by UNION. */
    private void itemUnion(StringBuilder sql, List<Binder> binders, Query query, Position after, int limit,
                           boolean horizon) {
        List<QueryItem> items = query.isAll() ? List.of(QueryItem.any()) : query.items();
        for (int i = 0; i < items.size(); i++) {
            QueryItem item = items.get(i);
            if (i > 0) {
                sql.append(" UNION ");
            }
            String alias;
            sql.append("SELECT * FROM (SELECT ");
            if (item.tags().isEmpty()) {
                alias = "x";
                sql.append(logKey(alias)).append(" FROM ").append(tables.events()).append(" x WHERE ");
            } else {
                alias = "a0";
                sql.append(logKey(alias)).append(" FROM ").append(tables.tags()).append(" a0");
                List<Tag> tags = item.tags();
                for (int t = 1; t < tags.size(); t++) {
                    String other = "a" + t;
                    sql.append(" JOIN ").append(tables.tags()).append(' ').append(other).append(" ON ")
                            .append(other).append(".tag = ? AND ").append(other).append(".event_type = a0.event_type");
                    for (String column : logKey("").split(", ")) {
                        sql.append(" AND ").append(other).append('.').append(column).append(" = a0.").append(column);
                    }
                    binders.add(string(tags.get(t).value()));
                }
                sql.append(" WHERE a0.tag = ? AND ");
                binders.add(string(tags.get(0).value()));
            }
            if (!item.types().isEmpty()) {
                sql.append(alias).append(".event_type IN (");
                for (int t = 0; t < item.types().size(); t++) {
                    sql.append(t == 0 ? "?" : ", ?");
                    binders.add(string(item.types().get(t)));
                }
                sql.append(") AND ");
            }
            sql.append(afterSql(alias));
            binders.add(bindAfter(after));
            if (horizon) {
                sql.append(horizonSql(alias));
            }
            sql.append(" ORDER BY ").append(logKey(alias)).append(" LIMIT ?) i").append(i);
            binders.add((statement, index) -> {
                statement.setInt(index, limit);
                return index + 1;
            });
        }
    }

    private static Binder string(String value) {
        return (statement, index) -> {
            statement.setString(index, value);
            return index + 1;
        };
    }

    /** Microseconds since the epoch. */
    protected static long toMicros(Instant instant) {
        return Math.addExact(Math.multiplyExact(instant.getEpochSecond(), 1_000_000L), instant.getNano() / 1_000);
    }

    /** The instant of {@code micros} microseconds since the epoch. */
    protected static Instant fromMicros(long micros) {
        return Instant.ofEpochSecond(Math.floorDiv(micros, 1_000_000L), Math.floorMod(micros, 1_000_000L) * 1_000L);
    }
}
