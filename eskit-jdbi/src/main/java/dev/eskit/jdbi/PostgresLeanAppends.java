package dev.eskit.jdbi;

import dev.eskit.ExpectedVersion;
import dev.eskit.Position;
import dev.eskit.StreamRef;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;

/**
 * PostgreSQL's lean append of a lone command-shaped append ({@link PostgresAppends#lean}): the commonest appends (no
 * key, no tags, an existing stream at a known version or a new one) check version and status in the stream row's
 * {@code UPDATE}'s {@code WHERE} (or its {@code INSERT}'s {@code ON CONFLICT DO NOTHING}), and the events' insert is
 * the statement's top level, so the server runs one small plan instead of the general CTE chain (measured: about half
 * the backend CPU of it for one event). A group's lean members have their own statement ({@link PostgresGroupAppends}).
 *
 * <p>On a connection whose transactions are READ COMMITTED by the session's setting (the store's own pool sets it), the
 * whole append is <em>one</em> auto-commit statement: the locks are the last condition of the stream row's
 * {@code UPDATE} (or of the {@code SELECT} feeding its {@code INSERT}), so they are taken before the row is written,
 * which is what first gives the transaction an id ({@link #leanSql}), and the implicit transaction commits at the
 * statement's end. That saves the {@code BEGIN}, the locks' own statement and the {@code COMMIT} (measured: about
 * 13 µs of backend CPU per append, of about 200, docs/performance-history.md). Its snapshot is taken before the
 * locks are, which the statement does not mind: the {@code UPDATE} re-checks status and version on the newest row
 * version when another writer changed it (READ COMMITTED's re-check), and {@code ON CONFLICT} sees rows of
 * transactions that committed after the snapshot. On any other connection (an application's {@code Jdbi}) the string
 * begins its transaction at READ COMMITTED itself, takes the locks in a statement of their own and commits: the same
 * steps in the same order.
 */
final class PostgresLeanAppends {

    /** Lean variants: bit 0 a new stream (else a known version), bit 1 several events. */
    private static final int FRESH = 1;
    private static final int SEVERAL = PostgresAppends.SEVERAL;
    private static final int KEY_FORMS = PostgresLocks.KEY_FORMS;

    private final PostgresDialect sql;
    private final PostgresAppends appends;
    /** The whole strings, by variant and keys' form: begin, locks, row and events, commit. */
    private final String[][] lean = new String[4][KEY_FORMS];
    /** The one-statement strings, by variant and keys' form, for READ COMMITTED connections: locks, row and events. */
    private final String[][] single = new String[4][KEY_FORMS];
    /** {@link #lean} and {@link #single} with the last event's check, by several events or one (known versions only). */
    private final String[][] headLean = new String[2][KEY_FORMS];
    private final String[][] headSingle = new String[2][KEY_FORMS];

    PostgresLeanAppends(PostgresDialect sql, PostgresAppends appends) {
        this.sql = sql;
        this.appends = appends;
        TableNames t = sql.tables;
        for (int v = 0; v < lean.length; v++) {
            boolean fresh = (v & FRESH) != 0;
            boolean several = (v & SEVERAL) != 0;
            String unlocked = leanSql(t, fresh, several, false, null);
            String headUnlocked = fresh ? null : leanSql(t, false, several, true, null);
            for (int form = 0; form < KEY_FORMS; form++) {
                lean[v][form] = PostgresAppends.BEGIN + " " + PostgresLocks.streamSql(t, form) + " " + unlocked
                        + "; COMMIT";
                single[v][form] = leanSql(t, fresh, several, false, PostgresLocks.streamExpression(t, form));
                if (!fresh) {
                    int h = several ? 1 : 0;
                    headLean[h][form] = PostgresAppends.BEGIN + " " + PostgresLocks.streamSql(t, form) + " "
                            + headUnlocked + "; COMMIT";
                    headSingle[h][form] = leanSql(t, false, several, true, PostgresLocks.streamExpression(t, form));
                }
            }
        }
    }

