package dev.eskit.jdbi;

import dev.eskit.Position;
import dev.eskit.internal.Ids;
import java.nio.ByteBuffer;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Set;
import java.util.UUID;
import org.sqlite.SQLiteErrorCode;
import org.sqlite.SQLiteException;

/**
 * SQLite's SQL. Global positions are the dense {@code seq} of the events table, assigned in commit order because one
 * writer holds the database at a time; ids are 16-byte blobs and timestamps microseconds since the epoch.
 */
final class SqliteDialect extends Dialect {

    /**
     * The lean append ({@link SqliteLeanAppends}): one event inserted at the version after the stream's highest
     * where the stream has a row, is open and (unless the expected version is -1, any) is at the expected version;
     * nothing inserted otherwise. Returns the row's sequence number and version.
     */
    volatile String leanInsertSql;
    /**
     * {@link #leanInsertSql} at a known last event ({@link dev.eskit.store.HeadAppender}): an exact expected version
     * only, and the stream's event at that version must have the id bound as ?11.
     */
    volatile String leanHeadInsertSql;
    volatile String insertSql;
    volatile String insertReturningSql;
    private volatile String importSql;
    /**
     * The raise of the sequence floor to the highest sequence number, run before events are deleted; {@code null} on
     * tables from before schema version 11, whose {@code AUTOINCREMENT} keeps its own counter.
     */
    private volatile String raiseFloorSql;
    /**
     * The expression of the sequence number before the next event: the highest in the table or the floor (schema
     * version 11); empty on tables from before it, where SQLite's {@code AUTOINCREMENT} numbers the rows. One-row
     * inserts add 1 to it in the statement; several-rows inserts read it once ({@link #lastSeqSql}) and bind it.
     */
    private volatile String nextSeq;
    /**
     * The several-rows inserts by row count, built on first use: events of several types; of one type, schema version
     * and format.
     */
    private final String[] insertRowsSql = new String[ROW_SIZES];
    private final String[] insertUniformRowsSql = new String[ROW_SIZES];

    /** At most this many events per several-rows insert: 5 parameters a row stay far below SQLite's 32,766. */
    static final int MAX_ROWS = 128;
    /** Row counts with a statement of their own: 2 to 16, then 32, 48, ... 128. */
    private static final int ROW_SIZES = 16 + MAX_ROWS / 16;
    /**
     * The parameters an insert's rows share: stream type, stream id, timestamp, metadata, the version before the
     * statement's first row (row {@code j}'s version is that plus {@code j + 1}) and the sequence number before it
     * (the same; unused before schema version 11); the uniform insert also shares event type, schema version and
     * format.
     */
    static final int SHARED = 6;
    static final int UNIFORM_SHARED = 9;

    SqliteDialect(TableNames tables) {
        super(tables);
        numberEvents(true);
    }

    /**
     * Whether appends number their events themselves (the tables are at schema version 11 or later: no
     * {@code AUTOINCREMENT}, a sequence floor) or leave it to {@code AUTOINCREMENT} (a store opened on older tables
     * without migrating them). Set once, before the store appends.
     */
    void numberEvents(boolean fromFloor) {
        String events = tables.events();
        String floor = tables.table("seq_floor");
        this.nextSeq = fromFloor ? "(SELECT max(coalesce((SELECT max(n.seq) FROM " + events + " n), 0), f.seq) FROM "
                + floor + " f WHERE f.id = 1)" : "";
        this.raiseFloorSql = fromFloor ? "UPDATE " + floor + " SET seq = max(seq, coalesce((SELECT max(seq) FROM "
                + events + "), 0)) WHERE id = 1" : null;
        String seqColumn = fromFloor ? "seq, " : "";
        // ?1 id, ?2 stream type, ?3 stream id, ?4 expected version (-1: any), ?5 event type, ?6 schema version,
        // ?7 timestamp, ?8 metadata, ?9 data, ?10 format: the one-row insert's layout (bindEvent), the expected version
        // where the version goes. The SELECT gives no row, so nothing is inserted and no sequence number is taken,
        // unless the stream's row says it is open and the version before is the expected one.
        this.leanInsertSql = "INSERT INTO " + events + " (" + seqColumn + "id, stream_type, stream_id, version,"
                + " event_type, schema_version, created_at, metadata, data, codec) SELECT " + nextSeqValue()
                + "?1, ?2, ?3, h.v + 1, ?5, ?6, ?7, ?8, ?9, ?10 FROM (SELECT " + streamVersionOfRow + " AS v FROM "
                + tables.streams() + " s WHERE s.stream_type = ?2 AND s.stream_id = ?3 AND s.status = 0) AS h"
                + " WHERE ?4 < 0 OR h.v = ?4 RETURNING seq, version";
        this.leanHeadInsertSql = leanInsertSql.replace(" WHERE ?4 < 0 OR h.v = ?4 ", " WHERE h.v = ?4 AND EXISTS"
                + " (SELECT 1 FROM " + events + " e WHERE e.stream_type = ?2 AND e.stream_id = ?3 AND e.version = ?4"
                + " AND e.id = ?11) ");
        this.insertSql = "INSERT INTO " + events + " (" + seqColumn + "id, stream_type, stream_id, version,"
                + " event_type, schema_version, created_at, metadata, data, codec) VALUES (" + nextSeqValue()
                + "?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
        this.insertReturningSql = insertSql + " RETURNING seq";
        this.importSql = insertSql;
        java.util.Arrays.fill(insertRowsSql, null);
        java.util.Arrays.fill(insertUniformRowsSql, null);
    }

