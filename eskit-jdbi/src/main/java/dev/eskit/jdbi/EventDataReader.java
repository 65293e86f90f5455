package dev.eskit.jdbi;

import dev.eskit.EventDecodingException;
import dev.eskit.EventStore;
import dev.eskit.Position;
import dev.eskit.StoredEventHeader;
import dev.eskit.StreamRef;
import dev.eskit.UnknownEventTypeException;
import dev.eskit.codec.EventCodec;
import dev.eskit.store.StreamDataReader;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Arrays;
import java.util.Objects;
import java.util.UUID;
import org.jdbi.v3.core.JdbiException;

/**
 * A command's loads ({@link StreamDataReader}): a stream's events from a version, each row's data decoded and handed
 * over with its version (and id), without metadata, timestamps or {@code StoredEvent}s. When the codec decodes without
 * a context ({@link EventCodec#needsContext()} is false) and the caller needs no ids, the rows are read without the
 * columns only the context needs (id, sequence, commit order).
 */
final class EventDataReader {

    private final Database db;
    private final Dialect dialect;
    private final EventCodec codec;

    /**
     * A command's load: only what decoding needs (seq, commit order, id, version, type, schema, data, codec) and the
     * timestamp for a decoding failure's message; no metadata, no stream columns.
     */
    private final String loadDataSql;
    /**
     * A command's load when the codec decodes without a context: the version, the id (only in {@link #loadLeanIdsSql},
     * for a state cache), type, schema, data and codec; no sequence or commit order.
     */
    private final String loadLeanSql;
    private final String loadLeanIdsSql;
    /** Whether the codec decodes without an {@code EventContext}, so that {@link #loadLeanSql} suffices. */
    private final boolean lean;
    /**
     * Whether the loads read the event type's UTF-8 bytes instead of a string (SQLite, where a TEXT column's bytes are
     * the stored text and a string costs a decode and a copy per row).
     */
    private final boolean typeAsBytes;

    EventDataReader(Database db, EventCodec codec) {
        this.db = db;
        this.codec = codec;
        this.dialect = db.dialect();
        this.loadDataSql = "SELECT seq, " + dialect.commitOrderSql("") + " AS commit_order, id, version, event_type,"
                + " schema_version, created_at, data, NULLIF(codec, 'json') AS codec FROM " + dialect.tables.events()
                + " WHERE stream_type = ? AND stream_id = ? AND version >= ? ORDER BY version LIMIT ?";
        String leanRest = " event_type, schema_version, data, NULLIF(codec, 'json') AS codec FROM "
                + dialect.tables.events() + " WHERE stream_type = ? AND stream_id = ? AND version >= ?"
                + " ORDER BY version LIMIT ?";
        this.loadLeanSql = "SELECT version," + leanRest;
        this.loadLeanIdsSql = "SELECT version, id," + leanRest;
        this.typeAsBytes = db.readsTypeAsBytes();
        this.lean = !codec.needsContext();
    }

    /**
     * {@code EventReader.loadEach} for a fold that needs only each event's version and data: no metadata is read or
     * decoded, no {@code StoredEvent} built. The same pages, the same decoding (with the event's id, stream, version
     * and position when the codec needs them) and the same failures; the action runs with no connection held.
     */
    void loadData(StreamRef stream, long fromVersion, StreamDataReader.DataAction action) {
        Objects.requireNonNull(action, "action");
        loadData(stream, fromVersion, lean ? loadLeanSql : null,
                (StreamDataReader.IdentifiedDataAction) (version, id, data) -> action.accept(version, data));
    }

    /** {@link #loadData} with each event's id. */
    void loadData(StreamRef stream, long fromVersion, StreamDataReader.IdentifiedDataAction action) {
        loadData(stream, fromVersion, lean ? loadLeanIdsSql : null, action);
    }

    /**
     * The pages of a data-only load; {@code leanSql}: {@link #loadLeanSql} (the ids handed to the action are then
     * {@code null}) or {@link #loadLeanIdsSql}, each page read again in full when one of its rows needs more (see
     * {@link #mapLean}); {@code null}: {@link #loadDataSql}.
     */
    private void loadData(StreamRef stream, long fromVersion, String leanSql,
                          StreamDataReader.IdentifiedDataAction action) {
        Objects.requireNonNull(stream, "stream");
        Objects.requireNonNull(action, "action");
        EventStore.checkFromVersion(fromVersion);
        DataPage page = new DataPage();
        long from = fromVersion;
        while (true) {
            long start = from;
            page.size = 0;
            readStream(db, stream, connection -> {
                if (leanSql != null && readPage(connection, leanSql, stream, start, page, true)) {
                    return null;
                }
                page.size = 0;
                readPage(connection, loadDataSql, stream, start, page, false);
                return null;
            });
            int rows = page.size;
            for (int i = 0; i < rows; i++) {
                Object event = page.data[i];
                page.data[i] = null;
                action.accept(page.versions[i], page.ids[i], event);
            }
            if (rows < Database.FETCH_SIZE) {
                return;
            }
            from = page.versions[rows - 1] + 1;
        }
    }

