package dev.eskit.jdbi;

import dev.eskit.Position;
import dev.eskit.StreamRef;
import dev.eskit.dcb.Tag;
import dev.eskit.jdbi.sqlite.Synchronous;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Collection;
import javax.sql.DataSource;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.JdbiException;

/**
 * The engine of one database: it owns the connections (a pool for stores built from a URL, the caller's otherwise),
 * runs transactions and reads, keeps prepared statements for reuse, and executes the steps of an append that differ
 * between databases. Its {@link Dialect} holds the SQL. The classes that own a table or a transaction
 * ({@link AppendTransaction}, {@link EventReader}, {@link StreamAdministration}, {@link Migrations}, ...) run their
 * statements through it.
 *
 * <p>Adding a database means one new engine and one new dialect; {@link #open} is the one place that picks them.
 */
abstract class Database implements AutoCloseable {

    /** Work on a Jdbi handle that may fail with an {@link SQLException}. */
    @FunctionalInterface
    interface Work<T> {
        /** Does the work. */
        T run(Handle handle) throws SQLException;
    }

    /**
     * A stream's state at the start of an append, read and locked inside the append's transaction.
     *
     * @param version     the stream's version before the append
     * @param status      {@link Dialect#ACTIVE}, {@link Dialect#ARCHIVED} or {@link Dialect#TOMBSTONED}
     * @param commitOrder the transaction's commit order (0 where the sequence alone orders the log)
     * @param sequences   pre-allocated global sequence numbers for the events, or {@code null} when the database
     *                    assigns them on insert
     */
    record StreamHead(long version, int status, long commitOrder, long[] sequences) {
    }

    /** The steps of one plain append inside a group's transaction (see {@link AppendTransaction}). */
    @FunctionalInterface
    interface MemberSteps {
        /** Runs the append's steps on {@code connection}; throws when the append is refused. */
        AppendTransaction.Written run(Connection connection, PendingAppend member) throws SQLException;
    }

    /** How many rows a streaming read fetches per round trip. */
    static final int FETCH_SIZE = 256;

    private final Dialect dialect;

    Database(Dialect dialect) {
        this.dialect = dialect;
    }

    /** The SQL of this database. */
    final Dialect dialect() {
        return dialect;
    }

    /**
     * Opens the engine for a URL ({@code jdbi} null) or for an existing {@code jdbi}: the one place that tells the
     * databases apart.
     *
     * @throws StoreConfigurationException when the database is not supported or the settings do not fit it
     */
    static Database open(String url, Jdbi jdbi, String schema, String prefix, Synchronous synchronous,
                         Duration busyTimeout, int maxConnections) {
        return open(url, jdbi, schema, prefix, synchronous, busyTimeout, maxConnections, false);
    }

    /** Opens the database; {@code readOnly} opens a SQLite file read-only, its journal mode untouched. */
    static Database open(String url, Jdbi jdbi, String schema, String prefix, Synchronous synchronous,
                         Duration busyTimeout, int maxConnections, boolean readOnly) {
        String product = url != null ? productOf(url) : detect(jdbi);
        switch (product) {
            case "SQLite" -> {
                if (schema != null) {
                    throw new StoreConfigurationException("SQLite has no schemas; drop schema(\"" + schema
                            + "\") and use tablePrefix(...) or another database file to separate stores.");
                }
                SqliteDialect dialect = new SqliteDialect(TableNames.of(null, prefix));
                if (readOnly && url == null) {
                    throw new StoreConfigurationException("readOnly() on SQLite needs url(...): the store opens the"
                            + " file read-only itself.");
                }
                if (url == null) {
                    return SqliteDatabase.on(dialect, jdbi, synchronous, busyTimeout);
                }
                Drivers.requireSqlite();
                return SqliteDatabase.open(dialect, url, synchronous, busyTimeout, maxConnections, readOnly);
            }
            case "PostgreSQL" -> {
                if (url != null) {
                    Drivers.requirePostgres();
                }
                PostgresDialect dialect = new PostgresDialect(TableNames.of(postgresSchema(schema, url), prefix));
                if (url == null) {
                    return new PostgresDatabase(dialect, jdbi, null);
                }
                return PostgresDatabase.open(dialect, url, maxConnections);
            }
            default -> throw new StoreConfigurationException("The database is " + product + ", which eskit-jdbi"
                    + " does not support. Use SQLite or PostgreSQL.");
        }
    }

