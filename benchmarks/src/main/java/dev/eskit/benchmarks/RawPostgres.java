package dev.eskit.benchmarks;

import dev.eskit.benchmarks.domain.AccountState;
import dev.eskit.benchmarks.domain.Totals;
import java.sql.Array;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;

/**
 * Raw JDBC on PostgreSQL doing what the store does: one transaction with the stream's advisory lock, the stream-row
 * upsert, sequence numbers from the sequence, a batched insert; reads below {@code pg_snapshot_xmin}. One write and
 * one read connection, statements prepared once.
 */
final class RawPostgres extends RawStore {

    private final Connection writer;
    private final Connection reader;
    private final String schema;
    private final PreparedStatement head;
    private final PreparedStatement insert;
    private final PreparedStatement load;
    private final PreparedStatement readAll;

    RawPostgres(String url, String schema) throws SQLException {
        this.schema = schema;
        writer = DriverManager.getConnection(url);
        writer.setAutoCommit(false);
        reader = DriverManager.getConnection(url);
        String events = schema + ".eskit_events";
        head = writer.prepareStatement("SET TRANSACTION ISOLATION LEVEL READ COMMITTED;"
                + " SELECT pg_advisory_xact_lock(?, ?); WITH head AS (INSERT INTO " + schema + ".eskit_streams AS st"
                + " (stream_type, stream_id, version, status) VALUES (?, ?, ?, 0) ON CONFLICT (stream_type, stream_id)"
                + " DO UPDATE SET version = st.version + excluded.version RETURNING st.version, st.status)"
                + " SELECT version, status, pg_current_xact_id()::text::bigint,"
                + " ARRAY(SELECT nextval('" + schema + ".eskit_events_seq') FROM generate_series(1, ?)) FROM head");
        insert = writer.prepareStatement("INSERT INTO " + events + " (seq, id, stream_type, stream_id, version,"
                + " event_type, schema_version, created_at, metadata, data) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
        String columns = "seq, tx::text::bigint AS commit_order, id, stream_type, stream_id, version, event_type,"
                + " schema_version, created_at, metadata, data";
        load = reader.prepareStatement("SELECT " + columns + " FROM " + events + " WHERE stream_type = ? AND"
                + " stream_id = ? AND version >= ? AND version <= ? ORDER BY version");
        readAll = reader.prepareStatement("SELECT " + columns + " FROM " + events
                + " WHERE (tx, seq) > (?::text::xid8, ?) AND tx < pg_snapshot_xmin(pg_current_snapshot())"
                + " AND event_type = ANY (?) ORDER BY tx, seq LIMIT ?");
    }

    @Override
    long append(String streamType, String streamId, long expectedVersion, List<?> events, byte[] metadata)
            throws SQLException {
        Row[] rows = encode(events);
        OffsetDateTime now = OffsetDateTime.ofInstant(Instant.now(), ZoneOffset.UTC);
        int count = rows.length;
        try {
            head.setInt(1, 1);
            head.setInt(2, (streamType + '\u001f' + streamId).hashCode());
            head.setString(3, streamType);
            head.setString(4, streamId);
            head.setLong(5, count);
            head.setInt(6, count);
            head.execute();
            head.getMoreResults();
            head.getMoreResults();
            long version;
            int status;
            long[] sequences;
            try (ResultSet row = head.getResultSet()) {
                row.next();
                version = row.getLong(1) - count;
                status = row.getInt(2);
                row.getLong(3);
                Array array = row.getArray(4);
                Object[] values = (Object[]) array.getArray();
                sequences = new long[values.length];
                for (int i = 0; i < values.length; i++) {
                    sequences[i] = ((Number) values[i]).longValue();
                }
                array.free();
                Arrays.sort(sequences);
            }
            if (status != 0 || version != expectedVersion) {
                throw new SQLException("conflict: stream at " + version + ", expected " + expectedVersion);
            }
            for (int i = 0; i < count; i++) {
                insert.setLong(1, sequences[i]);
                insert.setObject(2, rows[i].id());
                insert.setString(3, streamType);
                insert.setString(4, streamId);
                insert.setLong(5, version + i + 1);
                insert.setString(6, rows[i].type());
                insert.setInt(7, 1);
                insert.setObject(8, now);
                insert.setBytes(9, metadata);
                insert.setBytes(10, rows[i].data());
                if (count == 1) {
                    insert.executeUpdate();
                } else {
                    insert.addBatch();
                }
            }
            if (count > 1) {
                insert.executeBatch();
            }
            writer.commit();
            return version + count;
        } catch (SQLException | RuntimeException e) {
            writer.rollback();
            throw e;
        }
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
                rows.getLong(1);
                rows.getLong(2);
                rows.getObject(3, UUID.class);
                version = rows.getLong(6);
                String type = rows.getString(7);
                rows.getInt(8);
                rows.getObject(9, OffsetDateTime.class);
                rows.getBytes(10);
                state = fold(state, decode(type, rows.getBytes(11)));
            }
        }
        return new Loaded(state, version);
    }

    @Override
    long catchUp(Totals totals, int pageSize) throws SQLException {
        long afterTx = 0;
        long afterSeq = 0;
        long seen = 0;
        while (true) {
            readAll.setString(1, Long.toString(afterTx));
            readAll.setLong(2, afterSeq);
            readAll.setArray(3, reader.createArrayOf("text", new Object[] {OPENED, DEPOSITED, WITHDRAWN}));
            readAll.setInt(4, pageSize);
            int page = 0;
            try (ResultSet rows = readAll.executeQuery()) {
                while (rows.next()) {
                    afterSeq = rows.getLong(1);
                    afterTx = rows.getLong(2);
                    rows.getObject(3, UUID.class);
                    rows.getString(4);
                    rows.getString(5);
                    rows.getLong(6);
                    String type = rows.getString(7);
                    rows.getInt(8);
                    rows.getObject(9, OffsetDateTime.class);
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
        Databases.dropSchema(schema);
    }
}