    /**
     * The lean append statement: the stream row (updated where open and at the expected version, or inserted unless
     * it exists) and, from its one returned row, the events. Writes nothing when the row is not there to take them.
     * Parameters: stream type and id, then the expected version and (with several events) the event count for an
     * update, or the event count for an insert; with {@code head}, the stream type and id, the expected version and
     * the id its event must have; then the locks' ({@link PostgresLocks#streamExpression}) when the statement takes
     * them itself; then the events' (see {@link #write}). {@code locks}: the expression of the locks when the
     * statement takes them itself, else {@code null}.
     *
     * <p>{@code head} (an update only): the row is written only if the stream's event at the expected version has the
     * given id ({@link dev.eskit.store.HeadAppender}: a stream deleted and written again up to the same version has
     * other ids). The check reads the events in the statement's snapshot, which may be older than the locks; that
     * is enough, because the row it lets through is the row that snapshot sees: if the stream was deleted since, that
     * row is gone and the {@code UPDATE} skips it; if it was written since, READ COMMITTED's re-check sees a higher
     * version on its newest version and the {@code WHERE} fails. Only an unchanged stream (or one archived and
     * restored, whose events did not change) passes.
     *
     * <p>The locks are the last condition of the row's {@code UPDATE} (or of the {@code SELECT} that feeds the new
     * row's {@code INSERT}): a condition in the statement's own plan, not a CTE the plan reads first, which cost the
     * server a CTE, a subquery and, on a small streams table, a sequential scan in place of the primary key's (the
     * planner reckons the lock functions' cost per row; measured in docs/performance.md). They depend on parameters
     * alone, so however often and in whatever order the server evaluates them, the same locks are taken, and always
     * before the row is written, which is what first gives the transaction an id. When the row is not found open at
     * the expected version, they may not be taken at all: then nothing is written, and the general statement that
     * follows takes them.
     */
    private static String leanSql(TableNames t, boolean fresh, boolean several, boolean head, String locks) {
        String row = fresh
                ? "WITH st AS (INSERT INTO {streams} (stream_type, stream_id, version, status) "
                        + (locks != null ? "SELECT ?::text, ?::text, ?::bigint, 0 WHERE (" + locks + ") IS NOT NULL"
                                : "VALUES (?, ?, ?, 0)")
                        + " ON CONFLICT (stream_type, stream_id) DO NOTHING RETURNING version AS v)"
                : "WITH st AS (UPDATE {streams} AS s SET version = s.version + " + (several ? "?" : "1")
                        + " WHERE s.stream_type = ? AND s.stream_id = ? AND s.status = 0 AND s.version = ?"
                        // Parameters, not the row's columns: the planner probes the unique index whatever its
                        // statistics say.
                        + (head ? " AND EXISTS (SELECT 1 FROM {events} AS h WHERE h.stream_type = ?"
                                + " AND h.stream_id = ? AND h.version = ? AND h.id = ?::uuid)" : "")
                        + (locks != null ? " AND (" + locks + ") IS NOT NULL" : "")
                        + " RETURNING s.version AS v)";
        String insert = (several ? ", ev AS (" : " ") + "INSERT INTO {events} (seq, id, stream_type, stream_id,"
                + " version, event_type, schema_version, created_at, metadata, data, codec)";
        String events = several
                // The ordered subquery hands the rows to nextval in version order: within the transaction, a later
                // version gets a later sequence number.
                ? " SELECT nextval('{q}events_seq'), e.id, ?, ?, st.v - ? + e.i, e.type, e.schema,"
                        + " " + PostgresAppends.AT + ", ?::bytea, e.data, e.codec FROM st, ("
                        + PostgresAppends.EVENT_ROWS + " ORDER BY u.i) AS e"
                        + " RETURNING seq, version)"
                        // One row, not one per event: the first sequence number and the count when every event's
                        // sequence number is the first one's plus its offset (the usual case: one transaction's
                        // nextval calls in a row), else all of them in version order.
                        + " SELECT pg_current_xact_id_if_assigned()::text::bigint, min(seq), count(*),"
                        + " CASE WHEN min(seq - version) = max(seq - version) THEN NULL"
                        + " ELSE array_agg(seq ORDER BY version) END FROM ev"
                : " SELECT nextval('{q}events_seq'), ?::uuid, ?, ?, st.v, ?, ?, " + PostgresAppends.AT
                        + ", ?::bytea, ?::bytea, ?"
                        + " FROM st RETURNING tx::text::bigint, seq, version";
        return t.render(row + insert + events);
    }

