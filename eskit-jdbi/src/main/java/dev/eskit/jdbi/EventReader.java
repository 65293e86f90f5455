package dev.eskit.jdbi;

import dev.eskit.AppendResult;
import dev.eskit.EventDecodingException;
import dev.eskit.EventStore;
import dev.eskit.InvalidInputException;
import dev.eskit.Metadata;
import dev.eskit.Position;
import dev.eskit.StoredEvent;
import dev.eskit.StoredEventHeader;
import dev.eskit.StreamRef;
import dev.eskit.UnknownEventTypeException;
import dev.eskit.codec.EventCodec;
import dev.eskit.dcb.Query;
import dev.eskit.store.StreamDataReader;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.Consumer;

/**
 * Reads events and decodes them: stream loads (as a list or streamed row by row), pages of the global log, query reads
 * of Dynamic Consistency Boundaries, and the lookups an append needs (versions, idempotency keys).
 */
final class EventReader {

    private final Database db;
    private final Dialect dialect;
    private final EventCodec codec;
    private final DcbQueries queries;
    /** A command's loads: the data-only reads. */
    private final EventDataReader data;
    /** SQLite's memory of type-filtered scans; {@code null} on PostgreSQL, whose events table has a type index. */
    private final TypeScans typeScans;
    /** SQLite's statements of those scans; {@code null} on PostgreSQL. */
    private final SqliteDialect sqlite;

    EventReader(Database db, EventCodec codec) {
        this.db = db;
        this.dialect = db.dialect();
        this.typeScans = db instanceof SqliteDatabase sqliteDb ? sqliteDb.typeScans() : null;
        this.sqlite = typeScans != null ? (SqliteDialect) dialect : null;
        this.codec = codec;
        this.queries = new DcbQueries(dialect);
        this.data = new EventDataReader(db, codec);
    }

    /** Events {@code fromVersion..toVersion} of {@code stream}, as a list. */
    List<StoredEvent<Object>> load(StreamRef stream, long fromVersion, long toVersion) {
        Objects.requireNonNull(stream, "stream");
        EventStore.checkFromVersion(fromVersion);
        List<StoredEvent<Object>> events = new ArrayList<>(16);
        db.reading("load stream " + stream, handle -> {
            loadOn(handle.getConnection(), stream, fromVersion, toVersion, false, events::add);
            return null;
        });
        return events;
    }

    /**
     * Events from {@code fromVersion} of {@code stream}, handed to {@code action} a page of {@link Database#FETCH_SIZE}
     * at a time, so memory stays bounded whatever the stream's length. Each page is a short read of its own (no
     * transaction held across pages, no cursor): a stream's events never change once written, so the pages join into
     * the stream as it was when the last one was read. The action runs with no connection held.
     */
    void loadEach(StreamRef stream, long fromVersion, Consumer<? super StoredEvent<Object>> action) {
        Objects.requireNonNull(stream, "stream");
        Objects.requireNonNull(action, "action");
        EventStore.checkFromVersion(fromVersion);
        List<StoredEvent<Object>> page = new ArrayList<>(16);
        long from = fromVersion;
        while (true) {
            long start = from;
            page.clear();
            readStream(stream, connection -> {
                PreparedStatement query = db.prepare(connection, dialect.loadPageSql);
                try {
                    Dialect.bindStream(query, stream);
                    query.setLong(3, start);
                    query.setInt(4, Database.FETCH_SIZE);
                    map(query, stream, page::add);
                } finally {
                    db.release(query);
                }
                return null;
            });
            page.forEach(action);
            if (page.size() < Database.FETCH_SIZE) {
                return;
            }
            from = page.get(page.size() - 1).version() + 1;
        }
    }

    /**
     * {@link #loadEach} for a fold that needs only each event's version and data: no metadata is read or decoded, no
     * {@link StoredEvent} built ({@link EventDataReader}).
     */
    void loadData(StreamRef stream, long fromVersion, StreamDataReader.DataAction action) {
        data.loadData(stream, fromVersion, action);
    }

    /** {@link #loadData} with each event's id. */
    void loadData(StreamRef stream, long fromVersion, StreamDataReader.IdentifiedDataAction action) {
        data.loadData(stream, fromVersion, action);
    }

