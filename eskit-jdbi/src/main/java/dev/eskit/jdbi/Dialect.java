package dev.eskit.jdbi;

import dev.eskit.Position;
import dev.eskit.StreamRef;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Set;
import java.util.UUID;
import org.jdbi.v3.core.argument.Argument;

/**
 * What a database's SQL looks like: the statements of the store (built once from the validated {@link TableNames}),
 * the fragments of Dynamic Consistency Boundary queries, and how ids, timestamps and positions are bound and read.
 * A dialect executes nothing; its {@link Database engine} runs the statements. The shared statements live here; a
 * dialect overrides what its database spells differently.
 */
abstract class Dialect {

    /** Stream status stored in the streams table: accepts appends. */
    static final int ACTIVE = 0;
    /** Stream status stored in the streams table: read-only. */
    static final int ARCHIVED = 1;
    /** Stream status stored in the streams table: closed for good. */
    static final int TOMBSTONED = 2;

    /**
     * The columns every event query selects: seq, commit order, id, stream, version, type, schema, time, metadata,
     * data, and (12) the data's codec, NULL for {@code 'json'}: most rows are JSON, and a NULL costs the reader no
     * string per row (about 100-250 ns of CPU per row on SQLite).
     */
    private static final String EVENT_COLUMNS = "seq, {commitOrder} AS commit_order, id, stream_type, stream_id,"
            + " version, event_type, schema_version, created_at, metadata, data, NULLIF(codec, 'json') AS codec";

    final TableNames tables;
    final String columns;
    final String loadSql;
    final String loadPageSql;
    final String versionSql;
    final String versionStatusSql;
    /**
     * The version of the stream whose streams row is aliased {@code s}: the highest of its events' versions, from the
     * unique (stream, version) index (0 when it has none).
     */
    final String streamVersionOfRow;
    final String statusSql;
    final String findKeySql;
    final String insertKeySql;
    final String ensureStreamSql;
    final String setStatusSql;
    final String idAtVersionSql;

    Dialect(TableNames tables) {
        this.tables = tables;
        TableNames t = tables;
        this.columns = EVENT_COLUMNS.replace("{commitOrder}", commitOrderSql(""));
        String stream = " WHERE stream_type = ? AND stream_id = ?";
        this.loadSql = "SELECT " + columns + " FROM " + t.events() + stream
                + " AND version >= ? AND version <= ? ORDER BY version";
        this.loadPageSql = "SELECT " + columns + " FROM " + t.events() + stream
                + " AND version >= ? ORDER BY version LIMIT ?";
        // A stream's version is the highest of its events' versions (read from the unique (stream, version) index;
        // schema version 10): SQLite's appends do not write the stream's row, which holds its status (PostgreSQL's
        // keep its version column current as well).
        this.versionSql = "SELECT coalesce(max(version), 0) FROM " + t.events() + stream;
        this.streamVersionOfRow = "(SELECT coalesce(max(e.version), 0) FROM " + t.events() + " e"
                + " WHERE e.stream_type = s.stream_type AND e.stream_id = s.stream_id)";
        this.versionStatusSql = "SELECT " + streamVersionOfRow + ", s.status FROM " + t.streams()
                + " s WHERE s.stream_type = ? AND s.stream_id = ?";
        this.statusSql = "SELECT status FROM " + t.streams() + stream;
        this.findKeySql = "SELECT stream_type, stream_id, first_version, last_version FROM " + t.idempotency()
                + " WHERE idempotency_key = ?";
        this.insertKeySql = "INSERT INTO " + t.idempotency()
                + " (idempotency_key, stream_type, stream_id, first_version, last_version, created_at)"
                + " VALUES (?, ?, ?, ?, ?, ?)";
        this.ensureStreamSql = "INSERT INTO " + t.streams() + " (stream_type, stream_id, version, status)"
                + " VALUES (?, ?, 0, 0) ON CONFLICT DO NOTHING";
        this.setStatusSql = "UPDATE " + t.streams() + " SET status = ?" + stream;
        this.idAtVersionSql = "SELECT id FROM " + t.events() + stream + " AND version = ?";
    }

    /** {@code "SQLite"} or {@code "PostgreSQL"}. */
    abstract String name();

    /** The folder of this database's migration scripts under {@code dev/eskit/jdbi/}: {@code "sqlite"}. */
    abstract String migrationFolder();

    /** The row-lock suffix for a SELECT inside a write transaction ({@code " FOR UPDATE"} or empty). */
    abstract String forUpdate();

    // ------------------------------------------------------------------------------------------ the global log

    /**
     * The statement that reads up to a limit of events after a position in global order, of {@code typeCount} types
     * (all when 0); bind it with {@link #bindReadAll}.
     */
    abstract String readAllSql(int typeCount);

    /** Binds {@link #readAllSql(int)}. */
    abstract void bindReadAll(PreparedStatement statement, Position after, int limit, Set<String> eventTypes)
            throws SQLException;

    /** The statement that reads events of one stream type after a position, in log order (readable ones only). */
    abstract String readStreamTypeSql();

    /** Binds {@link #readStreamTypeSql()}. */
    abstract void bindReadStreamType(PreparedStatement statement, String streamType, Position after, int limit)
            throws SQLException;

    /** The statement that reads the commit order and sequence of the newest event a log reader can see. */
    String latestPositionSql() {
        return lastPositionSql();
    }

    /** Binds {@link #latestPositionSql()}; nothing to bind by default. */
    void bindLatestPosition(PreparedStatement statement) throws SQLException {
    }

    /** The position of an event from its stored sequence and commit order. */
    abstract Position position(long commitOrder, long sequence);

