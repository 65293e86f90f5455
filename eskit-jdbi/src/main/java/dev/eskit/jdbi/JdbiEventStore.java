package dev.eskit.jdbi;

import dev.eskit.AppendRequest;
import dev.eskit.AppendResult;
import dev.eskit.ConcurrencyException;
import dev.eskit.EventDecodingException;
import dev.eskit.EventStore;
import dev.eskit.IdempotencyKeyReusedException;
import dev.eskit.Metadata;
import dev.eskit.Position;
import dev.eskit.StoredEvent;
import dev.eskit.StreamAdmin;
import dev.eskit.StreamArchivedException;
import dev.eskit.StreamRef;
import dev.eskit.StreamStatus;
import dev.eskit.StreamTombstonedException;
import dev.eskit.UnknownEventTypeException;
import dev.eskit.codec.EncodedEvent;
import dev.eskit.codec.EventCodec;
import dev.eskit.codec.EventTypes;
import dev.eskit.codec.JsonEventCodec;
import dev.eskit.dcb.AppendCondition;
import dev.eskit.dcb.AppendConditionFailedException;
import dev.eskit.dcb.DcbEventStore;
import dev.eskit.dcb.PreparedDcbAppend;
import dev.eskit.dcb.Query;
import dev.eskit.dcb.Tag;
import dev.eskit.internal.Ids;
import dev.eskit.jdbi.postgres.PostgresDialect;
import dev.eskit.jdbi.sqlite.SqliteDialect;
import dev.eskit.jdbi.sqlite.Synchronous;
import dev.eskit.subscription.AppendNotifier;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.sql.DataSource;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.JdbiException;

/**
 * The event store on SQLite or PostgreSQL, over Jdbi. It creates and migrates its own tables, and also offers the
 * {@link #snapshots() snapshot store}, the {@link #checkpoints() checkpoint store} and {@link StreamAdmin stream
 * administration} in the same schema.
 *
 * <pre>{@code
 * EventCodec codec = JsonEventCodec.create(EventTypes.discover());
 * try (JdbiEventStore store = JdbiEventStore.sqlite("jdbc:sqlite:app.db", codec)) {
 *     store.append(StreamRef.of("account", "a-1"), ExpectedVersion.noStream(), List.of(new Deposited("a-1", 500)));
 * }
 * JdbiEventStore pg = JdbiEventStore.builder(codec)
 *     .dataSource(hikari)                       // or .url("jdbc:postgresql://db/app"), or .jdbi(jdbi)
 *     .schema("billing")
 *     .build();
 * }</pre>
 *
 * <p>As an {@link AppendNotifier} it wakes subscriptions in this JVM after each committed append of this instance;
 * {@code dev.eskit.jdbi.postgres.PostgresNotifier} carries wake-ups between JVMs.
 *
 * <p>As a {@link DcbEventStore} it indexes every event's tags and checks append conditions under (type, tag) locks;
 * see {@code docs/dcb.md}.
 *
 * <p>Thread-safe. Every append is one transaction; bad input fails before a connection is taken; database failures
 * surface as {@link StoreAccessException}, never as a raw {@link SQLException}. See {@code docs/stores.md}.
 */
public final class JdbiEventStore implements EventStore, StreamAdmin, AppendNotifier, DcbEventStore {

    private static final int MAX_ATTEMPTS = 5;

    private final List<Runnable> appendListeners = new CopyOnWriteArrayList<>();

    private final Dialect dialect;
    private final EventCodec codec;
    private final Clock clock;
    private final AppendHook hook;
    private final JdbiSnapshotStore snapshots;
    private final JdbiCheckpointStore checkpoints;
    private final RawEventAccess raw;
    private final java.util.concurrent.atomic.AtomicBoolean closed = new java.util.concurrent.atomic.AtomicBoolean();

    private final String loadSql;
    private final String versionSql;
    private final String maxVersionSql;
    private final String statusSql;
    private final String findKeySql;
    private final String insertKeySql;
    private final String ensureStreamSql;
    private final String setStatusSql;
    private final String deleteEventsSql;
    private final String deleteTagsSql;
    private final String deleteKeysSql;
    private final String deleteSnapshotSql;
    private final String deleteStreamSql;

