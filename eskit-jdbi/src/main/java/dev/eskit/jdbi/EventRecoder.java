package dev.eskit.jdbi;

import dev.eskit.EventDecodingException;
import dev.eskit.Position;
import dev.eskit.StoredEventHeader;
import dev.eskit.StreamRef;
import dev.eskit.UnknownEventTypeException;
import dev.eskit.codec.EncodedEvent;
import dev.eskit.codec.EventCodec;
import dev.eskit.codec.EventContext;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.Consumer;

/**
 * Converts the stored data of a store's events to another format ({@code "json"} or {@code "cbor"}) in place: what
 * {@code eskit migrate --recode-to} runs. Each row is decoded by the codec of its recorded format and encoded by the
 * store codec's {@linkplain EventCodec#forFormat variant} for the target, in batches of one transaction each: a batch
 * is written whole or not at all. Positions, ids, streams, versions, timestamps, metadata and tags stay as they are;
 * a row stored in an older schema version is upcast on the way, so it is stored in the current version afterwards.
 *
 * <p>Resumable and idempotent: only rows whose format differs from the target are touched, so a run stopped half-way
 * (or repeated) continues with what is left. Safe while the application runs: appends go on, and readers see each
 * row either before or after its batch. Get one from {@link JdbiEventStore#recoder()}.
 *
 * <pre>{@code
 * long recoded = store.recoder().recodeAll("cbor", 1000, batch -> log.info("{} rows", batch.recoded()));
 * }</pre>
 */
public final class EventRecoder {

    /** Rows per batch at most. */
    public static final int MAX_BATCH = 10_000;

    private final Database db;
    private final Dialect dialect;
    private final EventCodec codec;
    private final String selectSql;
    private final String updateSql;
    private final String remainingSql;

    EventRecoder(Database db, EventCodec codec) {
        this.db = db;
        this.dialect = db.dialect();
        this.codec = codec;
        String events = dialect.tables.events();
        // In log order, after a position (the primary key on PostgreSQL, the rowid on SQLite); rows are updated by
        // their unique (stream, version).
        this.selectSql = "SELECT " + dialect.columns + " FROM " + events + " WHERE " + dialect.afterSql("")
                + " AND codec <> ? ORDER BY " + dialect.logKey("") + " LIMIT ?";
        this.updateSql = "UPDATE " + events + " SET data = ?, codec = ?, schema_version = ? WHERE stream_type = ?"
                + " AND stream_id = ? AND version = ? AND codec = ?";
        this.remainingSql = "SELECT count(*) FROM " + events + " WHERE codec <> ?";
    }

    /**
     * One batch: how many rows it converted, and the position of the last one (where the next batch starts).
     *
     * @param recoded rows converted
     * @param last    the last converted row's position; {@code null} when none was left
     */
    public record Batch(int recoded, Position last) {
    }

    /** How many rows are stored in a format other than {@code format}. */
    public long remaining(String format) {
        checkFormat(format);
        return db.reading("count the events not stored as " + format, handle -> {
            try (PreparedStatement count = handle.getConnection().prepareStatement(remainingSql)) {
                count.setString(1, format);
                try (ResultSet row = count.executeQuery()) {
                    row.next();
                    return row.getLong(1);
                }
            }
        });
    }

    /**
     * Converts every row not stored as {@code format}, {@code batchSize} rows per transaction, calling
     * {@code progress} after each batch.
     *
     * @return how many rows were converted
     * @throws EventDecodingException    when a row cannot be read (its batch is rolled back, earlier ones stay)
     * @throws UnknownEventTypeException when a row's type is not among the codec's types
     */
    public long recodeAll(String format, int batchSize, Consumer<? super Batch> progress) {
        long total = 0;
        Position after = Position.START;
        while (true) {
            Batch batch = recodeBatch(format, after, batchSize);
            if (batch.recoded() == 0) {
                return total;
            }
            total += batch.recoded();
            after = batch.last();
            progress.accept(batch);
        }
    }

    /**
     * Converts up to {@code batchSize} rows after {@code after} ({@link Position#START} for the beginning) not stored
     * as {@code format}, in one transaction.
     */
    public Batch recodeBatch(String format, Position after, int batchSize) {
        checkFormat(format);
        if (batchSize < 1 || batchSize > MAX_BATCH) {
            throw new dev.eskit.InvalidInputException("Batch size " + batchSize + " is not between 1 and "
                    + MAX_BATCH + ".");
        }
        EventCodec target = codec.forFormat(format);
        return db.writing("recode events to " + format, handle -> {
            Connection connection = handle.getConnection();
            List<Row> rows = select(connection, format, after, batchSize);
            if (rows.isEmpty()) {
                return new Batch(0, null);
            }
            try (PreparedStatement update = connection.prepareStatement(updateSql)) {
                for (Row row : rows) {
                    EncodedEvent encoded = recode(row, target);
                    update.setBytes(1, encoded.data());
                    update.setString(2, encoded.format());
                    update.setInt(3, encoded.schemaVersion());
                    update.setString(4, row.where.stream().type());
                    update.setString(5, row.where.stream().id());
                    update.setLong(6, row.where.version());
                    update.setString(7, row.format);
                    update.addBatch();
                }
                update.executeBatch();
            }
            return new Batch(rows.size(), rows.get(rows.size() - 1).where.position());
        });
    }

    private static void checkFormat(String format) {
        if (!EncodedEvent.JSON.equals(format) && !EncodedEvent.CBOR.equals(format)) {
            throw new dev.eskit.InvalidInputException("Cannot recode to \"" + format + "\": the formats are \"json\""
                    + " and \"cbor\".");
        }
    }

    /** An event row as selected: what decoding and the update need. */
    private record Row(EventContext where, String type, int schemaVersion, Instant timestamp, byte[] data,
                       String format) {
    }

    private List<Row> select(Connection connection, String format, Position after, int limit) throws SQLException {
        List<Row> rows = new ArrayList<>();
        try (PreparedStatement query = connection.prepareStatement(selectSql)) {
            int index = dialect.bindAfter(after).bind(query, 1);
            query.setString(index, format);
            query.setInt(index + 1, limit);
            try (ResultSet row = query.executeQuery()) {
                while (row.next()) {
                    long sequence = row.getLong(1);
                    Position position = dialect.position(row.getLong(2), sequence);
                    UUID id = dialect.getUuid(row, 3);
                    StreamRef stream = StreamRef.of(row.getString(4), row.getString(5));
                    rows.add(new Row(new EventContext(id, stream, row.getLong(6), position),
                            row.getString(7), row.getInt(8), dialect.getInstant(row, 9), row.getBytes(11),
                            java.util.Objects.requireNonNullElse(row.getString(12), EncodedEvent.JSON)));
                }
            }
        }
        return rows;
    }

    private EncodedEvent recode(Row row, EventCodec target) {
        EventContext where = row.where;
        try {
            Object event = codec.forFormat(row.format).decode(row.type, row.schemaVersion, row.data, where);
            return target.encode(event, where);
        } catch (EventDecodingException e) {
            throw new EventDecodingException("Event " + where.version() + " of stream " + where.stream()
                    + " (position " + where.position() + ", type \"" + row.type + "\") cannot be recoded: "
                    + e.getMessage() + " Nothing of this batch was written.", e, new StoredEventHeader(where.eventId(),
                    where.stream(), where.version(), row.type, row.schemaVersion, where.position(), row.timestamp));
        }
    }
}