    /** The statement that counts events after a position, of {@code typeCount} types (all when 0). */
    final String countAfterSql(int typeCount) {
        StringBuilder sql = new StringBuilder("SELECT count(*) FROM ").append(tables.events()).append(" e WHERE ")
                .append(afterSql("e"));
        for (int i = 0; i < typeCount; i++) {
            sql.append(i == 0 ? " AND e.event_type IN (?" : ", ?");
        }
        return typeCount == 0 ? sql.toString() : sql.append(')').toString();
    }

    /** The statement that reads the newest event's commit order and sequence. */
    final String lastPositionSql() {
        return "SELECT " + commitOrderSql("") + ", seq FROM " + tables.events() + " ORDER BY " + descending()
                + " LIMIT 1";
    }

    private String descending() {
        return logKey("").replace(",", " DESC,") + " DESC";
    }

    // --------------------------------------------------------------------------- dynamic consistency boundaries

    /** Binds one parameter of a generated statement. */
    @FunctionalInterface
    interface Binder {
        /** Binds at {@code index}; returns the next free index. */
        int bind(PreparedStatement statement, int index) throws SQLException;
    }

    /** The log-order key columns of an event or tag row: {@code "seq"}, or {@code "a.tx, a.seq"}. */
    abstract String logKey(String alias);

    /** The predicate "row {@code alias} comes after the bound position". */
    abstract String afterSql(String alias);

    /** Binds a position for {@link #afterSql(String)}. */
    abstract Binder bindAfter(Position after);

    /**
     * The read horizon of the global log (" AND ..." on row {@code alias}, or empty): the one place that says which
     * committed events a reader may already return.
     */
    abstract String horizonSql(String alias);

    /**
     * The predicate " AND row {@code alias} is at or above a read horizon bound as a {@code long}" (committed rows that
     * readers cannot see yet), where {@link Database#readHorizon} gives one; empty otherwise.
     */
    String atOrAboveHorizonSql(String alias) {
        return "";
    }

    /** The commit order of row {@code alias} (empty: the unqualified column), as a bigint expression. */
    abstract String commitOrderSql(String alias);

    /** The statement that inserts a tag row for an event at a bound sequence. */
    abstract String insertTagSql();

    /** The statement that inserts one imported event row (its position comes from the database). */
    abstract String importSql();

    /**
     * The statement run before events are deleted so that their sequence numbers are never given again, or
     * {@code null} when the database's own counter sees to that (PostgreSQL's sequence).
     */
    String raiseFloorSql() {
        return null;
    }

    /** The statement that inserts the tag row of an imported event, found by stream and version. */
    abstract String importTagSql();

    /** The statement that reads the tags of a page of events by sequence; see {@link #bindSequences}. */
    abstract String tagsBySequenceSql(int count);

    /** Binds the sequences of {@link #tagsBySequenceSql(int)}. */
    abstract void bindSequences(PreparedStatement statement, long[] sequences) throws SQLException;

    // -------------------------------------------------------------------------------------------- type binding

    /** Binds a UUID parameter. */
    abstract void setUuid(PreparedStatement statement, int index, UUID value) throws SQLException;

    /** Reads a UUID column. */
    abstract UUID getUuid(ResultSet rows, int index) throws SQLException;

    /** The value a timestamp is stored as (microsecond precision). */
    abstract Object instantValue(Instant value);

    /** Binds a timestamp parameter (microsecond precision). */
    final void setInstant(PreparedStatement statement, int index, Instant value) throws SQLException {
        statement.setObject(index, instantValue(value));
    }

    /** A UUID as a Jdbi argument, bound as {@link #setUuid} binds it. */
    final Argument uuidArgument(UUID value) {
        return (position, statement, context) -> setUuid(statement, position, value);
    }

    /** A timestamp as a Jdbi argument, bound as {@link #setInstant} binds it. */
    final Argument instantArgument(Instant value) {
        return (position, statement, context) -> setInstant(statement, position, value);
    }

    /** Reads a timestamp column. */
    abstract Instant getInstant(ResultSet rows, int index) throws SQLException;

    /** Whether {@code error} (or one chained to it) is a unique-constraint violation. */
    abstract boolean isUniqueViolation(SQLException error);

    /** Whether {@code error} says the table does not exist. */
    abstract boolean isMissingTable(SQLException error);

    /**
     * Binds the ten event columns id, stream_type, stream_id, version, event_type, schema_version, created_at,
     * metadata, data, codec of event {@code index} of {@code append}, starting at parameter {@code first}.
     */
    final void bindEvent(PreparedStatement statement, int first, EncodedAppend append, int index, long version)
            throws SQLException {
        setUuid(statement, first, append.id(index));
        statement.setString(first + 1, append.stream().type());
        statement.setString(first + 2, append.stream().id());
        statement.setLong(first + 3, version);
        statement.setString(first + 4, append.event(index).type());
        statement.setInt(first + 5, append.event(index).schemaVersion());
        setInstant(statement, first + 6, append.timestamp());
        statement.setBytes(first + 7, append.metadata());
        statement.setBytes(first + 8, append.event(index).data());
        statement.setString(first + 9, append.event(index).format());
    }

    /** Binds a stream's type and id at parameters 1 and 2. */
    static void bindStream(PreparedStatement statement, StreamRef stream) throws SQLException {
        statement.setString(1, stream.type());
        statement.setString(2, stream.id());
    }

    /** Microseconds since the epoch. */
    static long toMicros(Instant instant) {
        return Math.addExact(Math.multiplyExact(instant.getEpochSecond(), 1_000_000L), instant.getNano() / 1_000);
    }

    /** The instant of {@code micros} microseconds since the epoch. */
    static Instant fromMicros(long micros) {
        return Instant.ofEpochSecond(Math.floorDiv(micros, 1_000_000L), Math.floorMod(micros, 1_000_000L) * 1_000L);
    }
}
