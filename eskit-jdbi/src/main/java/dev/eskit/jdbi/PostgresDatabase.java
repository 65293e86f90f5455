package dev.eskit.jdbi;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.eskit.Position;
import dev.eskit.StreamRef;
import dev.eskit.dcb.AppendCondition;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.TreeSet;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/**
 * PostgreSQL: connections from a HikariCP pool for stores built from a URL (the caller's {@code Jdbi} or
 * {@code DataSource} otherwise). A plain append is one statement string, one round trip, on a connection in
 * auto-commit mode that begins, locks, writes and commits ({@link PostgresAppends}); so is a DCB append, and an
 * append in the application's transaction takes one round trip while that transaction has no id
 * ({@link PostgresMemberAppends}). Otherwise (an application's transaction with an id, test hooks) an append starts
 * with {@link PostgresDialect#headSql the append's first statements} (locks, stream row, transaction id and sequence
 * numbers in one round trip), then inserts the events. pgjdbc keeps server-side prepared statements per connection,
 * so statements are prepared per use.
 */
final class PostgresDatabase extends Database {

    private final PostgresDialect sql;
    private final Jdbi jdbi;
    private final HikariDataSource pool;
    private final PostgresAppends appends;
    private final DcbQueries queries;
    private final PostgresMemberAppends memberAppends;
    private final PostgresGroupAppends groupAppends;
    private final int groupWriters;
    /** An import's locks in one string ({@link #lockImport}). */
    private final String importLocks;

    PostgresDatabase(PostgresDialect sql, Jdbi jdbi, HikariDataSource pool) {
        super(sql);
        this.sql = sql;
        this.appends = new PostgresAppends(sql);
        this.queries = new DcbQueries(sql);
        this.memberAppends = new PostgresMemberAppends(sql, appends);
        this.groupAppends = new PostgresGroupAppends(sql, appends);
        this.importLocks = PostgresDialect.ISOLATION + " SELECT count(pg_advisory_xact_lock(?, s.k)) FROM"
                + " unnest(?::int[]) AS s(k); " + PostgresDialect.BOUNDARY_LOCKS + "; " + sql.horizonJoin;
        // Several groups in flight keep the server busy while one waits for its commit to reach the disk; a pool
        // of its own leaves connections for reads.
        this.groupWriters = pool == null ? 4 : Math.max(1, Math.min(4, pool.getMaximumPoolSize() / 2));
        this.jdbi = jdbi;
        this.pool = pool;
    }

    @Override
    Jdbi jdbi() {
        return jdbi;
    }

    /** The append statements (for tests' fault seam, {@link PostgresAppends#resultFault}). */
    PostgresAppends appends() {
        return appends;
    }

    /** Connects to {@code url} through a HikariCP pool of at most {@code maxConnections} connections. */
    static PostgresDatabase open(PostgresDialect sql, String url, int maxConnections) {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(url);
        config.setPoolName("eskit-postgres");
        config.setMaximumPoolSize(maxConnections);
        config.setMinimumIdle(0);
        config.setInitializationFailTimeout(-1);
        // Every transaction on the store's own connections is READ COMMITTED whatever the server's default, so a
        // lean append can be one auto-commit statement (PostgresLeanAppends); the pool restores it when a borrower
        // changed it.
        config.setTransactionIsolation("TRANSACTION_READ_COMMITTED");
        HikariDataSource pool = new HikariDataSource(config);
        return new PostgresDatabase(sql, Jdbi.create(pool), pool);
    }

    // ------------------------------------------------------------------------------------------- transactions