    /** Runs a read of {@code stream}'s rows for a command; failures name the stream (built only then). */
    private <T> T readStream(StreamRef stream, Database.ConnectionWork<T> work) {
        return EventDataReader.readStream(db, stream, work);
    }

    private void loadOn(Connection connection, StreamRef stream, long fromVersion, long toVersion, boolean paged,
                        Consumer<? super StoredEvent<Object>> action) throws SQLException {
        PreparedStatement query = db.prepare(connection, dialect.loadSql);
        try {
            Dialect.bindStream(query, stream);
            query.setLong(3, fromVersion);
            query.setLong(4, toVersion);
            query.setFetchSize(paged ? Database.FETCH_SIZE : 0);
            map(query, stream, action);
        } finally {
            db.release(query);
        }
    }

    /** Up to {@code limit} events after {@code after} in global order, of {@code eventTypes} (all when empty). */
    List<StoredEvent<Object>> readAll(Position after, int limit, Set<String> eventTypes) {
        Objects.requireNonNull(after, "after");
        Objects.requireNonNull(eventTypes, "eventTypes");
        EventStore.checkReadLimit(limit);
        if (typeScans != null && !eventTypes.isEmpty()) {
            return readTypes(after, limit, eventTypes);
        }
        List<StoredEvent<Object>> events = new ArrayList<>(Math.min(limit, 256));
        db.reading("read the global log", handle -> {
            PreparedStatement query = allQuery(handle.getConnection(), after, limit, eventTypes);
            try {
                map(query, null, events::add);
            } finally {
                db.release(query);
            }
            return null;
        });
        return events;
    }

    /** The read of up to {@code limit} events of {@code eventTypes} (all when empty) after {@code after}, bound. */
    private PreparedStatement allQuery(Connection connection, Position after, int limit, Set<String> eventTypes)
            throws SQLException {
        PreparedStatement query = db.prepare(connection, dialect.readAllSql(eventTypes.size()));
        try {
            dialect.bindReadAll(query, after, limit, eventTypes);
            return query;
        } catch (SQLException | RuntimeException e) {
            db.release(query);
            throw e;
        }
    }

    /**
     * SQLite's read of some event types: a scan by position from where the last read of these types after
     * {@code after} stopped ({@link TypeScans}) up to the log's head as it was just before, remembered when the read
     * found fewer than {@code limit} events (then none of these types lies between its last event and that head).
     */
    private List<StoredEvent<Object>> readTypes(Position after, int limit, Set<String> eventTypes) {
        List<StoredEvent<Object>> events = new ArrayList<>(Math.min(limit, 256));
        if (after.commitOrder() > 0) {
            return events; // a position from elsewhere with a commit order lies after the whole log
        }
        long from = after.sequence();
        long start = typeScans.startOf(eventTypes, from);
        db.reading("read the global log", handle -> {
            long head = logHead(handle.getConnection());
            if (head <= start) {
                return null;
            }
            PreparedStatement query = typesQuery(handle.getConnection(), start, head, eventTypes, limit);
            try {
                map(query, null, events::add);
            } finally {
                db.release(query);
            }
            if (events.size() < limit) {
                typeScans.noneBetween(eventTypes, events.isEmpty() ? from : last(events), head);
            }
            return null;
        });
        return events;
    }

    /** SQLite's highest sequence number now, 0 for an empty log. */
    private long logHead(Connection connection) throws SQLException {
        PreparedStatement headQuery = db.prepare(connection, sqlite.logHeadSql());
        try (java.sql.ResultSet row = headQuery.executeQuery()) {
            row.next();
            return row.getLong(1);
        } finally {
            db.release(headQuery);
        }
    }

    /** SQLite's read of up to {@code limit} events of {@code eventTypes} after {@code start} up to {@code head}. */
    private PreparedStatement typesQuery(Connection connection, long start, long head, Set<String> eventTypes,
                                         int limit) throws SQLException {
        PreparedStatement query = db.prepare(connection, sqlite.readTypesSql(eventTypes.size()));
        try {
            query.setLong(1, start);
            query.setLong(2, head);
            int index = 3;
            for (String type : eventTypes) {
                query.setString(index++, type);
            }
            query.setInt(index, limit);
            return query;
        } catch (SQLException | RuntimeException e) {
            db.release(query);
            throw e;
        }
    }