    private JdbiEventStore(Dialect dialect, EventCodec codec, Clock clock, AppendHook hook) {
        this.dialect = dialect;
        this.codec = codec;
        this.clock = clock;
        this.hook = hook;
        TableNames t = dialect.tables();
        this.loadSql = "SELECT " + dialect.eventColumns() + " FROM " + t.events()
                + " WHERE stream_type = ? AND stream_id = ? AND version >= ? AND version <= ? ORDER BY version";
        this.versionSql = "SELECT version FROM " + t.streams() + " WHERE stream_type = ? AND stream_id = ?";
        this.maxVersionSql = "SELECT coalesce(max(version), 0) FROM " + t.events()
                + " WHERE stream_type = ? AND stream_id = ?";
        this.statusSql = "SELECT status FROM " + t.streams() + " WHERE stream_type = ? AND stream_id = ?";
        this.findKeySql = "SELECT stream_type, stream_id, first_version, last_version FROM " + t.idempotency()
                + " WHERE idempotency_key = ?";
        this.insertKeySql = "INSERT INTO " + t.idempotency()
                + " (idempotency_key, stream_type, stream_id, first_version, last_version, created_at)"
                + " VALUES (?, ?, ?, ?, ?, ?)";
        this.ensureStreamSql = "INSERT INTO " + t.streams() + " (stream_type, stream_id, version, status)"
                + " VALUES (?, ?, 0, 0) ON CONFLICT DO NOTHING";
        this.setStatusSql = "UPDATE " + t.streams() + " SET status = ? WHERE stream_type = ? AND stream_id = ?";
        this.deleteEventsSql = "DELETE FROM " + t.events() + " WHERE stream_type = ? AND stream_id = ?";
        this.deleteTagsSql = "DELETE FROM " + t.tags() + " WHERE seq IN (SELECT seq FROM " + t.events()
                + " WHERE stream_type = ? AND stream_id = ?)";
        this.deleteKeysSql = "DELETE FROM " + t.idempotency() + " WHERE stream_type = ? AND stream_id = ?";
        this.deleteSnapshotSql = "DELETE FROM " + t.snapshots() + " WHERE stream_type = ? AND stream_id = ?";
        this.deleteStreamSql = "DELETE FROM " + t.streams() + " WHERE stream_type = ? AND stream_id = ?";
        this.snapshots = new JdbiSnapshotStore(dialect);
        this.checkpoints = new JdbiCheckpointStore(dialect, clock);
        this.raw = new RawEventAccess(dialect);
    }

    // ----------------------------------------------------------------------------------------------- factories

    /**
     * A store on the SQLite file of {@code url} ({@code jdbc:sqlite:path/to/app.db}), with default settings.
     *
     * @throws StoreConfigurationException when the URL is not a SQLite file URL
     */
    public static JdbiEventStore sqlite(String url, EventCodec codec) {
        if (url == null || !url.startsWith("jdbc:sqlite:")) {
            throw new StoreConfigurationException("\"" + url + "\" is not a SQLite JDBC URL. Use"
                    + " \"jdbc:sqlite:path/to/file.db\".");
        }
        return builder(codec).url(url).build();
    }

    /**
     * A store on the PostgreSQL database of {@code url} ({@code jdbc:postgresql://host/db?user=...}), in schema
     * {@code public} with a small built-in connection pool. Use {@link #builder(EventCodec)} for a schema or a
     * {@code DataSource} of your own.
     *
     * @throws StoreConfigurationException when the URL is not a PostgreSQL URL
     */
    public static JdbiEventStore postgres(String url, EventCodec codec) {
        if (url == null || !url.startsWith("jdbc:postgresql:")) {
            throw new StoreConfigurationException("\"" + url + "\" is not a PostgreSQL JDBC URL. Use"
                    + " \"jdbc:postgresql://host:5432/database?user=...\".");
        }
        return builder(codec).url(url).build();
    }

    /** {@link #sqlite(String, EventCodec)} with the JSON codec over {@code types}. */
    public static JdbiEventStore sqlite(String url, EventTypes types) {
        return sqlite(url, JsonEventCodec.create(types));
    }

    /** {@link #postgres(String, EventCodec)} with the JSON codec over {@code types}. */
    public static JdbiEventStore postgres(String url, EventTypes types) {
        return postgres(url, JsonEventCodec.create(types));
    }

    /** A store on an existing {@link Jdbi}; the database (SQLite or PostgreSQL) is detected. */
    public static JdbiEventStore create(Jdbi jdbi, EventCodec codec) {
        return builder(codec).jdbi(jdbi).build();
    }

    /** A store on an existing {@link DataSource} (a HikariCP pool, say); the database is detected. */
    public static JdbiEventStore create(DataSource dataSource, EventCodec codec) {
        return builder(codec).dataSource(dataSource).build();
    }

    /** A builder for every setting. */
    public static Builder builder(EventCodec codec) {
        return new Builder(codec);
    }

    // ------------------------------------------------------------------------------------------------- append

    @Override
    public AppendResult append(AppendRequest request) {
        Objects.requireNonNull(request, "request");
        EncodedAppend encoded = encode(request, null);
        BoundaryLocks.Keys keys = eventKeys(encoded).keys();
        for (int attempt = 1; ; attempt++) {
            try {
                Written written = dialect.inTransaction(handle -> appendIn(handle.getConnection(), request, encoded,
                        keys.keys(), false));
                AppendResult result = new AppendResult(stored(request, encoded, written), false);
                notifyAppended();
                return result;
            } catch (DuplicateAppend duplicate) {
                List<StoredEvent<Object>> original = loadRange(request.stream(), duplicate.firstVersion,
                        duplicate.lastVersion);
                if (!original.isEmpty()) {
                    return new AppendResult(original, true);
                }
                // The stream was deleted (and its keys with it) since: the key is free again, so append.
            } catch (SQLException e) {
                // A unique violation means a concurrent writer got there first (an idempotency key used by two
                // appends at once, a stream written outside this store): run the checks again on fresh data.
                if (!dialect.isUniqueViolation(e)) {
                    throw new StoreAccessException("append to " + request.stream(), e);
                }
                if (attempt == MAX_ATTEMPTS) {
                    throw new ConcurrencyException(request.stream(), request.expected(),
                            highestVersion(request.stream()));
                }
            } catch (JdbiException e) {
                throw new StoreAccessException("The database failed to append to " + request.stream() + ": "
                        + e.getMessage() + ". Check that it is reachable and healthy, then retry.", e);
            }
        }
    }