    /**
     * Reads one page of {@code stream} from {@code start} through {@code sql} into {@code page}; {@code leanRows}:
     * {@link #loadLeanSql}'s or {@link #loadLeanIdsSql}'s rows, else {@link #loadDataSql}'s. False when a lean page
     * must be read again in full.
     */
    private boolean readPage(Connection connection, String sql, StreamRef stream, long start, DataPage page,
                             boolean leanRows) throws SQLException {
        PreparedStatement query = db.prepare(connection, sql);
        try {
            Dialect.bindStream(query, stream);
            query.setLong(3, start);
            query.setInt(4, Database.FETCH_SIZE);
            if (leanRows) {
                return mapLean(query, page, sql == loadLeanIdsSql);
            }
            mapData(query, stream, page);
            return true;
        } finally {
            db.release(query);
        }
    }

    /** The versions and data of one page of a {@link #loadData} read. */
    private static final class DataPage {
        long[] versions = new long[16];
        UUID[] ids = new UUID[16];
        Object[] data = new Object[16];
        int size;

        void add(long version, UUID id, Object event) {
            if (size == versions.length) {
                versions = Arrays.copyOf(versions, size * 2);
                ids = Arrays.copyOf(ids, size * 2);
                data = Arrays.copyOf(data, size * 2);
            }
            versions[size] = version;
            ids[size] = id;
            data[size++] = event;
        }
    }

    /** Runs a read of {@code stream}'s rows for a command; failures name the stream (built only then). */
    static <T> T readStream(Database db, StreamRef stream, Database.ConnectionWork<T> work) {
        try {
            return db.readStream(work);
        } catch (SQLException e) {
            throw new StoreAccessException("load stream " + stream, e);
        } catch (JdbiException e) {
            throw Database.unreachable("load stream " + stream, e);
        }
    }

    /** Maps the rows of {@link #loadDataSql}: decodes each event's data only. */
    private void mapData(PreparedStatement query, StreamRef stream, DataPage page) throws SQLException {
        TypeNames types = new TypeNames(typeAsBytes);
        try (ResultSet row = query.executeQuery()) {
            while (row.next()) {
                long sequence = row.getLong(1);
                long commitOrder = row.getLong(2);
                UUID id = dialect.getUuid(row, 3);
                long version = row.getLong(4);
                String eventType = types.read(row, 5);
                int schemaVersion = row.getInt(6);
                byte[] data = row.getBytes(8);
                String format = row.getString(9);
                Position position = dialect.position(commitOrder, sequence);
                Object event;
                try {
                    event = EventReader.decodeData(codec, format, data, id, stream, version, eventType, schemaVersion,
                            position);
                } catch (EventDecodingException | UnknownEventTypeException failure) {
                    // The rare path: only now is the timestamp the failure's header names read.
                    throw EventReader.named(failure, new StoredEventHeader(id, stream, version, eventType,
                            schemaVersion, position, dialect.getInstant(row, 7)));
                }
                page.add(version, id, event);
            }
        }
    }

    /**
     * Maps the rows of {@link #loadLeanSql} ({@code withIds}: of {@link #loadLeanIdsSql}): decodes each event's data
     * without a context. False, with the page left
     * half-filled, when a row cannot be decoded (the full read then fails with the failure named as {@code load}
     * names it) or is of a format whose codec needs a context: the caller reads the page again in full.
     */
    private boolean mapLean(PreparedStatement query, DataPage page, boolean withIds) throws SQLException {
        int type = withIds ? 3 : 2;
        TypeNames types = new TypeNames(typeAsBytes);
        try (ResultSet row = query.executeQuery()) {
            while (row.next()) {
                long version = row.getLong(1);
                UUID id = withIds ? dialect.getUuid(row, 2) : null;
                String eventType = types.read(row, type);
                int schemaVersion = row.getInt(type + 1);
                byte[] data = row.getBytes(type + 2);
                String format = row.getString(type + 3);
                Object event;
                try {
                    EventCodec rowCodec = EventReader.rowCodec(codec, format);
                    if (rowCodec != codec && rowCodec.needsContext()) {
                        return false;
                    }
                    event = rowCodec.decode(eventType, schemaVersion, data);
                } catch (EventDecodingException | UnknownEventTypeException failure) {
                    return false;
                }
                page.add(version, id, event);
            }
        }
        return true;
    }

    /**
     * The event type of each row of one page. With {@code asBytes} (SQLite, where a TEXT column's bytes are the stored
     * text) the column is read as bytes, and a row of the previous row's type reuses its name: a stream's events mostly
     * share a few types, so no string is decoded and the name's hash is already computed for the codec's lookup.
     */
    private static final class TypeNames {
        private final boolean asBytes;
        private byte[] lastBytes;
        private String last;

        TypeNames(boolean asBytes) {
            this.asBytes = asBytes;
        }

        String read(ResultSet row, int column) throws SQLException {
            if (!asBytes) {
                return row.getString(column);
            }
            byte[] bytes = row.getBytes(column);
            if (lastBytes == null || !Arrays.equals(bytes, lastBytes)) {
                lastBytes = bytes;
                last = new String(bytes, StandardCharsets.UTF_8);
            }
            return last;
        }
    }
}