    private static long last(List<StoredEvent<Object>> events) {
        return events.get(events.size() - 1).position().sequence();
    }

    /** Up to {@code limit} events of streams of {@code streamType} after {@code after}, in global order. */
    List<StoredEvent<Object>> readStreamType(String streamType, Position after, int limit) {
        List<StoredEvent<Object>> events = new ArrayList<>(Math.min(limit, 256));
        db.reading("read the events of stream type " + streamType, handle -> {
            PreparedStatement query = db.prepare(handle.getConnection(), dialect.readStreamTypeSql());
            try {
                dialect.bindReadStreamType(query, streamType, after, limit);
                map(query, null, events::add);
            } finally {
                db.release(query);
            }
            return null;
        });
        return events;
    }

    /** The position of the newest event a log reader can see now, or {@link Position#START}. */
    Position latestPosition() {
        return db.reading("read the latest position", handle -> {
            try (PreparedStatement query = handle.getConnection().prepareStatement(dialect.latestPositionSql())) {
                dialect.bindLatestPosition(query);
                try (java.sql.ResultSet row = query.executeQuery()) {
                    return row.next() ? dialect.position(row.getLong(1), row.getLong(2)) : Position.START;
                }
            }
        });
    }

    /**
     * The log read of a tenant view: rows of streams whose type does not start with {@code streamTypePrefix} are
     * skipped before their data or metadata is decoded, so another tenant's unreadable event never fails this read.
     */
    List<StoredEvent<Object>> readAllWithStreamTypePrefix(String streamTypePrefix, Position after, int limit,
                                                          Set<String> eventTypes) {
        Objects.requireNonNull(streamTypePrefix, "streamTypePrefix");
        Objects.requireNonNull(after, "after");
        Objects.requireNonNull(eventTypes, "eventTypes");
        EventStore.checkReadLimit(limit);
        int page = Math.min(dev.eskit.Limits.MAX_READ_LIMIT, Math.max(limit, 500));
        List<StoredEvent<Object>> result = new ArrayList<>(Math.min(limit, 64));
        // SQLite without a type index: scan up to the head read before the first page, from where earlier reads of
        // these types found nothing (TypeScans), and remember where this one found nothing.
        boolean scans = typeScans != null && !eventTypes.isEmpty() && after.commitOrder() == 0;
        Position from = scans ? Position.of(typeScans.startOf(streamTypePrefix, eventTypes, after.sequence())) : after;
        long[] head = {-1};
        while (true) {
            PrefixScan scan = new PrefixScan(streamTypePrefix, limit - result.size());
            Position start = from;
            db.reading("read the global log", handle -> {
                Connection connection = handle.getConnection();
                PreparedStatement query;
                if (scans) {
                    if (head[0] < 0) {
                        head[0] = logHead(connection);
                    }
                    if (head[0] <= start.sequence()) {
                        return null;
                    }
                    query = typesQuery(connection, start.sequence(), head[0], eventTypes, page);
                } else {
                    query = allQuery(connection, start, page, eventTypes);
                }
                try {
                    map(query, null, result::add, scan);
                } finally {
                    db.release(query);
                }
                return null;
            });
            if (result.size() >= limit) {
                return result;
            }
            if (scan.rows < page) {
                if (scans && head[0] >= 0) {
                    typeScans.noneBetween(streamTypePrefix, eventTypes,
                            result.isEmpty() ? after.sequence() : last(result), head[0]);
                }
                return result;
            }
            from = scan.last;
        }
    }

    /** Rows a prefix read looked at: how many, the last one's position, and how many matching events to keep. */
    private static final class PrefixScan {
        final String prefix;
        final int wanted;
        int rows;
        int kept;
        Position last;

        PrefixScan(String prefix, int wanted) {
            this.prefix = prefix;
            this.wanted = wanted;
        }
    }