    private record Written(long baseVersion, Position[] positions) {
    }

    /**
     * Calls {@code listener} after every committed append of this store instance (not of other processes: on
     * PostgreSQL, {@code dev.eskit.jdbi.postgres.PostgresNotifier} carries those), so that subscriptions in this JVM
     * wake at once.
     */
    @Override
    public Registration onAppend(Runnable listener) {
        Objects.requireNonNull(listener, "listener");
        Runnable entry = listener::run;
        appendListeners.add(entry);
        return () -> appendListeners.remove(entry);
    }

    private void notifyAppended() {
        for (Runnable listener : appendListeners) {
            try {
                listener.run();
            } catch (RuntimeException e) {
                // The events are committed; a failed wake-up hint only delays a subscriber until its next poll.
            }
        }
    }

    /** Unwinds an append transaction (rolling it back) when the idempotency key was seen before. */
    private static final class DuplicateAppend extends RuntimeException {
        private static final long serialVersionUID = 1L;
        final long firstVersion;
        final long lastVersion;

        DuplicateAppend(long firstVersion, long lastVersion) {
            super(null, null, false, false);
            this.firstVersion = firstVersion;
            this.lastVersion = lastVersion;
        }
    }

    /** Encodes the events; {@code tags} are the DCB append's, or {@code null} to take each event type's own. */
    private EncodedAppend encode(AppendRequest request, List<List<Tag>> tags) {
        List<?> events = request.events();
        EncodedEvent[] encoded = new EncodedEvent[events.size()];
        UUID[] ids = new UUID[encoded.length];
        List<List<Tag>> eventTags = tags;
        if (eventTags == null) {
            eventTags = new ArrayList<>(encoded.length);
            for (Object event : events) {
                eventTags.add(codec.types().byClass(event.getClass()).tagsOf(event));
            }
        }
        for (int i = 0; i < encoded.length; i++) {
            encoded[i] = codec.encode(events.get(i));
            ids[i] = Ids.timeOrdered();
        }
        byte[] metadata = request.metadata().isEmpty() ? null : codec.encodeMetadata(request.metadata());
        // Both databases keep microseconds; truncating here makes returned events equal to loaded ones.
        Instant now = clock.instant().truncatedTo(ChronoUnit.MICROS);
        return new EncodedAppend(request.stream(), ids, encoded, metadata, now, eventTags);
    }

    private BoundaryLocks eventKeys(EncodedAppend encoded) {
        BoundaryLocks locks = new BoundaryLocks(dialect.tables().events());
        for (int i = 0; i < encoded.size(); i++) {
            locks.event(encoded.event(i).type(), encoded.tags(i));
        }
        return locks;
    }

    /**
     * The append transaction's work. {@code sharedKeys} are the boundary keys of the events (taken after the stream
     * lock); {@code boundaryLocked} says that a DCB append took every lock already.
     */
    private Written appendIn(Connection connection, AppendRequest request, EncodedAppend encoded, long[] sharedKeys,
                             boolean boundaryLocked) throws SQLException {
        StreamRef stream = request.stream();
        Dialect.StreamHead head = boundaryLocked
                ? dialect.lockStreamAfterBoundary(connection, stream, encoded.size())
                : dialect.lockStream(connection, stream, encoded.size(), sharedKeys);
        String key = request.idempotencyKey();
        if (key != null) {
            PreparedStatement find = dialect.prepare(connection, findKeySql);
            try {
                find.setString(1, key);
                try (ResultSet row = find.executeQuery()) {
                    if (row.next()) {
                        StreamRef first = StreamRef.of(row.getString(1), row.getString(2));
                        if (!first.equals(stream)) {
                            throw new IdempotencyKeyReusedException("Idempotency key \"" + key
                                    + "\" was first used for stream " + first + ", not " + stream
                                    + ". Use a key that identifies one operation on one stream.");
                        }
                        throw new DuplicateAppend(row.getLong(3), row.getLong(4));
                    }
                }
            } finally {
                dialect.release(find);
            }
        }
        if (head.status() == Dialect.TOMBSTONED) {
            throw new StreamTombstonedException(stream);
        }
        if (head.status() == Dialect.ARCHIVED) {
            throw new StreamArchivedException(stream);
        }
        if (!request.expected().matches(head.version())) {
            throw new ConcurrencyException(stream, request.expected(), head.version());
        }
        Position[] positions = dialect.insertEvents(connection, head, encoded);
        if (encoded.hasTags()) {
            dialect.insertTags(connection, positions, encoded);
        }
        long last = head.version() + encoded.size();
        dialect.advanceStream(connection, stream, head, last);
        if (key != null) {
            PreparedStatement insert = dialect.prepare(connection, insertKeySql);
            try {
                insert.setString(1, key);
                insert.setString(2, stream.type());
                insert.setString(3, stream.id());
                insert.setLong(4, head.version() + 1);
                insert.setLong(5, last);
                dialect.setInstant(insert, 6, encoded.timestamp());
                insert.executeUpdate();
            } finally {
                dialect.release(insert);
            }
        }
        if (hook != null) {
            hook.beforeCommit(stream);
        }
        return new Written(head.version(), positions);
    }