    /** The sequence number of a one-row insert's row and a comma; empty before schema version 11. */
    private String nextSeqValue() {
        String next = nextSeq;
        return next.isEmpty() ? "" : next + " + 1, ";
    }

    /**
     * The query of the sequence number before the next event (the highest in the table or the floor), or
     * {@code null} before schema version 11, where {@code AUTOINCREMENT} numbers the events.
     */
    String lastSeqSql() {
        String next = nextSeq;
        return next.isEmpty() ? null : "SELECT " + next;
    }

    /** The raise of the sequence floor before events are deleted; {@code null} before schema version 11. */
    @Override
    String raiseFloorSql() {
        return raiseFloorSql;
    }

    /**
     * How many of {@code remaining} events (2 or more) the next several-rows insert takes: all of them up to 16, else a
     * multiple of 16, at most {@link #MAX_ROWS}. So a statement is kept for 22 row counts, and an append of up to 128
     * events runs at most two (each statement costs about as much as a few rows: SQLite starts it).
     */
    static int rowsPerStatement(int remaining) {
        if (remaining <= 16) {
            return remaining;
        }
        return Math.min(MAX_ROWS, remaining & ~15);
    }

    private static int rowsIndex(int rows) {
        return rows <= 16 ? rows - 2 : 14 + rows / 16;
    }

    /**
     * The insert of {@code rows} events (a count {@link #rowsPerStatement} returns); {@code uniform}: all of one event
     * type, schema version and format, bound once.
     */
    String insertRowsSql(int rows, boolean uniform) {
        String[] built = uniform ? insertUniformRowsSql : insertRowsSql;
        int index = rowsIndex(rows);
        String sql = built[index];
        if (sql == null) {
            // Built on first use (only the counts a store's appends need); two threads building it at once store
            // equal strings, and a String is safe to publish without a lock.
            sql = insertRows(rows, uniform);
            built[index] = sql;
        }
        return sql;
    }

    private String insertRows(int rows, boolean uniform) {
        // Numbered parameters: ?1 stream type, ?2 stream id, ?3 timestamp, ?4 metadata, ?5 version before the first
        // row, ?6 sequence number before the first row (read once by the append, which holds the write lock: a
        // subquery per row would cost about a microsecond a row); uniform: ?7 event type, ?8 schema version, ?9
        // format, then id and data per row; otherwise id, event type, schema version, data and format per row.
        StringBuilder sql = new StringBuilder(80 + rows * 48).append("INSERT INTO ").append(tables.events())
                .append(" (").append(nextSeq.isEmpty() ? "" : "seq, ")
                .append("id, stream_type, stream_id, version, event_type, schema_version, created_at, metadata,"
                        + " data, codec) VALUES ");
        for (int j = 0; j < rows; j++) {
            sql.append(j == 0 ? "(" : ", (");
            if (!nextSeq.isEmpty()) {
                sql.append("?6 + ").append(j + 1).append(", ");
            }
            if (uniform) {
                int first = UNIFORM_SHARED + 1 + 2 * j;
                sql.append('?').append(first).append(", ?1, ?2, ?5 + ").append(j + 1)
                        .append(", ?7, ?8, ?3, ?4, ?").append(first + 1).append(", ?9)");
            } else {
                int first = SHARED + 1 + 5 * j;
                sql.append('?').append(first).append(", ?1, ?2, ?5 + ").append(j + 1)
                        .append(", ?").append(first + 1).append(", ?").append(first + 2).append(", ?3, ?4, ?")
                        .append(first + 3).append(", ?").append(first + 4).append(')');
            }
        }
        return sql.toString();
    }

    @Override
    String name() {
        return "SQLite";
    }

    @Override
    String migrationFolder() {
        return "sqlite";
    }

    @Override
    String forUpdate() {
        return "";
    }

    @Override
    String readAllSql(int typeCount) {
        StringBuilder sql = new StringBuilder(160).append("SELECT ").append(columns).append(" FROM ")
                .append(tables.events()).append(" WHERE seq > ?");
        for (int i = 0; i < typeCount; i++) {
            sql.append(i == 0 ? " AND event_type IN (?" : ", ?");
        }
        if (typeCount > 0) {
            sql.append(')');
        }
        return sql.append(" ORDER BY seq LIMIT ?").toString();
    }