    /** Up to {@code limit} events matching {@code query} after {@code after}. */
    List<StoredEvent<Object>> read(Query query, Position after, int limit) {
        List<StoredEvent<Object>> events = new ArrayList<>(Math.min(limit, 256));
        if (!db.locksQueryReads()) {
            db.reading("read events by query", handle -> {
                try (PreparedStatement statement = queries.prepareRead(handle.getConnection(), query, after, limit,
                        true)) {
                    map(statement, null, events::add);
                }
                return null;
            });
            return events;
        }
        // Waiting for in-flight appends of matching events (they hold the keys shared) makes the read complete for the
        // query: every later matching event gets a later transaction id, so it lands after what this read returns,
        // and a long transaction elsewhere in the database holds nothing back.
        BoundaryLocks.Keys keys = new BoundaryLocks(dialect.tables.events()).condition(query).keys();
        db.writing("read events by query", handle -> {
            Connection connection = handle.getConnection();
            db.lockBoundary(connection, keys.keys(), keys.exclusive());
            try (PreparedStatement statement = queries.prepareRead(connection, query, after, limit, false)) {
                map(statement, null, events::add);
            }
            return null;
        });
        return events;
    }

    /** The position of an event matching {@code query} after {@code after}, or {@code null}; under boundary locks. */
    Position findConflict(Connection connection, Query query, Position after) throws SQLException {
        return queries.findConflict(connection, query, after);
    }

    /** The row of an idempotency key: the stream and the versions its append stored. */
    private record StoredKey(StreamRef stream, long first, long last) {
    }

    /** The append stored under {@code idempotencyKey}, as a duplicate result, or empty. */
    Optional<AppendResult> findIdempotentAppend(String idempotencyKey) {
        EventStore.checkIdempotencyKey(idempotencyKey);
        return db.reading("look up idempotency key \"" + idempotencyKey + "\"", handle -> {
            Optional<StoredKey> found = handle.select(dialect.findKeySql, idempotencyKey)
                    .map((row, context) -> new StoredKey(StreamRef.of(row.getString(1), row.getString(2)),
                            row.getLong(3), row.getLong(4)))
                    .findFirst();
            if (found.isEmpty()) {
                return Optional.<AppendResult>empty();
            }
            StreamRef stream = found.get().stream();
            long first = found.get().first();
            long last = found.get().last();
            List<StoredEvent<Object>> events = new ArrayList<>((int) Math.min(last - first + 1, 10_000));
            loadOn(handle.getConnection(), stream, first, last, false, events::add);
            return events.isEmpty() ? Optional.<AppendResult>empty() : Optional.of(new AppendResult(events, true));
        });
    }

    /** The stream's version: the highest of its events' versions (0 when it has none). */
    long streamVersion(StreamRef stream) {
        Objects.requireNonNull(stream, "stream");
        return single("read the version of stream " + stream, dialect.versionSql, stream);
    }

    private long single(String operation, String sql, StreamRef stream) {
        return db.reading(operation, handle -> {
            PreparedStatement query = db.prepare(handle.getConnection(), sql);
            try {
                Dialect.bindStream(query, stream);
                try (ResultSet row = query.executeQuery()) {
                    return row.next() ? row.getLong(1) : 0L;
                }
            } finally {
                db.release(query);
            }
        });
    }

    /** Maps event rows; {@code stream} is the known stream of every row, or {@code null} to read it per row. */
    private void map(PreparedStatement query, StreamRef stream, Consumer<? super StoredEvent<Object>> action)
            throws SQLException {
        map(query, stream, action, null);
    }

