package dev.eskit.jdbi;

import dev.eskit.Position;
import dev.eskit.StreamRef;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Set;
import java.util.UUID;

/**
 * PostgreSQL's SQL. Events carry the transaction id ({@code xid8}) that wrote them and a sequence number; the global
 * log is ordered by (tx, seq) and read only below the store's horizon ({@link PostgresHorizon}), below which every
 * append transaction of the store has ended, so a page once read never gains an earlier event.
 */
final class PostgresDialect extends Dialect {

    /** Takes advisory locks on bigint keys, each exclusive or shared, in array order. */
    static final String BOUNDARY_LOCKS = "SELECT CASE WHEN u.x THEN pg_advisory_xact_lock(u.k)"
            + " ELSE pg_advisory_xact_lock_shared(u.k) END FROM unnest(?::bigint[], ?::boolean[]) AS u(k, x)";

    /** Sets a transaction pgjdbc began to READ COMMITTED, whatever the pool's default (with the trailing {@code ;}). */
    static final String ISOLATION = "SET TRANSACTION ISOLATION LEVEL READ COMMITTED;";

    private final String headTail;
    /**
     * {@link #headSql} without and with the isolation level, by the form of the boundary keys
     * ({@link PostgresLocks#keyForm}): built once, an append picks one.
     */
    private final String[][] heads = new String[2][PostgresLocks.KEY_FORMS];
    final String insertSql;
    /** The commit order of a stream's event at a version. */
    final String lastTxSql;
    private final int lockSpace;
    /** Takes the store's shared horizon lock (see {@link PostgresHorizon}). */
    final String horizonJoin;

    PostgresDialect(TableNames tables) {
        super(tables);
        // Stream locks use the two-key advisory lock space (apart from applications' one-key locks), keyed by store.
        this.lockSpace = tables.events().hashCode();
        this.horizonJoin = PostgresHorizon.joinSql(tables);
        this.headTail = tables.render(" WITH head AS (INSERT INTO {streams} AS st (stream_type, stream_id, version,"
                + " status) VALUES (?, ?, ?, 0) ON CONFLICT (stream_type, stream_id)"
                + " DO UPDATE SET version = st.version + excluded.version RETURNING st.version, st.status)"
                + " SELECT version, status, pg_current_xact_id()::text::bigint,"
                + " ARRAY(SELECT nextval('{q}events_seq') FROM generate_series(1, ?)) FROM head");
        for (int i = 0; i < heads.length; i++) {
            for (int form = 0; form < PostgresLocks.KEY_FORMS; form++) {
                heads[i][form] = buildHeadSql(i == 1, form);
            }
        }
        this.lastTxSql = "SELECT tx::text::bigint FROM " + tables.events()
                + " WHERE stream_type = ? AND stream_id = ? AND version = ?";
        this.insertSql = "INSERT INTO " + tables.events() + " (seq, id, stream_type, stream_id, version, event_type,"
                + " schema_version, created_at, metadata, data, codec) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
    }

    /**
     * The append's first statements. The stream's advisory lock comes first and assigns no transaction id; the upsert
     * after it does. So a stream's appends get their transaction ids in the order they hold the stream, and a later
     * version always has a later (tx, seq) position. READ COMMITTED (whatever the pool's default) lets the statements
     * after the lock see what the previous holder committed. The locks are one statement
     * ({@link PostgresLocks#streamSql}: stream lock, shared boundary keys, horizon lock), the upsert another:
     * one round trip.
     *
     * <p>Parameters: the stream's locks ({@link PostgresLocks#bindStream}), stream type, stream id, event count
     * (bigint), event count (int). The head row (new version, status, transaction id, sequence numbers) comes after
     * {@link #headSkips} other results.
     *
     * @param isolation whether the statement starts the transaction (and so sets its isolation level)
     * @param keys      the shared boundary keys the statement will take (their count picks its form)
     */
    String headSql(boolean isolation, long[] keys) {
        return heads[isolation ? 1 : 0][PostgresLocks.keyForm(keys)];
    }

    private String buildHeadSql(boolean isolation, int form) {
        // The store's shared horizon lock comes last before the upsert, while the transaction has no id yet (see
        // PostgresHorizon): readers wait only for transactions holding it.
        return (isolation ? ISOLATION + " " : "") + PostgresLocks.streamSql(tables, form) + headTail;
    }

    /** How many results {@link #headSql} returns before the head row. */
    static int headSkips(boolean isolation) {
        return (isolation ? 1 : 0) + 1;
    }

    /**
     * The stream lock key: the one function that says which advisory lock serializes writes to a stream. Appends and
     * imports both take it, so they never interleave on one stream.
     */
    int[] streamLockKey(StreamRef stream) {
        return new int[] {lockSpace, (stream.type() + '\u001f' + stream.id()).hashCode()};
    }

    /** The first key of every stream lock of this store (see {@link #streamLockKey}). */
    int lockSpace() {
        return lockSpace;
    }

    @Override
    String name() {
        return "PostgreSQL";
    }

    @Override
    String migrationFolder() {
        return "postgres";
    }

    @Override
    String forUpdate() {
        return " FOR UPDATE";
    }