    private static List<StoredEvent<Object>> stored(AppendRequest request, EncodedAppend encoded, Written written) {
        List<?> events = request.events();
        List<StoredEvent<Object>> stored = new ArrayList<>(events.size());
        for (int i = 0; i < events.size(); i++) {
            EncodedEvent event = encoded.event(i);
            stored.add(new StoredEvent<>(encoded.id(i), request.stream(), written.baseVersion() + i + 1,
                    event.type(), event.schemaVersion(), written.positions()[i], encoded.timestamp(),
                    request.metadata(), events.get(i)));
        }
        return stored;
    }

    /**
     * The events an earlier append with {@code idempotencyKey} stored, as a result marked {@code duplicate}, or empty
     * when no append with that key was stored. Nothing is written. Deleting a stream forgets its keys.
     *
     * @throws dev.eskit.InvalidIdempotencyKeyException when the key is empty, too long or contains a NUL byte
     */
    @Override
    public Optional<AppendResult> findIdempotentAppend(String idempotencyKey) {
        EventStore.checkIdempotencyKey(idempotencyKey);
        return read("look up idempotency key \"" + idempotencyKey + "\"", handle -> {
            try (PreparedStatement find = handle.getConnection().prepareStatement(findKeySql)) {
                find.setString(1, idempotencyKey);
                try (ResultSet row = find.executeQuery()) {
                    if (!row.next()) {
                        return Optional.<AppendResult>empty();
                    }
                    StreamRef stream = StreamRef.of(row.getString(1), row.getString(2));
                    long first = row.getLong(3);
                    long last = row.getLong(4);
                    try (PreparedStatement query = handle.getConnection().prepareStatement(loadSql)) {
                        query.setString(1, stream.type());
                        query.setString(2, stream.id());
                        query.setLong(3, first);
                        query.setLong(4, last);
                        List<StoredEvent<Object>> events = mapEvents(query, stream, (int) (last - first + 1));
                        return events.isEmpty() ? Optional.<AppendResult>empty()
                                : Optional.of(new AppendResult(events, true));
                    }
                }
            }
        });
    }

    // -------------------------------------------------------------------------------------------------- reads

    @Override
    public List<StoredEvent<Object>> load(StreamRef stream, long fromVersion) {
        Objects.requireNonNull(stream, "stream");
        EventStore.checkFromVersion(fromVersion);
        return loadRange(stream, fromVersion, Long.MAX_VALUE);
    }

    private List<StoredEvent<Object>> loadRange(StreamRef stream, long fromVersion, long toVersion) {
        return read("load stream " + stream, handle -> {
            PreparedStatement query = dialect.prepare(handle.getConnection(), loadSql);
            try {
                query.setString(1, stream.type());
                query.setString(2, stream.id());
                query.setLong(3, fromVersion);
                query.setLong(4, toVersion);
                return mapEvents(query, stream, 16);
            } finally {
                dialect.release(query);
            }
        });
    }

    @Override
    public long streamVersion(StreamRef stream) {
        Objects.requireNonNull(stream, "stream");
        return read("read the version of stream " + stream, handle -> {
            try (PreparedStatement query = handle.getConnection().prepareStatement(versionSql)) {
                query.setString(1, stream.type());
                query.setString(2, stream.id());
                try (ResultSet row = query.executeQuery()) {
                    return row.next() ? row.getLong(1) : 0L;
                }
            }
        });
    }

    /** The highest version among the stream's stored events (which may be ahead of its recorded version). */
    private long highestVersion(StreamRef stream) {
        return read("read the version of stream " + stream, handle -> {
            try (PreparedStatement query = handle.getConnection().prepareStatement(maxVersionSql)) {
                query.setString(1, stream.type());
                query.setString(2, stream.id());
                try (ResultSet row = query.executeQuery()) {
                    return row.next() ? row.getLong(1) : 0L;
                }
            }
        });
    }

    @Override
    public List<StoredEvent<Object>> readAll(Position after, int limit, Set<String> eventTypes) {
        Objects.requireNonNull(after, "after");
        Objects.requireNonNull(eventTypes, "eventTypes");
        EventStore.checkReadLimit(limit);
        return read("read the global log", handle -> {
            PreparedStatement query = dialect.prepareReadAll(handle.getConnection(), after, limit, eventTypes);
            try {
                return mapEvents(query, null, Math.min(limit, 256));
            } finally {
                dialect.release(query);
            }
        });
    }

