package dev.eskit.benchmarks;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.ObjectWriter;
import dev.eskit.benchmarks.domain.Account;
import dev.eskit.benchmarks.domain.AccountState;
import dev.eskit.benchmarks.domain.Deposit;
import dev.eskit.benchmarks.domain.Deposited;
import dev.eskit.benchmarks.domain.Opened;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.UUID;

/**
 * The yardstick for the command path: the simplest correct event store a careful engineer writes by hand. One
 * {@code events} table with a unique (stream, version) constraint and nothing else (no streams table, no locks, no
 * idempotency table); statements prepared once per connection; plain Jackson with cached readers and writers; a
 * hand-written fold. A command selects the stream, folds it, decides, inserts one row in autocommit (its own
 * transaction) and retries when the unique constraint says another writer took the version. One instance per thread:
 * it owns one connection.
 */
final class SimpleJdbc implements AutoCloseable {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final ObjectReader OPENED = MAPPER.readerFor(Opened.class);
    private static final ObjectReader DEPOSITED = MAPPER.readerFor(Deposited.class);
    private static final ObjectWriter DEPOSITED_WRITER = MAPPER.writerFor(Deposited.class);
    private static final ObjectWriter OPENED_WRITER = MAPPER.writerFor(Opened.class);

    private final Connection connection;
    private final boolean sqlite;
    private final PreparedStatement select;
    private final PreparedStatement insert;

    private SimpleJdbc(Connection connection, boolean sqlite) throws SQLException {
        this.connection = connection;
        this.sqlite = sqlite;
        this.select = connection.prepareStatement(
                "SELECT type, data FROM simple_events WHERE stream_id = ? ORDER BY version");
        this.insert = connection.prepareStatement(
                "INSERT INTO simple_events (stream_id, version, type, data, metadata) VALUES (?, ?, ?, ?, ?)");
    }

    /** Creates the one table (in {@code schema} on PostgreSQL) and opens a connection to it. */
    static SimpleJdbc open(String db, String url, String schema) throws SQLException {
        Connection connection = DriverManager.getConnection(url);
        boolean sqlite = db.equals("sqlite");
        try (Statement statement = connection.createStatement()) {
            if (sqlite) {
                statement.execute("PRAGMA journal_mode=WAL");
                statement.execute("PRAGMA synchronous=NORMAL");
                statement.execute("PRAGMA busy_timeout=10000");
                statement.execute("CREATE TABLE IF NOT EXISTS simple_events (position INTEGER PRIMARY KEY,"
                        + " stream_id TEXT NOT NULL, version INTEGER NOT NULL, type TEXT NOT NULL, data BLOB NOT NULL,"
                        + " metadata BLOB, UNIQUE (stream_id, version))");
            } else {
                statement.execute("CREATE SCHEMA IF NOT EXISTS " + schema);
                statement.execute("SET search_path TO " + schema);
                statement.execute("CREATE TABLE IF NOT EXISTS simple_events (position BIGSERIAL PRIMARY KEY,"
                        + " stream_id TEXT NOT NULL, version BIGINT NOT NULL, type TEXT NOT NULL, data BYTEA NOT NULL,"
                        + " metadata BYTEA, UNIQUE (stream_id, version))");
            }
        }
        return new SimpleJdbc(connection, sqlite);
    }

    /** Writes the opening event of a stream. */
    void open(String streamId) throws SQLException {
        insert(streamId, 1, RawStore.OPENED, write(OPENED_WRITER, new Opened(streamId, "owner of " + streamId, "EUR")),
                null);
    }

    /** Load, fold, decide {@code Deposit}, insert with the next version; retry on a version conflict. */
    long deposit(String streamId, long amountCents) throws SQLException {
        while (true) {
            AccountState state = Account.initial();
            long version = 0;
            select.setString(1, streamId);
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    String type = rows.getString(1);
                    byte[] data = rows.getBytes(2);
                    state = type.equals(RawStore.DEPOSITED) ? Account.deposited(state, read(DEPOSITED, data))
                            : Account.opened(state, read(OPENED, data));
                    version++;
                }
            }
            Deposited event = Account.deposit(state, new Deposit(streamId, amountCents));
            try {
                insert(streamId, version + 1, RawStore.DEPOSITED, write(DEPOSITED_WRITER, event),
                        RawStore.commandMetadata(UUID.randomUUID()));
                return Account.deposited(state, event).balanceCents();
            } catch (SQLException e) {
                if (!isUniqueViolation(e)) {
                    throw e;
                }
            }
        }
    }

    /**
     * Appends {@code events} to a new stream as versions 1..n in one transaction: one JDBC batch of the prepared
     * insert (pgjdbc sends it in one round trip), one commit. The unique constraint refuses an existing stream.
     */
    int batch(String streamId, List<Deposited> events) throws SQLException {
        connection.setAutoCommit(false);
        try {
            long version = 0;
            for (Deposited event : events) {
                insert.setString(1, streamId);
                insert.setLong(2, ++version);
                insert.setString(3, RawStore.DEPOSITED);
                insert.setBytes(4, write(DEPOSITED_WRITER, event));
                insert.setBytes(5, null);
                insert.addBatch();
            }
            insert.executeBatch();
            connection.commit();
            return events.size();
        } catch (SQLException | RuntimeException e) {
            connection.rollback();
            throw e;
        } finally {
            connection.setAutoCommit(true);
        }
    }

    private void insert(String streamId, long version, String type, byte[] data, byte[] metadata)
            throws SQLException {
        insert.setString(1, streamId);
        insert.setLong(2, version);
        insert.setString(3, type);
        insert.setBytes(4, data);
        insert.setBytes(5, metadata);
        insert.executeUpdate();
    }

    private boolean isUniqueViolation(SQLException e) {
        return sqlite ? e.getMessage() != null && e.getMessage().contains("UNIQUE") : "23505".equals(e.getSQLState());
    }

    private static <T> T read(ObjectReader reader, byte[] data) {
        try {
            return reader.readValue(data);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static byte[] write(ObjectWriter writer, Object value) {
        try {
            return writer.writeValueAsBytes(value);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() throws SQLException {
        connection.close();
    }
}
