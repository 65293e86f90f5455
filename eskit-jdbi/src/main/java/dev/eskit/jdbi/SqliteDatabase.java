package dev.eskit.jdbi;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.eskit.Position;
import dev.eskit.StreamRef;
import dev.eskit.internal.WriteQueues;
import dev.eskit.jdbi.sqlite.Synchronous;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.WeakHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.JdbiException;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteConnection;
import org.sqlite.SQLiteDataSource;

/**
 * SQLite: WAL journal, one writer connection used under a lock with {@code BEGIN IMMEDIATE} (so a second process
 * waits for the lock at the start of its transaction, never fails half-way) after its turn in the file's fair write
 * queue of this process ({@link WriteQueues}, shared with the other writers of eskit's on the file), reader connections
 * of their own (a HikariCP pool for stores built from a URL, the caller's otherwise), and {@code busy_timeout} on every
 * connection.
 * Statements are prepared once per connection and kept ({@link SqliteStatements}): preparing is a large part of a short
 * statement on SQLite.
 */
final class SqliteDatabase extends Database {

    private final SqliteDialect sql;
    private final SqliteEventInserts inserts;
    private final SqliteLeanAppends leanAppends;
    private final Jdbi readers;
    private final HikariDataSource pool;
    private final Handle writer;
    private final int busyTimeoutMillis;
    /** The writer connection's lock: its transactions, its statements, and the loads that borrow it when idle. */
    private final ReentrantLock writeLock = new ReentrantLock();
    /**
     * The fair write queue of the database file, shared with every other writer of this process on the file
     * ({@link WriteQueues}): a write takes its turn here before it asks SQLite for the lock.
     */
    private final ReentrantLock queue;
    private final long queueTimeoutMillis; // how long a write waits for its turn in the queue: the busy timeout
    /** The statements kept on the writer connection and on the reader connections of the store's own pool. */
    private final SqliteStatements statements;
    /** How far type-filtered reads have scanned (the events table has no type index by default). */
    private final TypeScans typeScans = new TypeScans();
    /**
     * The physical connections of an application's data source that have the store's busy timeout set: set once per
     * connection, not per read (weak: the application's pool may drop a connection at any time).
     */
    private final Set<Connection> timeoutSet =
            Collections.synchronizedSet(Collections.newSetFromMap(new WeakHashMap<>()));

    /** What {@link #jdbi()} hands out: the caller's Jdbi, or one opening writable connections by the store's URL. */
    private final Jdbi shared;

    private SqliteDatabase(SqliteDialect sql, Jdbi readers, HikariDataSource pool, Handle writer,
                           int busyTimeoutMillis, long queueTimeoutMillis, Jdbi shared) {
        super(sql);
        this.shared = shared;
        this.sql = sql;
        this.inserts = new SqliteEventInserts(this, sql);
        this.leanAppends = new SqliteLeanAppends(this, sql);
        this.readers = readers;
        this.pool = pool;
        this.writer = writer;
        this.statements = new SqliteStatements(writer.getConnection(), pool != null);
        this.busyTimeoutMillis = busyTimeoutMillis;
        this.queueTimeoutMillis = queueTimeoutMillis;
        try {
            this.queue = WriteQueues.of(writer.getConnection());
        } catch (SQLException e) {
            writer.close();
            if (pool != null) {
                pool.close();
            }
            throw new StoreAccessException("read the file name of the SQLite database", e);
        }
    }

    @Override
    Jdbi jdbi() {
        return shared;
    }

    /** How far this store's type-filtered reads have scanned. */
    TypeScans typeScans() {
        return typeScans;
    }

    /** Creates the events table's index on (event type, position) where it is missing (an option of the store's). */
    void createEventTypeIndex() {
        TableNames tables = sql.tables;
        writing("create the event type index of " + tables.events(), handle -> handle.execute(
                "CREATE INDEX IF NOT EXISTS " + tables.table("events_type") + " ON " + tables.events()
                        + " (event_type, seq)"));
    }