    /**
     * Writes a {@link PostgresAppends#lean} append on {@code connection} (in auto-commit mode: the string begins and
     * commits its own transaction): the locks ({@link PostgresLocks#streamSql}), the stream row (its version raised
     * where its status is open and its version is the expected one, or inserted for a new stream unless it exists),
     * the events inserted from that row, commit. Returns {@code false}, having written nothing, when there was no
     * row to write from (wrong version, closed or missing stream, an existing stream): the caller then runs the
     * general member statement, which tells why. {@code readCommitted}: the connection's session is READ COMMITTED,
     * so the append is one auto-commit statement (see the class).
     *
     * @throws AppendOutcomeUnknownException when the connection failed after the string was sent (the commit may
     *                                       have happened) or its result could not be read after the commit
     */
    boolean write(Connection connection, PendingAppend member, boolean readCommitted) throws SQLException {
        EncodedAppend append = member.encoded;
        StreamRef stream = append.stream();
        boolean fresh = !(member.request.expected() instanceof ExpectedVersion.Exactly);
        long base = fresh ? 0 : ((ExpectedVersion.Exactly) member.request.expected()).version();
        int count = append.size();
        boolean several = count > 1;
        int variant = (fresh ? FRESH : 0) | (several ? SEVERAL : 0);
        long[] keys = member.sharedKeys;
        int form = PostgresLocks.keyForm(keys);
        java.util.UUID head = member.head;
        String sqlText = head != null ? (readCommitted ? headSingle : headLean)[several ? 1 : 0][form]
                : readCommitted ? single[variant][form] : lean[variant][form];
        try (PreparedStatement statement = connection.prepareStatement(sqlText)) {
            int i = 1;
            if (!readCommitted) {
                i = PostgresLocks.bindStream(statement, i, sql, stream, keys);
            }
            if (fresh) {
                statement.setString(i++, stream.type());
                statement.setString(i++, stream.id());
                statement.setLong(i++, count);
            } else {
                if (several) {
                    statement.setLong(i++, count);
                }
                statement.setString(i++, stream.type());
                statement.setString(i++, stream.id());
                statement.setLong(i++, base);
                if (head != null) {
                    statement.setString(i++, stream.type());
                    statement.setString(i++, stream.id());
                    statement.setLong(i++, base);
                    statement.setObject(i++, head);
                }
            }
            if (readCommitted) {
                i = PostgresLocks.bindStream(statement, i, sql, stream, keys);
            }
            if (several) {
                statement.setString(i++, stream.type());
                statement.setString(i++, stream.id());
                statement.setLong(i++, count);
                statement.setLong(i++, PostgresAppends.micros(append.timestamp()));
                statement.setBytes(i++, append.metadata());
                PostgresAppends.bindArrays(connection, statement, i, append);
            } else {
                statement.setObject(i++, append.id(0));
                statement.setString(i++, stream.type());
                statement.setString(i++, stream.id());
                statement.setString(i++, append.event(0).type());
                statement.setInt(i++, append.event(0).schemaVersion());
                statement.setLong(i++, PostgresAppends.micros(append.timestamp()));
                statement.setBytes(i++, append.metadata());
                statement.setBytes(i++, append.event(0).data());
                statement.setString(i, append.event(0).format());
            }
            PostgresAppends.execute(statement, List.of(member));
            try {
                appends.faultBeforeReading();
                if (!readCommitted) {
                    PostgresAppends.skipResults(statement, 2);
                }
                Position[] positions = new Position[count];
                int rows = 0;
                try (ResultSet row = statement.getResultSet()) {
                    if (row == null) {
                        throw new SQLException("The append statement for " + stream + " returned no result.");
                    }
                    if (several) {
                        if (row.next()) {
                            rows = (int) row.getLong(3);
                            if (rows > 0) {
                                PostgresAppends.fill(positions, row.getLong(1), row.getLong(2), row.getArray(4));
                            }
                        }
                    } else if (row.next()) {
                        positions[0] = new Position(row.getLong(1), row.getLong(2));
                        rows = 1;
                    }
                }
                if (!readCommitted) {
                    statement.getMoreResults();
                }
                if (rows == 0) {
                    return false;
                }
                if (rows != count) {
                    throw new SQLException("The append statement for " + stream + " returned " + rows
                            + " rows for " + count + " events.");
                }
                member.written = new AppendTransaction.Written(base, positions);
                return true;
            } catch (SQLException | RuntimeException unread) {
                throw AppendOutcomeUnknownException.unread(List.of(member), unread);
            }
        }
    }
}
