package dev.eskit.jdbi;

import dev.eskit.StreamRef;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.List;
import java.util.TreeSet;

/**
 * The advisory locks every PostgreSQL append takes before its transaction has an id, as SQL and their parameters, in
 * this order: the stream lock (exclusive, two-int key space; a group's come sorted), the shared boundary keys of its
 * events (sorted, so they never deadlock a DCB append taking its keys exclusively in the same order), then the store's
 * shared horizon lock last, so that readers wait for an appender only once it has its locks ({@link PostgresHorizon}).
 * Nested {@code CASE}s fix that order (PostgreSQL evaluates a {@code CASE} branch only after its condition); within
 * one {@code unnest} the locks are taken in array order.
 *
 * <p>One stream's locks come in {@link #KEY_FORMS} forms ({@link #keyForm}): up to {@link #DIRECT_KEYS} boundary keys
 * as {@code bigint} parameters of their own, or all of them as one {@code bigint[]}. Same locks, same order; without
 * the array the server skips a subquery, an aggregate and the array's decoding (measured: the lean append's backend
 * CPU about 8 µs lower of about 130, the lock statement's executor time about 6 µs → 3 µs, docs/performance.md). A
 * group's locks take its streams and boundary keys as arrays ({@link #groupSql}).
 */
final class PostgresLocks {

    /** The most shared boundary keys one stream's locks take as parameters of their own; more go as one array. */
    static final int DIRECT_KEYS = 4;

    /** The forms of one stream's locks: 0 to {@link #DIRECT_KEYS} keys of their own, or (the last) one array. */
    static final int KEY_FORMS = DIRECT_KEYS + 2;

    private PostgresLocks() {
    }

    /** The form of {@code keys}' lock parameters: their count when each can be one, else the array form (the last). */
    static int keyForm(long[] keys) {
        return keys.length <= DIRECT_KEYS ? keys.length : KEY_FORMS - 1;
    }

    /**
     * A group's locks as a statement (with the trailing {@code ;}). Parameters: the store's lock space (int), the
     * stream keys ({@code int[]}), the shared keys ({@code bigint[]}, may be empty): {@link #bindGroup}.
     */
    static String groupSql(TableNames t) {
        return "SELECT CASE WHEN (SELECT count(pg_advisory_xact_lock(?, s.k)) FROM unnest(?::int[]) AS s(k)) >= 0"
                + " THEN " + sharedLocks(t) + ";";
    }

    /**
     * One stream's locks as a statement (with the trailing {@code ;}), its boundary keys in {@code form}: the lone
     * general append's, the lean append's on an application's data source and {@code lockStream}'s first statement.
     * Parameters: {@link #bindStream}.
     */
    static String streamSql(TableNames t, int form) {
        return "SELECT " + streamExpression(t, form) + ";";
    }

    /**
     * One stream's locks as an expression ({@code ''} once every lock is held), its boundary keys in {@code form}, for
     * a statement that takes the locks itself (the lean append, an application transaction's append). Parameters:
     * {@link #bindStream}.
     */
    static String streamExpression(TableNames t, int form) {
        String stream = "CASE WHEN pg_advisory_xact_lock(?, ?)::text = '' THEN ";
        if (form == KEY_FORMS - 1) {
            return stream + sharedLocks(t);
        }
        StringBuilder sql = new StringBuilder(stream);
        for (int k = 0; k < form; k++) {
            sql.append("CASE WHEN pg_advisory_xact_lock_shared(?::bigint)::text = '' THEN ");
        }
        sql.append(horizonLock(t));
        for (int k = 0; k <= form; k++) {
            sql.append(" END");
        }
        return sql.toString();
    }

    /**
     * Binds one stream's locks from {@code i} in the form {@link #keyForm} gives {@code keys}: the store's lock space
     * and the stream's key, then the shared boundary keys (sorted), each a parameter of its own or all in one array.
     * Returns the next parameter's index.
     */
    static int bindStream(PreparedStatement statement, int i, PostgresDialect sql, StreamRef stream, long[] keys)
            throws SQLException {
        statement.setInt(i++, sql.lockSpace());
        statement.setInt(i++, sql.streamLockKey(stream)[1]);
        if (keyForm(keys) == KEY_FORMS - 1) {
            statement.setObject(i++, keys);
        } else {
            for (long key : keys) {
                statement.setLong(i++, key);
            }
        }
        return i;
    }

    /**
     * Binds {@link #groupSql}'s parameters for {@code group} from the first: its stream keys and the shared keys of its
     * events, each sorted and once, as primitive arrays (sent in binary). Returns the next parameter's index.
     */
    static int bindGroup(PreparedStatement statement, PostgresDialect sql, List<PendingAppend> group)
            throws SQLException {
        TreeSet<Integer> locks = new TreeSet<>();
        TreeSet<Long> keys = new TreeSet<>();
        for (PendingAppend member : group) {
            locks.add(sql.streamLockKey(member.request.stream())[1]);
            for (long key : member.sharedKeys) {
                keys.add(key);
            }
        }
        int[] streams = new int[locks.size()];
        int i = 0;
        for (int lock : locks) {
            streams[i++] = lock;
        }
        long[] shared = new long[keys.size()];
        i = 0;
        for (long key : keys) {
            shared[i++] = key;
        }
        statement.setInt(1, sql.lockSpace());
        statement.setObject(2, streams);
        statement.setObject(3, shared);
        return 4;
    }

    /** The shared boundary keys from a {@code bigint[]} parameter, then the horizon lock, closing the stream's CASE. */
    private static String sharedLocks(TableNames t) {
        return "CASE WHEN (SELECT count(pg_advisory_xact_lock_shared(u.k)) FROM unnest(?::bigint[]) AS u(k)) >= 0"
                + " THEN " + horizonLock(t) + " END END";
    }

    private static String horizonLock(TableNames t) {
        return "pg_advisory_xact_lock_shared(" + PostgresHorizon.lockKey(t) + ")::text";
    }
}