    /**
     * Opens the SQLite file of {@code url} with a writer connection and a pool of {@code readerConnections} readers.
     *
     * @throws StoreConfigurationException for an in-memory database (readers could not see the writer's data)
     */
    static SqliteDatabase open(SqliteDialect sql, String url, Synchronous synchronous, Duration busyTimeout,
                               int readerConnections, boolean readOnly) {
        String lower = url.toLowerCase(Locale.ROOT);
        if (lower.contains(":memory:") || lower.contains("mode=memory") || lower.equals("jdbc:sqlite:")) {
            throw inMemory(url, "");
        }
        int busy = (int) busyTimeout.toMillis();
        Connection writerConnection;
        try {
            // Read-only: every connection opened read-only and the journal mode left as the file has it.
            writerConnection = dataSource(url, busy, synchronous, !readOnly, readOnly).getConnection();
        } catch (SQLException e) {
            throw new StoreAccessException("open the SQLite database " + url, e);
        }
        HikariConfig config = new HikariConfig();
        config.setDataSource(dataSource(url, busy, synchronous, false, readOnly));
        config.setPoolName("eskit-sqlite-readers");
        // The pool sets each connection's read-only flag, which SQLite cannot change once a connection is open.
        config.setReadOnly(readOnly);
        config.setMaximumPoolSize(readerConnections);
        config.setMinimumIdle(0);
        config.setConnectionInitSql("PRAGMA query_only = true");
        config.setInitializationFailTimeout(-1);
        HikariDataSource pool = new HikariDataSource(config);
        // The readers are query-only: tables beside the store (command log, queue) get connections of their own.
        Jdbi shared = Jdbi.create(dataSource(url, busy, synchronous, false, readOnly));
        return new SqliteDatabase(sql, Jdbi.create(pool), pool, Jdbi.create(() -> writerConnection).open(), -1, busy,
                shared);
    }

    /**
     * Uses {@code jdbi}'s connections: one held for the store's lifetime as the writer, others borrowed to read.
     *
     * @throws StoreConfigurationException when the connections are to an in-memory (or temporary) SQLite database,
     *                                     which each connection of a pool has to itself
     */
    static SqliteDatabase on(SqliteDialect sql, Jdbi jdbi, Synchronous synchronous, Duration busyTimeout) {
        int busy = (int) busyTimeout.toMillis();
        Handle writer = jdbi.open();
        try {
            requireFile(writer.getConnection());
        } catch (SQLException e) {
            writer.close();
            throw new StoreAccessException("read the file name of the SQLite database", e);
        } catch (RuntimeException e) {
            writer.close();
            throw e;
        }
        try (Statement statement = writer.getConnection().createStatement()) {
            statement.execute("PRAGMA journal_mode = WAL");
            statement.execute("PRAGMA synchronous = " + synchronous.name());
            statement.execute("PRAGMA busy_timeout = " + busy);
        } catch (SQLException e) {
            writer.close();
            throw new StoreAccessException("configure the SQLite writer connection", e);
        }
        return new SqliteDatabase(sql, jdbi, null, writer, busy, busy, jdbi);
    }

    /**
     * Refuses a connection whose main database has no file ({@code PRAGMA database_list} reports none): an in-memory
     * or temporary database, which the store's other connections would not see, so that the store would look empty
     * to its readers, subscriptions and command tables.
     */
    private static void requireFile(Connection connection) throws SQLException {
        String file = null;
        try (Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery("PRAGMA database_list")) {
            while (rows.next()) {
                if ("main".equals(rows.getString("name"))) {
                    file = rows.getString("file");
                }
            }
        }
        if (file == null || file.isEmpty()) {
            throw inMemory(connection.getMetaData().getURL(),
                    " (each connection of the DataSource gets a database of its own)");
        }
    }

