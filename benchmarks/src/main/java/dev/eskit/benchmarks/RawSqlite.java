package dev.eskit.benchmarks;

import dev.eskit.benchmarks.domain.AccountState;
import dev.eskit.benchmarks.domain.Totals;
import java.nio.ByteBuffer;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.sqlite.SQLiteConfig;

/**
 * Raw JDBC on SQLite with the store's settings: WAL, {@code synchronous=NORMAL}, {@code busy_timeout} 10 s, one writer
 * connection with {@code BEGIN IMMEDIATE}, a separate {@code query_only} reader, the same statements.
 */
final class RawSqlite extends RawStore {

    private final Connection writer;
    private final Connection reader;
    private final PreparedStatement begin;
    private final PreparedStatement commit;
    private final PreparedStatement head;
    private final PreparedStatement insert;
    private final PreparedStatement insertReturning;
    private final PreparedStatement lastRow;
    private final PreparedStatement load;
    private final PreparedStatement readAll;

    RawSqlite(String url) throws SQLException {
        writer = connect(url, true);
        reader = connect(url, false);
        begin = writer.prepareStatement("BEGIN IMMEDIATE");
        commit = writer.prepareStatement("COMMIT");
        head = writer.prepareStatement("INSERT INTO eskit_streams AS st (stream_type, stream_id, version, status)"
                + " VALUES (?, ?, ?, 0) ON CONFLICT (stream_type, stream_id)"
                + " DO UPDATE SET version = st.version + excluded.version RETURNING version, status");
        String insertSql = "INSERT INTO eskit_events (id, stream_type, stream_id, version, event_type,"
                + " schema_version, created_at, metadata, data) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)";
        insert = writer.prepareStatement(insertSql);
        insertReturning = writer.prepareStatement(insertSql + " RETURNING seq");
        lastRow = writer.prepareStatement("SELECT last_insert_rowid()");
        String columns = "seq, 0 AS commit_order, id, stream_type, stream_id, version, event_type, schema_version,"
                + " created_at, metadata, data";
        load = reader.prepareStatement("SELECT " + columns + " FROM eskit_events WHERE stream_type = ? AND"
                + " stream_id = ? AND version >= ? AND version <= ? ORDER BY version");
        // Filtered by the projection's three event types, as the store is when given a handler's eventTypes().
        readAll = reader.prepareStatement("SELECT " + columns + " FROM eskit_events WHERE seq > ?"
                + " AND event_type IN (?, ?, ?) ORDER BY seq LIMIT ?");
    }

    private static Connection connect(String url, boolean writer) throws SQLException {
        SQLiteConfig config = new SQLiteConfig();
        config.setBusyTimeout(10_000);
        config.setSynchronous(SQLiteConfig.SynchronousMode.NORMAL);
        if (writer) {
            config.setJournalMode(SQLiteConfig.JournalMode.WAL);
        }
        Connection connection = new org.sqlite.JDBC().connect(url, config.toProperties());
        if (!writer) {
            try (Statement statement = connection.createStatement()) {
                statement.execute("PRAGMA query_only = true");
            }
        }
        return connection;
    }

    private static byte[] uuid(UUID id) {
        return ByteBuffer.allocate(16).putLong(id.getMostSignificantBits()).putLong(id.getLeastSignificantBits())
                .array();
    }

    @Override
    long append(String streamType, String streamId, long expectedVersion, List<?> events, byte[] metadata)
            throws SQLException {
        Row[] rows = encode(events);
        long now = micros(Instant.now());
        int count = rows.length;
        begin.execute();
        try {
            head.setString(1, streamType);
            head.setString(2, streamId);
            head.setLong(3, count);
            long version;
            int status;
            try (ResultSet row = head.executeQuery()) {
                row.next();
                version = row.getLong(1) - count;
                status = row.getInt(2);
            }
            if (status != 0 || version != expectedVersion) {
                throw new SQLException("conflict: stream at " + version + ", expected " + expectedVersion);
            }
            long last;
            if (count == 1) {
                bind(insertReturning, rows[0], streamType, streamId, version + 1, now, metadata);
                try (ResultSet row = insertReturning.executeQuery()) {
                    row.next();
                    last = row.getLong(1);
                }
            } else {
                for (int i = 0; i < count; i++) {
                    bind(insert, rows[i], streamType, streamId, version + i + 1, now, metadata);
                    insert.addBatch();
                }
                insert.executeBatch();
                try (ResultSet row = lastRow.executeQuery()) {
                    row.next();
                    last = row.getLong(1);
                }
            }
            commit.execute();
            return last > 0 ? version + count : -1;
        } catch (SQLException | RuntimeException e) {
            try (Statement rollback = writer.createStatement()) {
                rollback.execute("ROLLBACK");
            }
            throw e;
        }
    }

    private static void bind(PreparedStatement insert, Row row, String streamType, String streamId, long version,
                             long now, byte[] metadata) throws SQLException {
        insert.setBytes(1, uuid(row.id()));
        insert.setString(2, streamType);
        insert.setString(3, streamId);
        insert.setLong(4, version);
        insert.setString(5, row.type());
        insert.setInt(6, 1);
        insert.setLong(7, now);
        insert.setBytes(8, metadata);
        insert.setBytes(9, row.data());
    }

    @Override
    Loaded load(String streamType, String streamId) throws SQLException {
        load.setString(1, streamType);
        load.setString(2, streamId);
        load.setLong(3, 1);
        load.setLong(4, Long.MAX_VALUE);
        AccountState state = AccountState.INITIAL;
        long version = 0;
        try (ResultSet rows = load.executeQuery()) {
            while (rows.next()) {
                // The same columns the store reads; a fold needs only the type and data.
                rows.getLong(1);
                rows.getBytes(3);
                version = rows.getLong(6);
                String type = rows.getString(7);
                rows.getInt(8);
                rows.getLong(9);
                rows.getBytes(10);
                state = fold(state, decode(type, rows.getBytes(11)));
            }
        }
        return new Loaded(state, version);
    }

    @Override
    long catchUp(Totals totals, int pageSize) throws SQLException {
        long after = 0;
        long seen = 0;
        while (true) {
            readAll.setLong(1, after);
            readAll.setString(2, OPENED);
            readAll.setString(3, DEPOSITED);
            readAll.setString(4, WITHDRAWN);
            readAll.setInt(5, pageSize);
            int page = 0;
            try (ResultSet rows = readAll.executeQuery()) {
                while (rows.next()) {
                    after = rows.getLong(1);
                    rows.getBytes(3);
                    rows.getString(4);
                    rows.getString(5);
                    rows.getLong(6);
                    String type = rows.getString(7);
                    rows.getInt(8);
                    rows.getLong(9);
                    rows.getBytes(10);
                    project(totals, decode(type, rows.getBytes(11)));
                    page++;
                }
            }
            seen += page;
            if (page < pageSize) {
                return seen;
            }
        }
    }

    @Override
    public void close() throws SQLException {
        reader.close();
        writer.close();
    }
}