    /** Maps event rows; {@code stream} is the known stream of every row, or {@code null} to read it per row. */
    private List<StoredEvent<Object>> mapEvents(PreparedStatement query, StreamRef stream, int expected)
            throws SQLException {
        List<StoredEvent<Object>> events = new ArrayList<>(expected);
        byte[] lastMetadataBytes = null;
        Metadata lastMetadata = Metadata.empty();
        StreamRef lastStream = stream;
        try (ResultSet row = query.executeQuery()) {
            while (row.next()) {
                long sequence = row.getLong(1);
                long commitOrder = row.getLong(2);
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
                    metadata = decodeMetadata(metadataBytes, rowStream, version);
                    lastMetadataBytes = metadataBytes;
                    lastMetadata = metadata;
                }
                Object event = decode(eventType, schemaVersion, data, rowStream, version, position);
                events.add(new StoredEvent<>(id, rowStream, version, eventType, schemaVersion, position, timestamp,
                        metadata, event));
            }
        }
        return events;
    }

    private Object decode(String type, int schemaVersion, byte[] data, StreamRef stream, long version,
                          Position position) {
        try {
            return codec.decode(type, schemaVersion, data);
        } catch (EventDecodingException e) {
            throw new EventDecodingException("Event " + version + " of stream " + stream + " (position " + position
                    + ", type \"" + type + "\") cannot be decoded: " + e.getMessage(), e);
        } catch (UnknownEventTypeException e) {
            throw new UnknownEventTypeException("Event " + version + " of stream " + stream + " (position "
                    + position + ") has an unknown type. " + e.getMessage());
        }
    }

    private Metadata decodeMetadata(byte[] bytes, StreamRef stream, long version) {
        try {
            return codec.decodeMetadata(bytes);
        } catch (EventDecodingException e) {
            throw new EventDecodingException("The metadata of event " + version + " of stream " + stream
                    + " cannot be decoded: " + e.getMessage(), e);
        } catch (dev.eskit.InvalidInputException e) {
            throw new EventDecodingException("The metadata of event " + version + " of stream " + stream
                    + " breaks the metadata bounds: " + e.getMessage(), e);
        }
    }

    // ------------------------------------------------------------------------------ dynamic consistency boundary

    @Override
    public List<StoredEvent<Object>> read(Query query, Position after, int limit) {
        Objects.requireNonNull(query, "query");
        Objects.requireNonNull(after, "after");
        EventStore.checkReadLimit(limit);
        if (!dialect.locksQueryReads()) {
            return read("read events by query", handle -> {
                try (PreparedStatement statement = dialect.prepareQueryRead(handle.getConnection(), query, after,
                        limit, true)) {
                    return mapEvents(statement, null, Math.min(limit, 256));
                }
            });
        }
        // Waiting for in-flight appends of matching events (they hold the keys shared) makes the read complete for the
        // query: every later matching event gets a later transaction id, so it lands after what this read returns,
        // and a long transaction elsewhere in the database holds nothing back.
        BoundaryLocks.Keys keys = new BoundaryLocks(dialect.tables().events()).condition(query).keys();
        try {
            return dialect.inTransaction(handle -> {
                Connection connection = handle.getConnection();
                dialect.lockBoundary(connection, keys.keys(), keys.exclusive());
                try (PreparedStatement statement = dialect.prepareQueryRead(connection, query, after, limit,
                        false)) {
                    return mapEvents(statement, null, Math.min(limit, 256));
                }
            });
        } catch (SQLException e) {
            throw new StoreAccessException("read events by query", e);
        } catch (JdbiException e) {
            throw new StoreAccessException("The database failed to read events by query: " + e.getMessage()
                    + ". Check that it is reachable and healthy, then retry.", e);
        }
    }

    /**
     * {@inheritDoc}
     *
     * <p>On PostgreSQL the transaction first takes advisory locks on the (type, tag) keys of the condition's query
     * (exclusive) and of the new events (shared), in ascending key order, then checks the condition with a fresh READ
     * COMMITTED statement, so it sees every event committed by an append it waited for. Appends whose boundaries share
     * no key run in parallel.
     */
    @Override
    public AppendResult append(List<?> events, AppendCondition condition, Metadata metadata) {
        PreparedDcbAppend prepared = PreparedDcbAppend.prepare(codec.types(), events, metadata);
        AppendRequest request = prepared.request();
        EncodedAppend encoded = encode(request, prepared.tags());
        BoundaryLocks locks = eventKeys(encoded);
        if (condition != null) {
            locks.condition(condition.query());
        }
        BoundaryLocks.Keys keys = locks.keys();
        try {
            Written written = dialect.inTransaction(handle -> {
                Connection connection = handle.getConnection();
                dialect.lockBoundary(connection, keys.keys(), keys.exclusive());
                if (condition != null) {
                    Position conflict = dialect.findConflict(connection, condition.query(), condition.afterOrStart());
                    if (conflict != null) {
                        throw new AppendConditionFailedException(condition, conflict);
                    }
                }
                return appendIn(connection, request, encoded, keys.keys(), true);
            });
            AppendResult result = new AppendResult(stored(request, encoded, written), false);
            notifyAppended();
            return result;
        } catch (SQLException e) {
            throw new StoreAccessException("append by condition to " + request.stream(), e);
        } catch (JdbiException e) {
            throw new StoreAccessException("The database failed to append by condition: " + e.getMessage()
                    + ". Check that it is reachable and healthy, then retry.", e);
        }
    }

    // ------------------------------------------------------------------------------------------- stream admin

    @Override
    public StreamStatus status(StreamRef stream) {
        Objects.requireNonNull(stream, "stream");
        int status = read("read the status of stream " + stream, handle -> {
            try (PreparedStatement query = handle.getConnection().prepareStatement(statusSql)) {
                query.setString(1, stream.type());
                query.setString(2, stream.id());
                try (ResultSet row = query.executeQuery()) {
                    return row.next() ? row.getInt(1) : Dialect.ACTIVE;
                }
            }
        });
        return toStatus(status);
    }

    private static StreamStatus toStatus(int status) {
        return switch (status) {
            case Dialect.ARCHIVED -> StreamStatus.ARCHIVED;
            case Dialect.TOMBSTONED -> StreamStatus.TOMBSTONED;
            default -> StreamStatus.ACTIVE;
        };
    }

    @Override
    public void archive(StreamRef stream) {
        changeStatus(stream, "archive", Dialect.ARCHIVED);
    }

    @Override
    public void restore(StreamRef stream) {
        changeStatus(stream, "restore", Dialect.ACTIVE);
    }

    @Override
    public void tombstone(StreamRef stream) {
        changeStatus(stream, "tombstone", Dialect.TOMBSTONED);
    }

    private void changeStatus(StreamRef stream, String operation, int target) {
        Objects.requireNonNull(stream, "stream");
        write(operation + " stream " + stream, handle -> {
            Connection connection = handle.getConnection();
            int current = lockStatus(connection, stream);
            if (current == target) {
                return null;
            }
            if (current == Dialect.TOMBSTONED) {
                throw new StreamTombstonedException(stream);
            }
            try (PreparedStatement update = connection.prepareStatement(setStatusSql)) {
                update.setInt(1, target);
                update.setString(2, stream.type());
                update.setString(3, stream.id());
                update.executeUpdate();
            }
            return null;
        });
    }

    /** Makes sure the stream has a row, locks it and returns its status. */
    private int lockStatus(Connection connection, StreamRef stream) throws SQLException {
        try (PreparedStatement ensure = connection.prepareStatement(ensureStreamSql)) {
            ensure.setString(1, stream.type());
            ensure.setString(2, stream.id());
            ensure.executeUpdate();
        }
        try (PreparedStatement query = connection.prepareStatement(statusSql + dialect.forUpdate())) {
            query.setString(1, stream.type());
            query.setString(2, stream.id());
            try (ResultSet row = query.executeQuery()) {
                row.next();
                return row.getInt(1);
            }
        }
    }

    @Override
    public long delete(StreamRef stream) {
        Objects.requireNonNull(stream, "stream");
        return write("delete stream " + stream, handle -> {
            Connection connection = handle.getConnection();
            lockStatus(connection, stream);
            update(connection, deleteTagsSql, stream);
            long removed = update(connection, deleteEventsSql, stream);
            update(connection, deleteKeysSql, stream);
            update(connection, deleteSnapshotSql, stream);
            update(connection, deleteStreamSql, stream);
            return removed;
        });
    }

    private static long update(Connection connection, String sql, StreamRef stream) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            statement.setString(1, stream.type());
            statement.setString(2, stream.id());
            return statement.executeUpdate();
        }
    }

    // ---------------------------------------------------------------------------------------- related stores

    /** The snapshot store in this store's schema. */
    public JdbiSnapshotStore snapshots() {
        return snapshots;
    }

    /** The checkpoint store in this store's schema. */
    public JdbiCheckpointStore checkpoints() {
        return checkpoints;
    }

    /**
     * Undecoded access to this store's rows: events as stored bytes, streams, checkpoints, counts, and an import that
     * keeps ids, versions and timestamps (for copying between stores). See {@link RawEventAccess}.
     */
    public RawEventAccess raw() {
        return raw;
    }

    /** The validated table names this store uses. */
    public TableNames tableNames() {
        return dialect.tables();
    }

    /** {@code "SQLite"} or {@code "PostgreSQL"}. */
    public String databaseName() {
        return dialect.name();
    }

    /** The codec events are stored with. */
    public EventCodec codec() {
        return codec;
    }

    /** Closes the store's own connections (not those of a {@code Jdbi} or {@code DataSource} you passed in). */
    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            dialect.close();
        }
    }

    // ---------------------------------------------------------------------------------------------- plumbing

    private <T> T read(String operation, Dialect.HandleWork<T> work) {
        try {
            return dialect.read(work);
        } catch (SQLException e) {
            throw new StoreAccessException(operation, e);
        } catch (JdbiException e) {
            throw new StoreAccessException("The database failed to " + operation + ": " + e.getMessage()
                    + ". Check that it is reachable and healthy, then retry.", e);
        }
    }

    private <T> T write(String operation, Dialect.HandleWork<T> work) {
        for (int attempt = 1; ; attempt++) {
            try {
                return dialect.inTransaction(work);
            } catch (SQLException e) {
                if (!dialect.isUniqueViolation(e) || attempt == MAX_ATTEMPTS) {
                    throw new StoreAccessException(operation, e);
                }
            } catch (JdbiException e) {
                throw new StoreAccessException("The database failed to " + operation + ": " + e.getMessage()
                        + ". Check that it is reachable and healthy, then retry.", e);
            }
        }
    }

    static void migrate(Dialect dialect) {
        TableNames t = dialect.tables();
        try {
            dialect.inTransaction(handle -> {
                dialect.beginMigration(handle);
                Connection connection = handle.getConnection();
                try (var statement = connection.createStatement()) {
                    statement.execute("CREATE TABLE IF NOT EXISTS " + t.migrations() + " (version INTEGER NOT NULL"
                            + " PRIMARY KEY, description TEXT NOT NULL, applied_at TEXT NOT NULL)");
                }
                Set<Integer> applied = new HashSet<>();
                int newest = 0;
                try (var statement = connection.createStatement();
                     ResultSet rows = statement.executeQuery("SELECT version FROM " + t.migrations())) {
                    while (rows.next()) {
                        applied.add(rows.getInt(1));
                        newest = Math.max(newest, rows.getInt(1));
                    }
                }
                List<Migration> migrations = dialect.migrations();
                int known = migrations.get(migrations.size() - 1).version();
                if (newest > known) {
                    throw new StoreConfigurationException("The tables " + t + " are at schema version " + newest
                            + " but this eskit knows versions up to " + known + ". Upgrade eskit-jdbi (the schema"
                            + " was migrated by a newer release), or use another table prefix.");
                }
                for (Migration migration : migrations) {
                    if (applied.contains(migration.version())) {
                        continue;
                    }
                    try (var statement = connection.createStatement()) {
                        for (String sql : migration.statements()) {
                            statement.execute(t.render(sql));
                        }
                    }
                    try (PreparedStatement record = connection.prepareStatement("INSERT INTO " + t.migrations()
                            + " (version, description, applied_at) VALUES (?, ?, ?)")) {
                        record.setInt(1, migration.version());
                        record.setString(2, migration.description());
                        record.setString(3, Instant.now().toString());
                        record.executeUpdate();
                    }
                }
                return null;
            });
        } catch (SQLException e) {
            throw new StoreAccessException("create or migrate the tables " + t, e);
        } catch (JdbiException e) {
            throw new StoreAccessException("The database failed to migrate the tables " + t + ": " + e.getMessage(),
                    e);
        }
    }

    /** Fails unless the dialect's tables exist at a schema version this release can read. */
    static void checkExisting(Dialect dialect) {
        TableNames t = dialect.tables();
        int newest;
        try {
            newest = dialect.read(handle -> {
                try (var statement = handle.getConnection().createStatement();
                     ResultSet row = statement.executeQuery("SELECT coalesce(max(version), 0) FROM "
                             + t.migrations())) {
                    row.next();
                    return row.getInt(1);
                }
            });
        } catch (SQLException e) {
            String message = String.valueOf(e.getMessage());
            if ("42P01".equals(e.getSQLState()) || message.contains("no such table")) {
                throw new StoreConfigurationException("The database has no eskit tables " + t + " (table "
                        + t.migrations() + " is missing). Check the URL, the schema and the table prefix, or let an"
                        + " application's store create the tables first.");
            }
            throw new StoreAccessException("read the schema version of the tables " + t, e);
        } catch (JdbiException e) {
            throw new StoreAccessException("The database could not be reached to read the tables " + t + ": "
                    + e.getMessage(), e);
        }
        List<Migration> migrations = dialect.migrations();
        int known = migrations.get(migrations.size() - 1).version();
        if (newest == 0) {
            throw new StoreConfigurationException("The eskit tables " + t + " were never migrated. Let an"
                    + " application's store create them first.");
        }
        if (newest > known) {
            throw new StoreConfigurationException("The tables " + t + " are at schema version " + newest + " but this"
                    + " eskit knows versions up to " + known + ". Use a newer eskit release.");
        }
    }

    // ----------------------------------------------------------------------------------------------- builder

    /**
     * Settings for a {@link JdbiEventStore}. Exactly one of {@link #url(String)}, {@link #jdbi(Jdbi)} and
     * {@link #dataSource(DataSource)} must be given.
     *
     * <pre>{@code
     * JdbiEventStore store = JdbiEventStore.builder(codec)
     *     .url("jdbc:sqlite:app.db")
     *     .tablePrefix("orders_")
     *     .synchronous(Synchronous.FULL)
     *     .build();
     * }</pre>
     */
    public static final class Builder {
        private final EventCodec codec;
        private String url;
        private Jdbi jdbi;
        private DataSource dataSource;
        private String schema;
        private String tablePrefix = TableNames.DEFAULT_PREFIX;
        private Synchronous synchronous = Synchronous.NORMAL;
        private Duration busyTimeout = Duration.ofSeconds(10);
        private int maxConnections = 8;
        private Clock clock = Clock.systemUTC();
        private AppendHook hook;
        private boolean openExisting;

        private Builder(EventCodec codec) {
            this.codec = Objects.requireNonNull(codec, "codec");
        }

        /** The database by JDBC URL: {@code jdbc:sqlite:...} or {@code jdbc:postgresql://...}. */
        public Builder url(String value) {
            this.url = Objects.requireNonNull(value, "url");
            return this;
        }

        /** The database by an existing {@link Jdbi}. Its connections are not closed by the store. */
        public Builder jdbi(Jdbi value) {
            this.jdbi = Objects.requireNonNull(value, "jdbi");
            return this;
        }

        /** The database by an existing {@link DataSource} (a pool, typically). It is not closed by the store. */
        public Builder dataSource(DataSource value) {
            this.dataSource = Objects.requireNonNull(value, "dataSource");
            return this;
        }

        /**
         * The PostgreSQL schema for the tables (created if missing); {@code public} by default. Not for SQLite.
         * Lower-case letters, digits and underscores.
         */
        public Builder schema(String value) {
            this.schema = value;
            return this;
        }

        /** The table name prefix, {@code "eskit_"} by default. Lower-case letters, digits and underscores. */
        public Builder tablePrefix(String value) {
            this.tablePrefix = value;
            return this;
        }

        /** SQLite's {@code synchronous} setting for the writer: {@code NORMAL} (default) or {@code FULL}. */
        public Builder synchronous(Synchronous value) {
            this.synchronous = Objects.requireNonNull(value, "synchronous");
            return this;
        }

        /** How long a SQLite connection waits for a lock held by another process; 10 seconds by default. */
        public Builder busyTimeout(Duration value) {
            if (value.isNegative() || value.toMillis() > Integer.MAX_VALUE) {
                throw new StoreConfigurationException("Busy timeout " + value + " is out of range. Use a duration"
                        + " between 0 and 24 days.");
            }
            this.busyTimeout = value;
            return this;
        }

        /**
         * The size of the store's own connection pool when built from a URL (PostgreSQL: every connection; SQLite:
         * reader connections, besides the one writer); 8 by default.
         */
        public Builder maxConnections(int value) {
            if (value < 1 || value > 1000) {
                throw new StoreConfigurationException("maxConnections " + value + " is out of range. Use 1 to 1000.");
            }
            this.maxConnections = value;
            return this;
        }

        /** The clock that stamps events; the system UTC clock by default. */
        public Builder clock(Clock value) {
            this.clock = Objects.requireNonNull(value, "clock");
            return this;
        }

        /**
         * Opens tables that already exist instead of creating or migrating them: {@link #build()} fails with a
         * {@link StoreConfigurationException} when the database has no eskit tables under the configured schema and
         * prefix. For tools that inspect a store and must not change it.
         */
        public Builder openExisting() {
            this.openExisting = true;
            return this;
        }

        /** For tests: runs inside every append transaction, just before commit. */
        Builder appendHook(AppendHook value) {
            this.hook = value;
            return this;
        }

        /**
         * Opens the store and creates or migrates its tables.
         *
         * @throws StoreConfigurationException when the settings do not fit together
         * @throws StoreAccessException        when the database cannot be reached or migrated
         */
        public JdbiEventStore build() {
            int sources = (url != null ? 1 : 0) + (jdbi != null ? 1 : 0) + (dataSource != null ? 1 : 0);
            if (sources != 1) {
                throw new StoreConfigurationException("Give the store exactly one database: url(...), jdbi(...) or"
                        + " dataSource(...); " + sources + " were given.");
            }
            Jdbi target = jdbi != null ? jdbi : dataSource != null ? Jdbi.create(dataSource) : null;
            boolean sqlite;
            if (url != null) {
                if (url.startsWith("jdbc:sqlite:")) {
                    sqlite = true;
                } else if (url.startsWith("jdbc:postgresql:")) {
                    sqlite = false;
                } else {
                    throw new StoreConfigurationException("\"" + url + "\" is not a supported JDBC URL. Use"
                            + " \"jdbc:sqlite:path/to/file.db\" or \"jdbc:postgresql://host:5432/database\".");
                }
            } else {
                String product = detect(target);
                if (product.equalsIgnoreCase("SQLite")) {
                    sqlite = true;
                } else if (product.equalsIgnoreCase("PostgreSQL")) {
                    sqlite = false;
                } else {
                    throw new StoreConfigurationException("The database is " + product + ", which eskit-jdbi does"
                            + " not support. Use SQLite or PostgreSQL.");
                }
            }
            Dialect dialect;
            if (sqlite) {
                if (schema != null) {
                    throw new StoreConfigurationException("SQLite has no schemas; drop schema(\"" + schema
                            + "\") and use tablePrefix(...) or another database file to separate stores.");
                }
                TableNames names = TableNames.of(null, tablePrefix);
                dialect = url != null
                        ? SqliteDialect.open(url, names, synchronous, busyTimeout, maxConnections)
                        : SqliteDialect.on(target, names, synchronous, busyTimeout);
            } else {
                TableNames names = TableNames.of(schema == null ? "public" : schema, tablePrefix);
                dialect = url != null ? PostgresDialect.open(url, names, maxConnections) : PostgresDialect.on(target,
                        names);
            }
            try {
                if (openExisting) {
                    checkExisting(dialect);
                } else {
                    migrate(dialect);
                }
            } catch (RuntimeException e) {
                dialect.close();
                throw e;
            }
            return new JdbiEventStore(dialect, codec, clock, hook);
        }

        private static String detect(Jdbi jdbi) {
            try (Handle handle = jdbi.open()) {
                return handle.getConnection().getMetaData().getDatabaseProductName();
            } catch (SQLException e) {
                throw new StoreAccessException("connect to detect the database", e);
            } catch (JdbiException e) {
                throw new StoreAccessException("The database could not be reached to detect its kind: "
                        + e.getMessage(), e);
            }
        }
    }
}