    private static StoreConfigurationException inMemory(String url, String why) {
        return new StoreConfigurationException("\"" + url + "\" is an in-memory SQLite database, which the store's"
                + " separate reader connections cannot share" + why + ". Use a file (\"jdbc:sqlite:app.db\", a temp"
                + " file in tests) or EventStore.inMemory().");
    }

    private static SQLiteDataSource dataSource(String url, int busyTimeoutMillis, Synchronous synchronous,
                                               boolean writer, boolean readOnly) {
        SQLiteConfig config = new SQLiteConfig();
        config.setBusyTimeout(busyTimeoutMillis);
        // The store reads ids with RETURNING; the driver's generated-keys support would otherwise match a regular
        // expression against the SQL of every statement run with execute() (BEGIN, COMMIT) to find INSERTs.
        config.setGetGeneratedKeys(false);
        if (readOnly) {
            config.setReadOnly(true);
            SQLiteDataSource dataSource = new SQLiteDataSource(config);
            dataSource.setUrl(url);
            return dataSource;
        }
        config.setSynchronous(synchronous == Synchronous.FULL
                ? SQLiteConfig.SynchronousMode.FULL : SQLiteConfig.SynchronousMode.NORMAL);
        if (writer) {
            config.setJournalMode(SQLiteConfig.JournalMode.WAL);
        }
        SQLiteDataSource dataSource = new SQLiteDataSource(config);
        dataSource.setUrl(url);
        return dataSource;
    }

    // ------------------------------------------------------------------------------------------- transactions

    /**
     * Runs {@code work} in a write transaction on the writer connection. It first takes its turn in the file's fair
     * queue (so a thread writing back to back, here or through a {@code JdbiTransactor}, cannot keep the file from
     * the others: SQLite's own wait for the lock only polls), then the writer connection, then SQLite's lock with
     * {@code BEGIN IMMEDIATE} (another process may hold it; that wait still polls, up to the busy timeout).
     */
    @Override
    <T> T write(Work<T> work) throws SQLException {
        enterQueue();
        try {
            return writeOnWriter(work);
        } finally {
            queue.unlock();
        }
    }