    /**
     * The schema of a PostgreSQL store's tables: {@code schema} when given, else the first schema of the URL's
     * {@code currentSchema} parameter (so that a URL that names one puts the tables there, as it does an
     * application's own), else {@code public}.
     *
     * @throws StoreConfigurationException when the URL's schema is not one eskit can use
     */
    static String postgresSchema(String schema, String url) {
        if (schema != null) {
            return schema;
        }
        String fromUrl = currentSchema(url);
        if (fromUrl == null) {
            return "public";
        }
        try {
            TableNames.of(fromUrl, "");
        } catch (StoreConfigurationException e) {
            throw new StoreConfigurationException("The URL's currentSchema names \"" + fromUrl + "\", which eskit"
                    + " cannot use for its tables: " + e.getMessage() + " Or choose the schema with schema(...).");
        }
        return fromUrl;
    }

    /**
     * The first schema of a PostgreSQL JDBC URL's {@code currentSchema} parameter, as the driver reads it, or
     * {@code null} for none (or a URL the driver cannot read, which fails when it connects). Needs the driver.
     */
    static String currentSchema(String url) {
        java.util.Properties parsed = url == null ? null : org.postgresql.Driver.parseURL(url, null);
        String value = parsed == null ? null : parsed.getProperty("currentSchema");
        String first = value == null ? "" : value.split(",", -1)[0].trim();
        return first.isEmpty() ? null : first;
    }

    /** The database a JDBC URL names, or {@code null} when eskit-jdbi does not support it. */
    static String productOrNull(String url) {
        if (url == null) {
            return null;
        }
        if (url.startsWith("jdbc:sqlite:")) {
            return "SQLite";
        }
        return url.startsWith("jdbc:postgresql:") ? "PostgreSQL" : null;
    }

    private static String productOf(String url) {
        String product = productOrNull(url);
        if (product == null) {
            throw new StoreConfigurationException("\"" + url + "\" is not a supported JDBC URL. Use"
                    + " \"jdbc:sqlite:path/to/file.db\" or \"jdbc:postgresql://host:5432/database\".");
        }
        return product;
    }

    /**
     * Checks that {@code url} is a JDBC URL of {@code product} ({@code "SQLite"} or {@code "PostgreSQL"}).
     *
     * @throws StoreConfigurationException when it is not, with an example of one
     */
    static void requireUrl(String url, String product) {
        if (!product.equals(productOrNull(url))) {
            throw new StoreConfigurationException("\"" + url + "\" is not a " + product + " JDBC URL. Use \""
                    + (product.equals("SQLite") ? "jdbc:sqlite:path/to/file.db"
                    : "jdbc:postgresql://host:5432/database?user=...") + "\".");
        }
    }

    /**
     * The database behind {@code connection}: {@code "SQLite"}, {@code "PostgreSQL"}, or the product name the driver
     * reports for another one.
     */
    static String productOf(Connection connection) throws SQLException {
        String product = connection.getMetaData().getDatabaseProductName();
        return "sqlite".equalsIgnoreCase(product) ? "SQLite"
                : "postgresql".equalsIgnoreCase(product) ? "PostgreSQL" : product;
    }

    private static String detect(Jdbi jdbi) {
        try (Handle handle = jdbi.open()) {
            return productOf(handle.getConnection());
        } catch (SQLException e) {
            throw new StoreAccessException("connect to detect the database", e);
        } catch (JdbiException e) {
            throw new StoreAccessException("The database could not be reached to detect its kind: "
                    + e.getMessage(), e);
        }
    }

    /**
     * A Jdbi on this very database for the tables that live beside the events (command log, queue, dead letters):
     * the caller's Jdbi or DataSource, or for a URL-built store connections to the same URL.
     */
    abstract Jdbi jdbi();

    /** Wraps a caller's data source. */
    static Jdbi jdbi(DataSource dataSource) {
        return Jdbi.create(dataSource);
    }

    // ------------------------------------------------------------------------------------------- transactions
    /** {@link #read}, with failures reported as a {@link StoreAccessException} naming {@code operation}. */
    final <T> T reading(String operation, Work<T> work) {
        try {
            return read(work);
        } catch (SQLException e) {
            throw new StoreAccessException(operation, e);
        } catch (JdbiException e) {
            throw unreachable(operation, e);
        }
    }

    /** Work on a bare JDBC connection (no Jdbi handle) that may throw {@link SQLException}. */
    @FunctionalInterface
    interface ConnectionWork<T> {
        /** Does the work. */
        T run(Connection connection) throws SQLException;
    }