    /**
     * A read of events of {@code typeCount} types after one sequence number up to another, in log order: a scan by
     * position (the events table has no type index by default), bounded by the log's head read just before, so that
     * what it did not find is known to be absent ({@link TypeScans}).
     */
    String readTypesSql(int typeCount) {
        StringBuilder sql = new StringBuilder(160).append("SELECT ").append(columns).append(" FROM ")
                .append(tables.events()).append(" WHERE seq > ? AND seq <= ? AND event_type IN (");
        for (int i = 0; i < typeCount; i++) {
            sql.append(i == 0 ? "?" : ", ?");
        }
        return sql.append(") ORDER BY seq LIMIT ?").toString();
    }

    /** The highest sequence number in the events table, 0 for none. */
    String logHeadSql() {
        return "SELECT coalesce(max(seq), 0) FROM " + tables.events();
    }

    @Override
    void bindReadAll(PreparedStatement statement, Position after, int limit, Set<String> eventTypes)
            throws SQLException {
        int index = bindAfter(after).bind(statement, 1);
        for (String type : eventTypes) {
            statement.setString(index++, type);
        }
        statement.setInt(index, limit);
    }

    @Override
    String readStreamTypeSql() {
        return "SELECT " + columns + " FROM " + tables.events() + " WHERE seq > ? AND stream_type = ? ORDER BY seq"
                + " LIMIT ?";
    }

    @Override
    void bindReadStreamType(PreparedStatement statement, String streamType, Position after, int limit)
            throws SQLException {
        int index = bindAfter(after).bind(statement, 1);
        statement.setString(index++, streamType);
        statement.setInt(index, limit);
    }

    @Override
    Position position(long commitOrder, long sequence) {
        return Position.of(sequence);
    }

    @Override
    String logKey(String alias) {
        return alias.isEmpty() ? "seq" : alias + ".seq";
    }

    @Override
    String afterSql(String alias) {
        return logKey(alias) + " > ?";
    }

    @Override
    Binder bindAfter(Position after) {
        // Commit order is always 0 here; a position from elsewhere with a commit order lies after the whole log.
        long sequence = after.commitOrder() > 0 ? Long.MAX_VALUE : after.sequence();
        return (statement, index) -> {
            statement.setLong(index, sequence);
            return index + 1;
        };
    }

    @Override
    String horizonSql(String alias) {
        // One writer assigns sequence numbers in commit order: every committed prefix is complete.
        return "";
    }

    @Override
    String commitOrderSql(String alias) {
        return "0";
    }

    @Override
    String insertTagSql() {
        return "INSERT INTO " + tables.tags() + " (tag, event_type, seq) VALUES (?, ?, ?)";
    }

    @Override
    String importSql() {
        return importSql;
    }

    @Override
    String importTagSql() {
        return "INSERT INTO " + tables.tags() + " (tag, event_type, seq) SELECT ?, event_type, seq FROM "
                + tables.events() + " WHERE stream_type = ? AND stream_id = ? AND version = ?";
    }

    @Override
    String tagsBySequenceSql(int count) {
        StringBuilder sql = new StringBuilder("SELECT seq, tag FROM ").append(tables.tags()).append(" WHERE seq IN (");
        for (int i = 0; i < count; i++) {
            sql.append(i == 0 ? "?" : ", ?");
        }
        return sql.append(')').toString();
    }

    @Override
    void bindSequences(PreparedStatement statement, long[] sequences) throws SQLException {
        for (int i = 0; i < sequences.length; i++) {
            statement.setLong(i + 1, sequences[i]);
        }
    }

    @Override
    void setUuid(PreparedStatement statement, int index, UUID value) throws SQLException {
        // The 16 bytes, most significant first (as getUuid reads them).
        statement.setBytes(index, Ids.bytes(value));
    }

    @Override
    UUID getUuid(ResultSet rows, int index) throws SQLException {
        ByteBuffer bytes = ByteBuffer.wrap(rows.getBytes(index));
        return new UUID(bytes.getLong(), bytes.getLong());
    }

    @Override
    Object instantValue(Instant value) {
        return toMicros(value);
    }

    @Override
    Instant getInstant(ResultSet rows, int index) throws SQLException {
        return fromMicros(rows.getLong(index));
    }

    /**
     * Whether {@code error} is a constraint failure (unique key, trigger, check, not null), which undoes the failing
     * statement only and leaves the transaction open. Other errors (I/O, a full disk, out of memory) may roll the
     * whole transaction back.
     */
    static boolean isConstraintFailure(SQLException error) {
        return error instanceof SQLiteException sqlite
                && (sqlite.getResultCode().code & 0xff) == SQLiteErrorCode.SQLITE_CONSTRAINT.code;
    }

    @Override
    boolean isUniqueViolation(SQLException error) {
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
    boolean isMissingTable(SQLException error) {
        return String.valueOf(error.getMessage()).contains("no such table");
    }
}