    /**
     * Waits for this write's turn in the file's queue, at most the busy timeout, as SQLite itself waits for the write
     * lock. A timed {@code tryLock} keeps the queue's order.
     */
    private void enterQueue() throws SQLException {
        try {
            if (!queue.tryLock(Math.max(0, queueTimeoutMillis), TimeUnit.MILLISECONDS)) {
                throw new SQLException("[SQLITE_BUSY] The database is locked: other write transactions of this"
                        + " process held it for more than " + queueTimeoutMillis + " ms (SQLite has one writer)."
                        + " Keep write transactions short; a handler must not wait inside its transaction for"
                        + " another write.", "HY000", 5);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SQLException("Interrupted while waiting to write to the SQLite database.", "HY000", e);
        }
    }

    private <T> T writeOnWriter(Work<T> work) throws SQLException {
        writeLock.lock();
        try {
            Connection connection = writer.getConnection();
            executeCached(connection, "BEGIN IMMEDIATE");
            try {
                T result = work.run(writer);
                executeCached(connection, "COMMIT");
                return result;
            } catch (Throwable failure) {
                // A statement that failed may be left in a state not worth reasoning about: prepare afresh.
                statements.forgetWriter();
                try {
                    execute(connection, "ROLLBACK");
                } catch (SQLException rollback) {
                    // A failed COMMIT may already have ended the transaction; anything else is worth reporting.
                    if (rollback.getMessage() == null || !rollback.getMessage().contains("no transaction is active")) {
                        failure.addSuppressed(rollback);
                    }
                }
                throw failure;
            }
        } finally {
            writeLock.unlock();
        }
    }

    private void executeCached(Connection connection, String statementSql) throws SQLException {
        PreparedStatement statement = prepare(connection, statementSql);
        try {
            statement.execute();
        } finally {
            release(statement);
        }
    }

    private static void execute(Connection connection, String statementSql) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.execute(statementSql);
        }
    }

    @Override
    <T> T read(Work<T> work) throws SQLException {
        try (Handle handle = readers.open()) {
            if (busyTimeoutMillis >= 0) {
                setBusyTimeout(handle.getConnection());
            }
            if (pool != null) {
                statements.keep(handle.getConnection());
            }
            try {
                return work.run(handle);
            } catch (SQLException | RuntimeException | Error failure) {
                // As on the writer: a statement that failed is prepared afresh next time.
                statements.forgetReader(handle.getConnection());
                throw failure;
            }
        }
    }

    /**
     * Sets the busy timeout on a connection of the application's data source, unless it was set on that physical
     * connection before (every time, when the connection does not unwrap to SQLite's).
     */
    private void setBusyTimeout(Connection borrowed) throws SQLException {
        Connection physical = borrowed.isWrapperFor(SQLiteConnection.class)
                ? borrowed.unwrap(SQLiteConnection.class) : null;
        if (physical == null || !timeoutSet.contains(physical)) {
            execute(borrowed, "PRAGMA busy_timeout = " + busyTimeoutMillis);
            if (physical != null) {
                timeoutSet.add(physical);
            }
        }
    }

    /**
     * On the writer connection when no write is running: a reader connection's page cache is emptied by every commit
     * of the writer, while the writer's own stays warm, so a command's load right after the previous command's append
     * reads from memory. Busy (a write in progress), it reads on a reader connection as usual.
     */
    @Override
    <T> T readStream(ConnectionWork<T> work) throws SQLException {
        if (!writeLock.tryLock()) {
            if (pool == null) {
                return super.readStream(work);
            }
            // A write is running: a reader connection of the store's own pool, straight from it (no Jdbi handle: its
            // configuration copy and bookkeeping cost about as much as the load of a short stream).
            try (Connection connection = pool.getConnection()) {
                statements.keep(connection);
                try {
                    return work.run(connection);
                } catch (SQLException | RuntimeException | Error failure) {
                    statements.forgetReader(connection);
                    throw failure;
                }
            }
        }
        try {
            return work.run(writer.getConnection());
        } catch (SQLException | RuntimeException | Error failure) {
            statements.forgetWriter();
            throw failure;
        } finally {
            writeLock.unlock();
        }
    }

    @Override
    <T> T readStreaming(Work<T> work) throws SQLException {
        // SQLite steps through a result set row by row: every read is a cursor.
        return read(work);
    }

    @Override
    void beginMigration(Handle handle) {
        // BEGIN IMMEDIATE already holds the database's write lock, so a second process migrates after this one.
    }

    // ---------------------------------------------------------------------------------------- statement cache

    @Override
    PreparedStatement prepare(Connection connection, String statementSql) throws SQLException {
        return statements.prepare(connection, statementSql);
    }

    @Override
    void release(PreparedStatement statement) throws SQLException {
        statements.release(statement);
    }

    // --------------------------------------------------------------------------------- the append's steps

    @Override
    void writeGroup(List<PendingAppend> group, MemberSteps steps, AppendHook hook) throws SQLException {
        if (group.size() == 1) {
            PendingAppend only = group.get(0);
            if (SqliteLeanAppends.eligible(only, hook) && writeAlone(only)) {
                return;
            }
            if (only.head != null) {
                // At a known last event: the lean statement or nothing.
                only.missedHead = true;
                return;
            }
            only.written = write(handle -> steps.run(handle.getConnection(), only));
            return;
        }
        write(handle -> {
            Connection connection = handle.getConnection();
            for (PendingAppend member : group) {
                if (SqliteLeanAppends.eligible(member, hook)) {
                    // One statement, which SQLite undoes by itself when a constraint refuses it: no savepoint around
                    // it. Any other failure may have rolled the whole transaction back: the group fails.
                    try {
                        if (leanAppends.write(connection, member)) {
                            continue;
                        }
                        if (member.head != null) {
                            // At a known last event: the lean statement or nothing.
                            member.missedHead = true;
                            continue;
                        }
                    } catch (SQLException failed) {
                        statements.forgetWriter();
                        if (!SqliteDialect.isConstraintFailure(failed)) {
                            throw failed;
                        }
                        member.failed = failed;
                        continue;
                    }
                }
                // A savepoint per member (no I/O on SQLite): a refused member's steps are undone, the others stay.
                executeCached(connection, "SAVEPOINT eskit_member");
                try {
                    member.written = steps.run(connection, member);
                } catch (RuntimeException | SQLException refused) {
                    if (refused instanceof SQLException failed) {
                        statements.forgetWriter();
                        member.failed = failed;
                    } else {
                        member.refused = (RuntimeException) refused;
                    }
                    executeCached(connection, "ROLLBACK TO eskit_member");
                }
                executeCached(connection, "RELEASE eskit_member");
            }
            return null;
        });
    }

    @Override
    boolean appendsAtHead() {
        return true;
    }

    /** {@inheritDoc} One event: the lean statement's form with the event id's check. */
    @Override
    boolean canWriteAtHead(PendingAppend member) {
        return SqliteLeanAppends.eligible(member, null);
    }

    /**
     * A lone lean append as one auto-commit statement on the writer connection, after its turn in the file's queue:
     * the statement takes SQLite's write lock itself (waiting up to the busy timeout for another process's) and its
     * implicit transaction commits when it ends. Returns whether it wrote the event (else nothing was written).
     */
    private boolean writeAlone(PendingAppend member) throws SQLException {
        enterQueue();
        try {
            writeLock.lock();
            try {
                return leanAppends.write(writer.getConnection(), member);
            } catch (SQLException | RuntimeException | Error failure) {
                statements.forgetWriter();
                throw failure;
            } finally {
                writeLock.unlock();
            }
        } finally {
            queue.unlock();
        }
    }

    @Override
    int groupWriters() {
        return 1;
    }

    /** One writer serializes every append with every DCB condition check: appends take no boundary keys. */
    @Override
    boolean takesBoundaryKeys() {
        return false;
    }

    /** A TEXT column's bytes are the stored UTF-8 text: no string decoded per row for the event type. */
    @Override
    boolean readsTypeAsBytes() {
        return true;
    }

    @Override
    StreamHead lockStream(Connection connection, StreamRef stream, int count, long[] sharedKeys,
                          boolean startsTransaction) throws SQLException {
        // A write first, so an application's transaction waits here for the database's write lock (BEGIN IMMEDIATE
        // holds it already): the stream's row, inserted unless it exists (then nothing is written). Under that lock
        // the stream's version (its events' highest) and status cannot change until the commit.
        PreparedStatement ensure = prepare(connection, sql.ensureStreamSql);
        try {
            Dialect.bindStream(ensure, stream);
            ensure.executeUpdate();
        } finally {
            release(ensure);
        }
        PreparedStatement head = prepare(connection, sql.versionStatusSql);
        try {
            Dialect.bindStream(head, stream);
            try (ResultSet row = head.executeQuery()) {
                row.next();
                return new StreamHead(row.getLong(1), row.getInt(2), 0, null);
            }
        } finally {
            release(head);
        }
    }

    @Override
    Position[] insertEvents(Connection connection, StreamHead head, EncodedAppend append) throws SQLException {
        // Several-rows statements only where they are kept (the writer's); an application's connection keeps nothing.
        return inserts.insert(connection, head.version(), append, connection == writer.getConnection());
    }

    @Override
    public void close() {
        writeLock.lock();
        try {
            statements.forgetWriter();
            writer.close();
        } catch (JdbiException e) {
            // Closing is best effort: the process may be going down anyway.
        } finally {
            writeLock.unlock();
        }
        if (pool != null) {
            // Closing the connections closes their statements.
            pool.close();
            statements.dropReaders();
        }
    }
}