    @Override
    <T> T write(Work<T> work) throws SQLException {
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
                restoreAutoCommit(connection);
            }
        }
    }

    @Override
    <T> T read(Work<T> work) throws SQLException {
        try (Handle handle = jdbi.open()) {
            try {
                return work.run(handle);
            } catch (SQLException | RuntimeException | Error failure) {
                dropIfBroken(handle.getConnection(), failure);
                throw failure;
            }
        }
    }

    /**
     * With the store's own pool, on a connection straight from it (in auto-commit mode, as the pool hands it out):
     * a Jdbi handle's configuration copy and bookkeeping cost a command's load more client CPU than its query.
     */
    @Override
    <T> T readStream(ConnectionWork<T> work) throws SQLException {
        if (pool == null) {
            return super.readStream(work);
        }
        try (Connection connection = pool.getConnection()) {
            try {
                return work.run(connection);
            } catch (SQLException | RuntimeException | Error failure) {
                dropIfBroken(connection, failure);
                throw failure;
            }
        }
    }

    @Override
    <T> T readStreaming(Work<T> work) throws SQLException {
        // pgjdbc fetches in pages (a portal) only outside auto-commit mode, with a fetch size on the statement: the
        // same transaction shape as a write.
        return write(work);
    }

    private static void restoreAutoCommit(Connection connection) {
        try {
            if (!connection.isClosed()) {
                connection.setAutoCommit(true);
            }
        } catch (SQLException ignored) {
            // A broken connection is dropped by the pool when it is returned.
        }
    }

    /**
     * Closes a connection that failed with a connection-class error (SQLState 08xxx, or the server shutting down),
     * or with an {@link Error} (out of memory half-way through a result, say: the protocol state is unknown), so that
     * a pool drops it instead of handing it out again with unread results on the wire.
     */
    private static void dropIfBroken(Connection connection, Throwable failure) {
        boolean broken = failure instanceof Error;
        for (Throwable cause = failure; cause != null && !broken; cause = cause.getCause()) {
            broken = cause instanceof SQLException e && e.getSQLState() != null
                    && (e.getSQLState().startsWith("08") || e.getSQLState().startsWith("57P"));
        }
        if (broken) {
            try {
                // abort closes the physical connection, also behind a pool's proxy, which then evicts it.
                connection.abort(Runnable::run);
            } catch (SQLException | RuntimeException ignored) {
                // It is broken already.
            }
        }
    }

    @Override
    void beginMigration(Handle handle) throws SQLException {
        TableNames tables = sql.tables;
        handle.createQuery("SELECT pg_advisory_xact_lock(hashtext(:key))")
                .bind("key", "eskit-migrate:" + tables.schema() + "." + tables.prefix())
                .mapToMap().findFirst();
        boolean exists = handle.createQuery("SELECT 1 FROM pg_namespace WHERE nspname = :schema")
                .bind("schema", tables.schema()).mapTo(Integer.class).findFirst().isPresent();
        if (!exists) {
            handle.execute(tables.render("CREATE SCHEMA {schema}"));
        }
    }

    // --------------------------------------------------------------------------------- the append's steps

    @Override
    void writeGroup(List<PendingAppend> group, MemberSteps steps, AppendHook hook) throws SQLException {
        if (hook != null) {
            write(handle -> {
                appends.writeWithHook(handle.getConnection(), group, hook);
                return null;
            });
            return;
        }
        own(connection -> {
            if (group.size() > 1) {
                if (!groupAppends.write(connection, group)) {
                    // No lean member leads the group: the general statements, for all but the appends at a known
                    // last event, which the group's writer left to their threads.
                    List<PendingAppend> general = group.stream().filter(member -> !member.settleAlone).toList();
                    if (!general.isEmpty()) {
                        appends.write(connection, general);
                    }
                }
                return;
            }
            PendingAppend only = group.get(0);
            if (only.head != null) {
                // At a known last event: the lean statement or nothing.
                only.settleAlone = false;
                only.missedHead = !appends.writeLean(connection, only, pool != null);
            } else if (only.settleAlone) {
                // Its group's statement wrote nothing for it: the general statement, alone, says why (or writes it).
                only.settleAlone = false;
                appends.write(connection, group);
            } else if (!PostgresAppends.lean(group, null) || !appends.writeLean(connection, only, pool != null)) {
                appends.write(connection, group);
            }
        });
    }

    @Override
    boolean appendsAtHead() {
        return true;
    }

    /** {@inheritDoc} The lean statement's form with the last event's check ({@link PostgresLeanAppends}). */
    @Override
    boolean canWriteAtHead(PendingAppend member) {
        return PostgresAppends.leanMember(member);
    }

    /** Work on a connection in auto-commit mode whose statement strings begin and commit their own transactions. */
    @FunctionalInterface
    private interface OwnTransaction {
        void run(Connection connection) throws SQLException;
    }

    /**
     * Runs {@code work} on a pooled connection in auto-commit mode (restored afterwards if it was off): the work's
     * strings begin their transactions themselves ({@link PostgresAppends#BEGIN}), which saves the separate
     * {@code BEGIN} pgjdbc sends otherwise. After a failure the transaction a string left open (aborted) is rolled
     * back, so the connection goes back to the pool idle.
     */
    private void own(OwnTransaction work) throws SQLException {
        if (pool != null) {
            // The store's own pool: the connection straight from it, without a Jdbi handle (its configuration copy
            // and bookkeeping cost more client CPU than the lean append's own binding; nothing here needs them).
            try (Connection connection = pool.getConnection()) {
                runOwn(connection, work);
            }
            return;
        }
        try (Handle handle = jdbi.open()) {
            runOwn(handle.getConnection(), work);
        }
    }

    private static void runOwn(Connection connection, OwnTransaction work) throws SQLException {
        boolean autoCommit = connection.getAutoCommit();
        if (!autoCommit) {
            connection.setAutoCommit(true);
        }
        try {
            work.run(connection);
        } catch (Throwable failure) {
            rollbackOpen(connection, failure);
            dropIfBroken(connection, failure);
            throw failure;
        } finally {
            if (!autoCommit && !connection.isClosed()) {
                connection.setAutoCommit(false);
            }
        }
    }

    private static void rollbackOpen(Connection connection, Throwable failure) {
        if (failure instanceof AppendOutcomeUnknownException || failure instanceof Error) {
            return;
        }
        try (var rollback = connection.createStatement()) {
            // Outside a transaction block this is a warning only.
            rollback.execute("ROLLBACK");
        } catch (SQLException | RuntimeException e) {
            failure.addSuppressed(e);
        }
    }

    /**
     * A DCB append as one statement string on a connection in auto-commit mode, like a plain append
     * ({@link PostgresMemberAppends#writeConditional}): begin at READ COMMITTED, all locks in one statement, the
     * condition check inside the member statement, commit. One round trip where the shared steps took seven.
     */
    @Override
    boolean writeConditional(PendingAppend member, BoundaryLocks.Keys keys, AppendCondition condition,
                             AppendHook hook) throws SQLException {
        own(connection -> memberAppends.writeConditional(connection, member, keys, condition, queries, hook));
        return true;
    }

    @Override
    int groupWriters() {
        return groupWriters;
    }

    @Override
    StreamHead lockStream(Connection connection, StreamRef stream, int count, long[] sharedKeys,
                          boolean startsTransaction) throws SQLException {
        try (PreparedStatement query = connection.prepareStatement(sql.headSql(startsTransaction, sharedKeys))) {
            int index = PostgresLocks.bindStream(query, 1, sql, stream, sharedKeys);
            query.setString(index++, stream.type());
            query.setString(index++, stream.id());
            query.setLong(index++, count);
            query.setInt(index, count);
            query.execute();
            for (int i = 0; i < PostgresDialect.headSkips(startsTransaction); i++) {
                query.getMoreResults();
            }
            try (ResultSet row = query.getResultSet()) {
                if (row == null || !row.next()) {
                    throw new SQLException("The stream lock statement returned no stream row.");
                }
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
    boolean keepsStreamOrder(Connection connection, StreamRef stream, StreamHead head) throws SQLException {
        if (head.version() == 0) {
            return true;
        }
        try (PreparedStatement query = connection.prepareStatement(sql.lastTxSql)) {
            Dialect.bindStream(query, stream);
            query.setLong(3, head.version());
            try (ResultSet row = query.executeQuery()) {
                return !row.next() || row.getLong(1) <= head.commitOrder();
            }
        }
    }

    @Override
    Position[] insertEvents(Connection connection, StreamHead head, EncodedAppend append) throws SQLException {
        int count = append.size();
        long[] sequences = head.sequences();
        Position[] positions = new Position[count];
        try (PreparedStatement insert = connection.prepareStatement(sql.insertSql)) {
            for (int i = 0; i < count; i++) {
                insert.setLong(1, sequences[i]);
                sql.bindEvent(insert, 2, append, i, head.version() + i + 1);
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
    void lockBoundary(Connection connection, long[] keys, boolean[] exclusive) throws SQLException {
        // READ COMMITTED (whatever the pool's default): the condition check after the locks sees what every append
        // this one waited for committed. The isolation level and the locks in one round trip, the arrays in binary.
        if (keys.length == 0) {
            try (var statement = connection.createStatement()) {
                statement.execute(PostgresDialect.ISOLATION);
            }
            return;
        }
        try (PreparedStatement lock = connection.prepareStatement(PostgresDialect.ISOLATION + " "
                + PostgresDialect.BOUNDARY_LOCKS)) {
            lock.setObject(1, keys);
            lock.setObject(2, exclusive);
            lock.execute();
            lock.getMoreResults();
            try (ResultSet rows = lock.getResultSet()) {
                while (rows != null && rows.next()) {
                    // Each row is one lock taken, in key order.
                }
            }
        }
    }

    @Override
    long readHorizon(Connection connection) throws SQLException {
        return PostgresHorizon.current(connection, sql.tables);
    }

    @Override
    void lockImport(Connection connection, Collection<StreamRef> streams, BoundaryLocks.Keys keys)
            throws SQLException {
        TreeSet<Integer> sorted = new TreeSet<>();
        for (StreamRef stream : streams) {
            sorted.add(sql.streamLockKey(stream)[1]);
        }
        int[] streamKeys = sorted.stream().mapToInt(Integer::intValue).toArray();
        // One round trip: READ COMMITTED (the checks after the locks see what their earlier holders committed), the
        // stream locks in key order (unnest keeps the array's order), the boundary keys, the horizon lock last.
        try (PreparedStatement lock = connection.prepareStatement(importLocks)) {
            lock.setInt(1, sql.lockSpace());
            lock.setObject(2, streamKeys);
            lock.setObject(3, keys.keys());
            lock.setObject(4, keys.exclusive());
            lock.execute();
        }
    }

    /**
     * Joins the application's transaction to the store's appenders (see PostgresHorizon and docs/stores.md): a
     * transaction that already has an id is refused when an event of a later transaction has committed, because
     * readers may have passed its place in the log.
     */
    @Override
    void joinTransaction(Connection connection) throws SQLException {
        super.joinTransaction(connection);
        long earlier = PostgresHorizon.join(connection, sql.tables);
        if (earlier >= 0) {
            refuseIfPassed(connection, earlier);
        }
    }

    /**
     * An append in the application's transaction in one round trip where it is safe
     * ({@link PostgresMemberAppends#writeInTransaction}: the transaction had no id before it). Otherwise, having
     * written nothing, checks a transaction that joins the store's appenders late ({@link #refuseIfPassed}) and returns
     * {@code false}: the caller runs the append's steps one by one, which check the stream's order.
     */
    @Override
    boolean writeInTransaction(Connection connection, PendingAppend member, AppendHook hook) throws SQLException {
        if (hook != null) {
            return false;
        }
        super.joinTransaction(connection);
        PostgresMemberAppends.Joined joined = memberAppends.writeInTransaction(connection, member);
        if (joined == null) {
            return true;
        }
        if (!joined.held()) {
            refuseIfPassed(connection, joined.xid());
        }
        return false;
    }

    /**
     * For a transaction that had id {@code earlier} before it took the store's horizon lock (it joined late): takes
     * the late-joiner lock and refuses the append when an event of a later transaction has committed since.
     */
    private void refuseIfPassed(Connection connection, long earlier) throws SQLException {
        PostgresHorizon.lockLateJoiners(connection, sql.tables);
        boolean passed = read(handle -> {
            try (PreparedStatement query = handle.getConnection().prepareStatement(
                    PostgresHorizon.committedAfterSql(sql.tables))) {
                query.setString(1, Long.toString(earlier));
                try (ResultSet row = query.executeQuery()) {
                    return row.next() && row.getBoolean(1);
                }
            }
        });
        if (passed) {
            throw new TransactionTooOldException("Your transaction had a transaction id before this append (it wrote,"
                    + " or asked for its id) and events of later transactions have committed since, so its events"
                    + " would land behind what subscriptions may already have read. Nothing was appended. Roll the"
                    + " transaction back and run it again, or append before the transaction's first write.");
        }
    }

    @Override
    boolean locksQueryReads() {
        return true;
    }

    @Override
    public void close() {
        if (pool != null) {
            pool.close();
        }
    }
}
