package dev.eskit.jdbi;

import dev.eskit.Position;
import dev.eskit.StreamRef;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
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
     * (all when empty), with the columns of {@link #eventColumns()}.
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

    /** Microseconds since the epoch. */
    protected static long toMicros(Instant instant) {
        return Math.addExact(Math.multiplyExact(instant.getEpochSecond(), 1_000_000L), instant.getNano() / 1_000);
    }

    /** The instant of {@code micros} microseconds since the epoch. */
    protected static Instant fromMicros(long micros) {
        return Instant.ofEpochSecond(Math.floorDiv(micros, 1_000_000L), Math.floorMod(micros, 1_000_000L) * 1_000L);
    }
}