    @Override
    String readAllSql(int typeCount) {
        // Below the store's horizon, computed by the statement before (see bindReadAll and PostgresHorizon).
        return "SELECT " + columns + " FROM " + tables.events() + " WHERE " + afterSql("") + " AND tx < ?::text::xid8"
                + (typeCount == 0 ? "" : " AND event_type = ANY (?)") + " ORDER BY tx, seq LIMIT ?";
    }

    @Override
    void bindReadAll(PreparedStatement statement, Position after, int limit, Set<String> eventTypes)
            throws SQLException {
        int index = bindAfter(after).bind(statement, 1);
        statement.setString(index++, Long.toString(PostgresHorizon.current(statement.getConnection(), tables)));
        if (!eventTypes.isEmpty()) {
            statement.setArray(index++, statement.getConnection().createArrayOf("text", eventTypes.toArray()));
        }
        statement.setInt(index, limit);
    }

    @Override
    String readStreamTypeSql() {
        return "SELECT " + columns + " FROM " + tables.events() + " WHERE " + afterSql("") + " AND tx < ?::text::xid8"
                + " AND stream_type = ? ORDER BY tx, seq LIMIT ?";
    }

    @Override
    void bindReadStreamType(PreparedStatement statement, String streamType, Position after, int limit)
            throws SQLException {
        int index = bindAfter(after).bind(statement, 1);
        statement.setString(index++, Long.toString(PostgresHorizon.current(statement.getConnection(), tables)));
        statement.setString(index++, streamType);
        statement.setInt(index, limit);
    }

    /** The newest event below the store's horizon: what readAll can return now. */
    @Override
    String latestPositionSql() {
        return "SELECT tx::text::bigint, seq FROM " + tables.events() + " WHERE tx < ?::text::xid8"
                + " ORDER BY tx DESC, seq DESC LIMIT 1";
    }

    @Override
    void bindLatestPosition(PreparedStatement statement) throws SQLException {
        statement.setString(1, Long.toString(PostgresHorizon.current(statement.getConnection(), tables)));
    }

    @Override
    Position position(long commitOrder, long sequence) {
        return new Position(commitOrder, sequence);
    }

    private static String column(String alias, String column) {
        return alias.isEmpty() ? column : alias + "." + column;
    }

    @Override
    String logKey(String alias) {
        return column(alias, "tx") + ", " + column(alias, "seq");
    }

    @Override
    String afterSql(String alias) {
        return "(" + logKey(alias) + ") > (?::text::xid8, ?)";
    }

    @Override
    Binder bindAfter(Position after) {
        return (statement, index) -> {
            statement.setString(index, Long.toString(after.commitOrder()));
            statement.setLong(index + 1, after.sequence());
            return index + 2;
        };
    }

    /**
     * The conservative horizon (the oldest transaction running on the server), for query reads that are not paged
     * by the log's horizon; readAll uses the store's own ({@link PostgresHorizon}).
     */
    @Override
    String horizonSql(String alias) {
        return " AND " + column(alias, "tx") + " < " + PostgresHorizon.clusterHorizonSql();
    }

    @Override
    String atOrAboveHorizonSql(String alias) {
        return " AND " + column(alias, "tx") + " >= ?::text::xid8";
    }

    @Override
    String commitOrderSql(String alias) {
        return column(alias, "tx") + "::text::bigint";
    }

    @Override
    String insertTagSql() {
        return "INSERT INTO " + tables.tags() + " (tag, event_type, tx, seq) VALUES (?, ?, pg_current_xact_id(), ?)";
    }

    @Override
    String importSql() {
        // Every row of the import shares its transaction id, and the sequence orders them within it.
        return "INSERT INTO " + tables.events() + " (seq, id, stream_type, stream_id, version, event_type,"
                + " schema_version, created_at, metadata, data, codec) VALUES (nextval('"
                + tables.render("{q}events_seq") + "'), ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
    }

    @Override
    String importTagSql() {
        return "INSERT INTO " + tables.tags() + " (tag, event_type, tx, seq) SELECT ?, event_type, tx, seq FROM "
                + tables.events() + " WHERE stream_type = ? AND stream_id = ? AND version = ?";
    }

    @Override
    String tagsBySequenceSql(int count) {
        // seq alone identifies a row: it comes from one sequence for every transaction.
        return "SELECT seq, tag FROM " + tables.tags() + " WHERE seq = ANY (?)";
    }

    @Override
    void bindSequences(PreparedStatement statement, long[] sequences) throws SQLException {
        Long[] boxed = new Long[sequences.length];
        for (int i = 0; i < boxed.length; i++) {
            boxed[i] = sequences[i];
        }
        statement.setArray(1, statement.getConnection().createArrayOf("bigint", boxed));
    }

    @Override
    void setUuid(PreparedStatement statement, int index, UUID value) throws SQLException {
        statement.setObject(index, value);
    }

    @Override
    UUID getUuid(ResultSet rows, int index) throws SQLException {
        return rows.getObject(index, UUID.class);
    }

    @Override
    Object instantValue(Instant value) {
        return OffsetDateTime.ofInstant(value, ZoneOffset.UTC);
    }

    @Override
    Instant getInstant(ResultSet rows, int index) throws SQLException {
        return rows.getObject(index, OffsetDateTime.class).toInstant();
    }

    @Override
    boolean isUniqueViolation(SQLException error) {
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
    boolean isMissingTable(SQLException error) {
        return "42P01".equals(error.getSQLState());
    }
}