    /**
     * Runs {@code work}, a short read of one stream's rows for a command (no user code inside), like {@link #read}
     * but on a bare connection: an engine may pick a connection that reads it faster, or skip the Jdbi handle.
     */
    <T> T readStream(ConnectionWork<T> work) throws SQLException {
        return read(handle -> work.run(handle.getConnection()));
    }

    /** {@link #write}, with failures reported as a {@link StoreAccessException} naming {@code operation}. */
    final <T> T writing(String operation, Work<T> work) {
        try {
            return write(work);
        } catch (SQLException e) {
            throw new StoreAccessException(operation, e);
        } catch (JdbiException e) {
            throw unreachable(operation, e);
        }
    }

    /**
     * The failure of Jdbi to reach or use the database during {@code operation}: a failed statement is reported as
     * its {@link SQLException} would be.
     */
    static StoreAccessException unreachable(String operation, JdbiException e) {
        if (e.getCause() instanceof SQLException sql) {
            return new StoreAccessException(operation, sql);
        }
        return new StoreAccessException("The database failed to " + operation + ": " + e.getMessage()
                + ". Check that it is reachable and healthy, then retry.", e);
    }


    /** Runs {@code work} in a write transaction: commits when it returns, rolls back and rethrows when it throws. */
    abstract <T> T write(Work<T> work) throws SQLException;

    /** Runs {@code work} on a connection in auto-commit mode, for short reads. */
    abstract <T> T read(Work<T> work) throws SQLException;

    /**
     * Runs {@code work}, a read whose result set may be long, so that rows come from the database in pages of
     * {@link #FETCH_SIZE} instead of all at once (a cursor). Statements it runs should set that fetch size.
     */
    abstract <T> T readStreaming(Work<T> work) throws SQLException;

    /**
     * Prepares the migration transaction: takes whatever lock keeps two processes from migrating at once and creates
     * the schema if needed. Runs inside {@link #write} before the migrations table is read.
     */
    abstract void beginMigration(Handle handle) throws SQLException;

    /**
     * A prepared statement for {@code sql} on {@code connection}. Hand it back with {@link #release} instead of
     * closing it: an engine may keep it for the next call.
     */
    PreparedStatement prepare(Connection connection, String sql) throws SQLException {
        return connection.prepareStatement(sql);
    }

    /** Hands back a statement of {@link #prepare}; closes it unless the engine keeps it. */
    void release(PreparedStatement statement) throws SQLException {
        statement.close();
    }

    // --------------------------------------------------------------------------------- the append's steps

    /**
     * Writes a group of plain appends in one transaction and settles each member: written, or refused alone (its
     * conflict, duplicate key or bad state never fails the others). A group of one may instead throw its refusal.
     * Throwing anything else fails the whole group.
     *
     * @param steps the shared append steps, for engines that run them per member
     * @param hook  the test hook that runs before commit, or {@code null}
     */
    abstract void writeGroup(java.util.List<PendingAppend> group, MemberSteps steps, AppendHook hook)
            throws SQLException;

    /** How many groups may be written at once: 1 where the database has one writer. */
    abstract int groupWriters();

    /**
     * Reads and locks the stream's row for an append of {@code count} events, and advances its stored version (the
     * transaction is rolled back if the append is refused).
     *
     * @param sharedKeys         the boundary keys of the events, to take shared after the stream lock (sorted)
     * @param startsTransaction  whether this is the transaction's first statement (false after boundary locks, or in
     *                           a transaction of the application's)
     */
    abstract StreamHead lockStream(Connection connection, StreamRef stream, int count, long[] sharedKeys,
                                   boolean startsTransaction) throws SQLException;

    /**
     * Whether plain appends take the shared boundary keys of their events ({@link #lockStream}'s {@code sharedKeys}).
     * False where one writer already serializes every append with every DCB condition check (SQLite): the keys would
     * be computed for nothing.
     */
    boolean takesBoundaryKeys() {
        return true;
    }

    /**
     * Whether a command's load reads the event type's UTF-8 bytes rather than a string: true where a text column's
     * bytes are the stored text and a string costs a decode and a copy per row (SQLite).
     */
    boolean readsTypeAsBytes() {
        return false;
    }

    /**
     * Whether events appended now, in a transaction of the application's that may have got its commit order before
     * the stream lock, still come after the stream's earlier events in the global log. True where the log is ordered
     * by commit (SQLite).
     */
    boolean keepsStreamOrder(Connection connection, StreamRef stream, StreamHead head) throws SQLException {
        return true;
    }

