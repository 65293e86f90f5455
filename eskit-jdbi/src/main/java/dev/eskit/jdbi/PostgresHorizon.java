package dev.eskit.jdbi;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * The PostgreSQL read horizon of one store's global log: readers return only events whose transaction id is below
 * it. Every append transaction of the store takes a shared, transaction-level advisory lock on the store's key
 * ({@link #joinSql(TableNames)}) before it gets a transaction id; a reader first computes the horizon from the holders
 * of that lock alone ({@link #current}), so a long transaction elsewhere on the server (another database, other
 * tables) does not hold it back. The proof is in {@code docs/stores.md} ("The read horizon"). Part of the PostgreSQL
 * engine ({@link PostgresDatabase}, {@link PostgresDialect}).
 */
final class PostgresHorizon {

    /**
     * One statement, one snapshot S1 (taken before the lock table is read): S1's xmax and xmin, the smallest
     * transaction id of a holder of the store's lock, and whether some holder shows no transaction id. Transaction ids
     * in {@code pg_locks} are 32-bit; they are widened with S1's xmax's epoch (every in-progress id is within 2^31 of
     * it).
     */
    private static final String HORIZON_SQL = "WITH s AS (SELECT pg_snapshot_xmax(pg_current_snapshot())::text::bigint"
            + " AS xmax, pg_snapshot_xmin(pg_current_snapshot())::text::bigint AS xmin),"
            + " l AS MATERIALIZED (SELECT locktype, database, classid, objid, objsubid, virtualtransaction,"
            + " transactionid, mode, granted FROM pg_locks),"
            + " h AS (SELECT (SELECT min(s.xmax + ((t.transactionid::text::bigint - (s.xmax & 4294967295)"
            + " + 2147483648) & 4294967295) - 2147483648) FROM l t WHERE t.locktype = 'transactionid'"
            + " AND t.virtualtransaction = a.virtualtransaction AND t.granted AND t.mode = 'ExclusiveLock') AS xid"
            + " FROM l a, s WHERE a.locktype = 'advisory' AND a.granted AND a.objsubid = 1"
            + " AND a.classid::bigint = ? AND a.objid::bigint = ?"
            + " AND a.database = (SELECT oid FROM pg_database WHERE datname = current_database()))"
            + " SELECT s.xmax, s.xmin, (SELECT min(xid) FROM h), (SELECT count(*) FROM h WHERE xid IS NULL) FROM s";

    private static final String CLUSTER_SQL = "SELECT pg_snapshot_xmin(pg_current_snapshot())::text::bigint";

    private PostgresHorizon() {
    }

    /**
     * The SQL expression of the conservative, cluster-wide horizon (an {@code xid8}): every transaction below it has
     * ended. Correct everywhere, but any long write transaction on the server holds it back.
     */
    static String clusterHorizonSql() {
        return "pg_snapshot_xmin(pg_current_snapshot())";
    }

    /** The store's advisory-lock key: the first 8 bytes of a SHA-256 of its events table's qualified name. */
    static long lockKey(TableNames tables) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256")
                    .digest(("eskit-horizon\0" + tables.events()).getBytes(StandardCharsets.UTF_8));
            long key = 0;
            for (int i = 0; i < 8; i++) {
                key = (key << 8) | (digest[i] & 0xff);
            }
            return key;
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }

    /**
     * The statement an event-writing transaction runs before anything gives it a transaction id (with the trailing
     * {@code ;} of a multi-statement string): the shared lock on the store's key, held until the transaction ends.
     */
    static String joinSql(TableNames tables) {
        return "SELECT pg_advisory_xact_lock_shared(" + lockKey(tables) + ");";
    }

    /**
     * Joins an application's transaction on {@code connection} to the store's appenders: takes the shared horizon
     * lock and tells whether the transaction already had a transaction id (then it joined late).
     *
     * @return the transaction id it had before joining, or -1 when it had none or already held the lock (the safe
     *         cases)
     */
    static long join(Connection connection, TableNames tables) throws SQLException {
        // One statement: the check in a subquery the planner keeps apart (OFFSET 0) runs before the lock is taken.
        try (PreparedStatement query = connection.prepareStatement("SELECT j.xid, j.held,"
                + " pg_advisory_xact_lock_shared(" + lockKey(tables) + ")::text FROM (" + joinStateSql(tables)
                + ") AS j")) {
            try (ResultSet row = query.executeQuery()) {
                row.next();
                long xid = row.getLong(1);
                boolean none = row.wasNull();
                return none || row.getBoolean(2) ? -1 : xid;
            }
        }
    }

    /**
     * A one-row subquery, for a statement that joins a transaction to the store's appenders: {@code xid}, the
     * transaction's id if it has one (a bigint, else null), and {@code held}, whether it holds the store's horizon
     * lock already. {@code OFFSET 0} keeps it a subquery of its own, evaluated before the outer statement's
     * expressions (which take the lock).
     */
    static String joinStateSql(TableNames tables) {
        long key = lockKey(tables);
        return "SELECT pg_current_xact_id_if_assigned()::text::bigint AS xid, EXISTS (SELECT 1 FROM pg_locks"
                + " WHERE locktype = 'advisory' AND pid = pg_backend_pid() AND granted AND objsubid = 1"
                + " AND classid::bigint = " + (key >>> 32) + " AND objid::bigint = " + (key & 0xffffffffL)
                + ") AS held OFFSET 0";
    }

    /**
     * For a transaction that joined late ({@link #join} returned its id): takes the store's late-joiner lock, which
     * serialises late joiners until they end. Then the caller checks, on another connection, that no event of a later
     * transaction has committed ({@link #committedAfterSql}); see {@code docs/stores.md}.
     */
    static void lockLateJoiners(Connection connection, TableNames tables) throws SQLException {
        try (PreparedStatement lock = connection.prepareStatement("SELECT pg_advisory_xact_lock(?)")) {
            lock.setLong(1, lockKey(tables) ^ 0x5a5a5a5a5a5a5a5aL);
            lock.execute();
        }
    }

    /** A query (one bigint parameter, a transaction id) for whether an event of a later transaction is committed. */
    static String committedAfterSql(TableNames tables) {
        return "SELECT EXISTS (SELECT 1 FROM " + tables.events() + " WHERE tx > ?::text::xid8)";
    }

    /**
     * The horizon for a read on {@code connection}, as an {@code xid8} in a {@code long}: events with a smaller
     * transaction id that this store will ever have are committed now. Must be followed by the read in a later
     * statement (a later snapshot): on an autocommit (or READ COMMITTED) connection that is given; inside a
     * transaction with a single snapshot it falls back to the cluster-wide horizon.
     */
    static long current(Connection connection, TableNames tables) throws SQLException {
        if (!connection.getAutoCommit()
                && connection.getTransactionIsolation() != Connection.TRANSACTION_READ_COMMITTED) {
            try (PreparedStatement query = connection.prepareStatement(CLUSTER_SQL);
                 ResultSet row = query.executeQuery()) {
                row.next();
                return row.getLong(1);
            }
        }
        long key = lockKey(tables);
        try (PreparedStatement query = connection.prepareStatement(HORIZON_SQL)) {
            query.setLong(1, key >>> 32);
            query.setLong(2, key & 0xffffffffL);
            try (ResultSet row = query.executeQuery()) {
                row.next();
                long horizon = row.getLong(1);
                long holders = row.getLong(3);
                if (!row.wasNull()) {
                    horizon = Math.min(horizon, holders);
                }
                if (row.getLong(4) > 0) {
                    // A holder whose id is not visible yet: it may have just got one, so fall back to S1's xmin.
                    horizon = Math.min(horizon, row.getLong(2));
                }
                return horizon;
            }
        }
    }
}