    /** Maps event rows, skipping rows outside {@code scan}'s prefix before decoding them when {@code scan} is set. */
    private void map(PreparedStatement query, StreamRef stream, Consumer<? super StoredEvent<Object>> action,
                     PrefixScan scan) throws SQLException {
        byte[] lastMetadataBytes = null;
        Metadata lastMetadata = Metadata.empty();
        StreamRef lastStream = stream;
        try (ResultSet row = query.executeQuery()) {
            while (row.next()) {
                long sequence = row.getLong(1);
                long commitOrder = row.getLong(2);
                if (scan != null) {
                    scan.rows++;
                    scan.last = dialect.position(commitOrder, sequence);
                    if (!row.getString(4).startsWith(scan.prefix)) {
                        continue;
                    }
                }
                UUID id = dialect.getUuid(row, 3);
                StreamRef rowStream = stream;
                if (rowStream == null) {
                    String type = row.getString(4);
                    String streamId = row.getString(5);
                    rowStream = lastStream != null && lastStream.type().equals(type) && lastStream.id().equals(streamId)
                            ? lastStream : StreamRef.of(type, streamId);
                    lastStream = rowStream;
                }
                long version = row.getLong(6);
                String eventType = row.getString(7);
                int schemaVersion = row.getInt(8);
                Instant timestamp = dialect.getInstant(row, 9);
                byte[] metadataBytes = row.getBytes(10);
                byte[] data = row.getBytes(11);
                Position position = dialect.position(commitOrder, sequence);
                // Events of one append share their metadata: decode it once.
                Metadata metadata;
                if (metadataBytes == null) {
                    metadata = Metadata.empty();
                } else if (lastMetadataBytes != null && Arrays.equals(metadataBytes, lastMetadataBytes)) {
                    metadata = lastMetadata;
                } else {
                    metadata = decodeMetadata(metadataBytes, new StoredEventHeader(id, rowStream, version, eventType,
                            schemaVersion, position, timestamp));
                    lastMetadataBytes = metadataBytes;
                    lastMetadata = metadata;
                }
                Object event = decode(row.getString(12), data, id, rowStream, version, eventType, schemaVersion,
                        position, timestamp);
                action.accept(new StoredEvent<>(id, rowStream, version, eventType, schemaVersion, position, timestamp,
                        metadata, event));
                if (scan != null && ++scan.kept == scan.wanted) {
                    break;
                }
            }
        }
    }


    private Object decode(String format, byte[] data, UUID id, StreamRef stream, long version, String type,
                          int schemaVersion, Position position, Instant timestamp) {
        try {
            return decodeData(format, data, id, stream, version, type, schemaVersion, position);
        } catch (EventDecodingException | UnknownEventTypeException e) {
            throw named(e, new StoredEventHeader(id, stream, version, type, schemaVersion, position, timestamp));
        }
    }

    private Object decodeData(String format, byte[] data, UUID id, StreamRef stream, long version, String type,
                              int schemaVersion, Position position) {
        return decodeData(codec, format, data, id, stream, version, type, schemaVersion, position);
    }

    /** Decodes one row's data with {@code codec}'s variant for the row's format, with the event's context. */
    static Object decodeData(EventCodec codec, String format, byte[] data, UUID id, StreamRef stream, long version,
                             String type, int schemaVersion, Position position) {
        return rowCodec(codec, format).decode(type, schemaVersion, data, new dev.eskit.codec.EventContext(id, stream,
                version, position));
    }

    /**
     * The codec for a row stored in {@code format}: each row records the format its data was written in, and rows of
     * another codec are read by {@code codec}'s variant. (The queries read a JSON row's codec as null: no string per
     * row.)
     */
    static EventCodec rowCodec(EventCodec codec, String format) {
        String rowFormat = format == null ? dev.eskit.codec.EncodedEvent.JSON : format;
        return rowFormat.equals(codec.format()) ? codec : codec.forFormat(rowFormat);
    }

    /** A decoding failure of the event of {@code header}, named so that a subscription can dead-letter it. */
    static RuntimeException named(RuntimeException failure, StoredEventHeader header) {
        if (failure instanceof EventDecodingException e) {
            return new EventDecodingException("Event " + header.version() + " of stream " + header.stream()
                    + " (position " + header.position() + ", type \"" + header.eventType() + "\") cannot be decoded: "
                    + e.getMessage(), e, header);
        }
        return new UnknownEventTypeException("Event " + header.version() + " of stream " + header.stream()
                + " (position " + header.position() + ") has an unknown type. " + failure.getMessage());
    }

    private Metadata decodeMetadata(byte[] bytes, StoredEventHeader header) {
        try {
            return codec.decodeMetadata(bytes);
        } catch (EventDecodingException e) {
            throw new EventDecodingException("The metadata of event " + header.version() + " of stream "
                    + header.stream() + " cannot be decoded: " + e.getMessage(), e, header);
        } catch (InvalidInputException e) {
            throw new EventDecodingException("The metadata of event " + header.version() + " of stream "
                    + header.stream() + " breaks the metadata bounds: " + e.getMessage(), e, header);
        }
    }
}