    /** Inserts the events at versions {@code head.version() + 1 ...} and returns their global positions. */
    abstract Position[] insertEvents(Connection connection, StreamHead head, EncodedAppend append)
            throws SQLException;

    /** Inserts the tag rows of the events stored at {@code positions}. */
    final void insertTags(Connection connection, Position[] positions, EncodedAppend append) throws SQLException {
        PreparedStatement insert = prepare(connection, dialect.insertTagSql());
        try {
            for (int i = 0; i < append.size(); i++) {
                for (Tag tag : append.tags(i)) {
                    insert.setString(1, tag.value());
                    insert.setString(2, append.event(i).type());
                    insert.setLong(3, positions[i].sequence());
                    insert.addBatch();
                }
            }
            insert.executeBatch();
        } finally {
            release(insert);
        }
    }

    /**
     * Writes a DCB append in a transaction of the engine's own shape: its boundary locks {@code keys}, the condition
     * check (none when {@code condition} is null) and the append's steps; sets {@code member}'s {@code written} or
     * {@code refused}. Returns {@code false} where the engine has no such shape (then {@link AppendTransaction}
     * runs {@link #lockBoundary} and the shared steps in {@link #write}).
     */
    boolean writeConditional(PendingAppend member, BoundaryLocks.Keys keys,
                             dev.eskit.dcb.AppendCondition condition, AppendHook hook) throws SQLException {
        return false;
    }

    /**
     * Whether appends at a known last event ({@link PendingAppend#head}) can be written here at all; false by default.
     * {@link #writeGroup} then writes such a member (alone, or in a group when group commit is on) with its lean
     * statement's check only, and sets {@link PendingAppend#missedHead} when that wrote nothing.
     */
    boolean appendsAtHead() {
        return false;
    }

    /** Whether {@code member} (an append at a known last event) has a lean statement here: else it is not tried. */
    boolean canWriteAtHead(PendingAppend member) {
        return false;
    }

    /**
     * Writes a plain append in the application's transaction on {@code connection} in the engine's own shape and
     * sets {@code member}'s {@code written} or {@code refused}; returns {@code false}, having written nothing, where
     * the engine has none or it does not apply (then {@link AppendTransaction} runs {@link #joinTransaction} and the
     * shared steps).
     */
    boolean writeInTransaction(Connection connection, PendingAppend member, AppendHook hook) throws SQLException {
        return false;
    }

    /**
     * Starts a DCB transaction by taking the boundary locks {@code keys} (sorted ascending), each exclusive or shared
     * as {@code exclusive} says, before anything else. SQLite's single writer needs none.
     */
    void lockBoundary(Connection connection, long[] keys, boolean[] exclusive) throws SQLException {
    }

    /**
     * The store's read horizon for a read on {@code connection} (see {@link PostgresHorizon}): committed events of
     * later transactions are not returned yet. -1 where every committed event is readable at once (SQLite).
     */
    long readHorizon(Connection connection) throws SQLException {
        return -1;
    }

    /**
     * Starts an import's transaction by taking, before anything gives it an id, every lock an append of its events
     * would take and in the appends' order: the stream locks of {@code streams} (sorted by key, as a group takes
     * them), then the shared boundary keys of its events, then the store's horizon lock. One order for every writer,
     * so an import never deadlocks an append, a group or another import. SQLite's single writer needs none.
     */
    void lockImport(Connection connection, Collection<StreamRef> streams, BoundaryLocks.Keys keys)
            throws SQLException {
    }

    /**
     * Whether query reads run in a transaction that first takes the query's boundary locks exclusively (waiting for
     * every in-flight append of a matching event) instead of reading below the horizon. PostgreSQL: yes; SQLite,
     * whose single writer commits in sequence order: no.
     */
    boolean locksQueryReads() {
        return false;
    }

    /**
     * Checks that an append may run on {@code connection}, a transaction of the application's, and prepares it.
     *
     * @throws StoreConfigurationException when the connection is in auto-commit mode
     */
    void joinTransaction(Connection connection) throws SQLException {
        if (connection.getAutoCommit()) {
            throw new StoreConfigurationException("The connection is in auto-commit mode, so the events would not"
                    + " commit together with your own writes. Begin a transaction first (handle.begin(),"
                    + " connection.setAutoCommit(false), or jdbi.inTransaction(...)).");
        }
    }

    /** Releases the engine's own connections (not those of a {@code Jdbi} or {@code DataSource} it was given). */
    @Override
    public abstract void close();
}
