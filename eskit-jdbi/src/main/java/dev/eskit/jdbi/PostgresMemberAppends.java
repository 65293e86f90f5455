package dev.eskit.jdbi;

import dev.eskit.Position;
import dev.eskit.StreamRef;
import dev.eskit.dcb.AppendCondition;
import dev.eskit.dcb.AppendConditionFailedException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * PostgreSQL's appends built around the general member statement of {@link PostgresAppends}, outside the plain path:
 * a Dynamic Consistency Boundary append in one string of its own ({@link #writeConditional}), and an append inside
 * the application's transaction in one round trip ({@link #writeInTransaction}).
 */
final class PostgresMemberAppends {

    private final PostgresDialect sql;
    private final PostgresAppends appends;
    /** {@link #conditionLocksSql} of this store. */
    private final String conditionLocks;
    /**
     * The application-transaction strings ({@link #writeInTransaction}), by member variant and the form of the locks'
     * keys ({@link PostgresLocks#keyForm}).
     */
    private final String[][] inTransaction = new String[4][PostgresLocks.KEY_FORMS];

    PostgresMemberAppends(PostgresDialect sql, PostgresAppends appends) {
        this.sql = sql;
        this.appends = appends;
        TableNames t = sql.tables;
        this.conditionLocks = conditionLocksSql(t);
        for (int v = 0; v < inTransaction.length; v++) {
            // The member writes only when the transaction had no id when the statement began (read in its first
            // CTE, before anything in it can assign one), and says whether it had.
            String member = edit(appends.member(v), new String[][] {
                    {" ?::bytea AS md),", " ?::bytea AS md, pg_current_xact_id_if_assigned() IS NULL AS fresh),"},
                    {" WHERE NOT EXISTS (SELECT 1 FROM k)", " WHERE p.fresh AND NOT EXISTS (SELECT 1 FROM k)"},
                    {" FROM (SELECT 1) AS one LEFT JOIN k ON true;", ", (SELECT fresh FROM p)"
                            + " FROM (SELECT 1) AS one LEFT JOIN k ON true;"}});
            for (int form = 0; form < PostgresLocks.KEY_FORMS; form++) {
                inTransaction[v][form] = "SAVEPOINT eskit_append; " + joinLocksSql(t, form) + " " + member
                        + " RELEASE SAVEPOINT eskit_append";
            }
        }
    }

    /**
     * The locks of a DCB append, in one statement and in the plain appends' order: the stream lock, the boundary keys
     * (sorted; each exclusive or shared as the condition and the events need), the store's horizon lock last; all
     * before the transaction has an id. Parameters: lock space, stream key (ints), keys ({@code bigint[]}), modes
     * ({@code boolean[]}, true for exclusive).
     */
    static String conditionLocksSql(TableNames t) {
        return "SELECT CASE WHEN pg_advisory_xact_lock(?, ?)::text = '' THEN CASE WHEN (SELECT count(CASE WHEN u.x"
                + " THEN pg_advisory_xact_lock(u.k) ELSE pg_advisory_xact_lock_shared(u.k) END)"
                + " FROM unnest(?::bigint[], ?::boolean[]) AS u(k, x)) >= 0 THEN pg_advisory_xact_lock_shared("
                + PostgresHorizon.lockKey(t) + ")::text END END;";
    }

    /**
     * The member statement of {@code variant} that first runs {@code check} (a query of at most one row: sequence
     * number, commit order; see {@link DcbQueries#conflictSql}) and writes only when it finds nothing; the found row
     * comes back as two more columns (11, 12). Its parameters come right after the first CTE's.
     */
    private String conditional(int variant, String check) {
        return edit(appends.member(variant), new String[][] {
                {" k AS (SELECT i.stream_type", " cc(seq, tx) AS (" + check + "), k AS (SELECT i.stream_type"},
                {" WHERE NOT EXISTS (SELECT 1 FROM k)", " WHERE NOT EXISTS (SELECT 1 FROM k) AND NOT EXISTS"
                        + " (SELECT 1 FROM cc)"},
                {" FROM (SELECT 1) AS one LEFT JOIN k ON true;", ", (SELECT seq FROM cc), (SELECT tx FROM cc)"
                        + " FROM (SELECT 1) AS one LEFT JOIN k ON true;"}});
    }

    /** {@code member} with each {@code edits[i][0]}, which must occur once, replaced by {@code edits[i][1]}. */
    private static String edit(String member, String[][] edits) {
        for (String[] edit : edits) {
            int at = member.indexOf(edit[0]);
            if (at < 0 || member.indexOf(edit[0], at + 1) >= 0) {
                throw new IllegalStateException("The member statement changed: \"" + edit[0] + "\" is not there once.");
            }
            member = member.substring(0, at) + edit[1] + member.substring(at + edit[0].length());
        }
        return member;
    }

    /**
     * Writes a Dynamic Consistency Boundary append on {@code connection} (in auto-commit mode) in one string, like a
     * plain append: {@link PostgresAppends#BEGIN}, every lock in one statement ({@link #conditionLocksSql}), then the
     * member statement that checks the condition (a fresh READ COMMITTED snapshot, after the locks) and writes only
     * when no event matches, and {@code COMMIT}. With a test {@code hook} the string stops before the commit; the
     * hook runs inside the transaction, and then it is committed, or rolled back when the hook throws. Sets the
     * member's {@code written}, or its {@code refused} ({@link AppendConditionFailedException} when an event matched).
     *
     * @throws AppendOutcomeUnknownException when the connection failed after the string ending in COMMIT was sent or
     *                                       its result could not be read after the commit
     */
    void writeConditional(Connection connection, PendingAppend member, BoundaryLocks.Keys keys,
                          AppendCondition condition, DcbQueries queries, AppendHook hook) throws SQLException {
        List<Dialect.Binder> binders = new ArrayList<>();
        String check = condition == null ? "SELECT NULL::bigint, NULL::bigint WHERE false"
                : queries.conflictSql(condition.query(), condition.afterOrStart(), binders);
        String text = PostgresAppends.BEGIN + " " + conditionLocks + " "
                + conditional(PostgresAppends.variant(member), check) + (hook == null ? " COMMIT" : "");
        StreamRef stream = member.request.stream();
        Position conflict = null;
        try (PreparedStatement statement = connection.prepareStatement(text)) {
            int i = 1;
            statement.setInt(i++, sql.lockSpace());
            statement.setInt(i++, sql.streamLockKey(stream)[1]);
            statement.setObject(i++, keys.keys());
            statement.setObject(i++, keys.exclusive());
            i = PostgresAppends.bindHead(statement, i, member);
            for (Dialect.Binder binder : binders) {
                i = binder.bind(statement, i);
            }
            PostgresAppends.bindRows(connection, statement, i, member);
            if (hook == null) {
                PostgresAppends.execute(statement, List.of(member));
            } else {
                statement.execute();
            }
            try {
                if (hook == null) {
                    appends.faultBeforeReading();
                }
                PostgresAppends.skipResults(statement, 2);
                try (ResultSet row = statement.getResultSet()) {
                    if (row == null || !row.next()) {
                        throw new SQLException("The append statement for " + stream + " returned no row.");
                    }
                    long seq = row.getLong(11);
                    if (!row.wasNull()) {
                        conflict = new Position(row.getLong(12), seq);
                    } else {
                        PostgresAppends.settleRow(row, member);
                    }
                }
                statement.getMoreResults();
            } catch (SQLException | RuntimeException unread) {
                if (hook == null) {
                    throw AppendOutcomeUnknownException.unread(List.of(member), unread);
                }
                throw unread;
            }
        }
        if (conflict != null) {
            member.written = null;
            member.refused = new AppendConditionFailedException(condition, conflict);
        }
        if (hook != null) {
            if (member.written != null) {
                hook.beforeCommit(stream);
            }
            try (var end = connection.createStatement()) {
                end.execute(member.written != null ? "COMMIT" : "ROLLBACK");
            }
        }
    }

    /**
     * An application transaction's locks, in one statement and in the plain appends' order (stream lock, shared
     * boundary keys, horizon lock), after reading whether the transaction had an id and held the horizon lock
     * before ({@link PostgresHorizon#joinStateSql}). The boundary keys in {@code form}
     * ({@link PostgresLocks#keyForm}); parameters: {@link PostgresLocks#bindStream}.
     */
    static String joinLocksSql(TableNames t, int form) {
        return "SELECT j.xid, j.held, " + PostgresLocks.streamExpression(t, form) + " FROM ("
                + PostgresHorizon.joinStateSql(t) + ") AS j;";
    }

    /** What a transaction was before {@link #writeInTransaction}: its id, and whether it held the horizon lock. */
    record Joined(long xid, boolean held) {
    }

    /**
     * Writes a plain append inside the application's transaction on {@code connection} (auto-commit off; the
     * application commits) in one round trip: {@code SAVEPOINT}, the locks ({@link #joinLocksSql}), the member
     * statement, {@code RELEASE SAVEPOINT}. The member statement writes only when the transaction had no id before it
     * (then its id comes after the locks, like a plain append's, and the stream's order and the read horizon need no
     * further check); otherwise it writes nothing and this returns what the transaction was, for the caller's
     * checks and steps. Returns {@code null} when the member was settled (written or refused). A refused append
     * wrote nothing; the locks it took stay with the transaction, as a written one's do. When the string fails, the
     * transaction is rolled back to the savepoint (the application's own work stays) and the failure thrown.
     */
    Joined writeInTransaction(Connection connection, PendingAppend member) throws SQLException {
        String text = inTransaction[PostgresAppends.variant(member)][PostgresLocks.keyForm(member.sharedKeys)];
        try (PreparedStatement statement = connection.prepareStatement(text)) {
            int first = PostgresLocks.bindStream(statement, 1, sql, member.request.stream(), member.sharedKeys);
            appends.bindMember(connection, statement, first, member);
            try {
                statement.execute();
            } catch (SQLException failure) {
                try (var undo = connection.createStatement()) {
                    undo.execute("ROLLBACK TO SAVEPOINT eskit_append; RELEASE SAVEPOINT eskit_append");
                } catch (SQLException | RuntimeException e) {
                    failure.addSuppressed(e);
                }
                throw failure;
            }
            statement.getMoreResults();
            Joined joined;
            try (ResultSet row = statement.getResultSet()) {
                if (row == null || !row.next()) {
                    throw new SQLException("The lock statement returned no row.");
                }
                long xid = row.getLong(1);
                joined = new Joined(row.wasNull() ? -1 : xid, row.getBoolean(2));
            }
            statement.getMoreResults();
            try (ResultSet row = statement.getResultSet()) {
                if (row == null || !row.next()) {
                    throw new SQLException("The append statement for " + member.request.stream()
                            + " returned no row.");
                }
                if (!row.getBoolean(11)) {
                    return joined;
                }
                PostgresAppends.settleRow(row, member);
            }
            return null;
        }
    }
}
