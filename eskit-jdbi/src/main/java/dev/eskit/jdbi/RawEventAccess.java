package dev.eskit.jdbi;

import dev.eskit.BatchTooLargeException;
import dev.eskit.EventStore;
import dev.eskit.Limits;
import dev.eskit.Position;
import dev.eskit.StreamRef;
import dev.eskit.StreamStatus;
import dev.eskit.dcb.Tag;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.jdbi.v3.core.JdbiException;

/**
 * Reads and writes a {@link JdbiEventStore}'s rows without the codec: events as stored bytes ({@link RawEvent}),
 * streams, checkpoints and counts, and an import that copies events from another store keeping their ids, versions,
 * timestamps, metadata, Dynamic Consistency Boundary tags and order. This is what the {@code eskit} command-line tool is built on; applications rarely
 * need it. Get it from {@link JdbiEventStore#raw()}.
 *
 * <pre>{@code
 * Position after = Position.START;
 * List<RawEvent> page;
 * while (!(page = source.raw().readAll(after, 1000, Set.of())).isEmpty()) {
 *     target.raw().importEvents(page);                 // same ids, versions, timestamps, metadata, tags, order
 *     after = page.get(page.size() - 1).position();
 * }
 * }</pre>
 */
public final class RawEventAccess {

    private final Dialect dialect;
    private final String loadSql;
    private final String versionSql;
    private final String idAtVersionSql;
    private final String checkpointsSql;
    private final String upsertStreamSql;
    private final String importSql;
    private final String importTagSql;
    private final boolean postgres;

    RawEventAccess(Dialect dialect) {
        this.dialect = dialect;
        this.postgres = dialect.name().equals("PostgreSQL");
        TableNames t = dialect.tables();
        this.loadSql = "SELECT " + dialect.eventColumns() + " FROM " + t.events()
                + " WHERE stream_type = ? AND stream_id = ? AND version >= ? ORDER BY version LIMIT ?";
        this.versionSql = "SELECT version, status FROM " + t.streams() + " WHERE stream_type = ? AND stream_id = ?";
        this.idAtVersionSql = "SELECT id FROM " + t.events()
                + " WHERE stream_type = ? AND stream_id = ? AND version = ?";
        this.checkpointsSql = "SELECT name, commit_order, sequence, updated_at FROM " + t.checkpoints()
                + " ORDER BY name";
        this.upsertStreamSql = "INSERT INTO " + t.streams() + " (stream_type, stream_id, version, status)"
                + " VALUES (?, ?, ?, 0) ON CONFLICT (stream_type, stream_id) DO UPDATE SET version = excluded.version";
        String columns = "id, stream_type, stream_id, version, event_type, schema_version, created_at, metadata, data";
        // Rows get their global position from the database in insertion order: the list's order. On PostgreSQL every
        // row of the import shares its transaction id, and the sequence orders them within it.
        this.importSql = postgres
                ? "INSERT INTO " + t.events() + " (seq, " + columns + ") VALUES (nextval('" + t.render("{q}events_seq")
                        + "'), ?, ?, ?, ?, ?, ?, ?, ?, ?)"
                : "INSERT INTO " + t.events() + " (" + columns + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)";
        // The tag rows an append writes (see the dialects' insertTags), keyed by the position the event just got.
        this.importTagSql = postgres
                ? "INSERT INTO " + t.tags() + " (tag, event_type, tx, seq) SELECT ?, event_type, tx, seq FROM "
                        + t.events() + " WHERE stream_type = ? AND stream_id = ? AND version = ?"
                : "INSERT INTO " + t.tags() + " (tag, event_type, seq) SELECT ?, event_type, seq FROM " + t.events()
                        + " WHERE stream_type = ? AND stream_id = ? AND version = ?";
    }

    // -------------------------------------------------------------------------------------------------- reads

    /**
     * Up to {@code limit} events after {@code after} in global order, of the given types (all when empty), as
     * {@link EventStore#readAll} reads them but without decoding, with their tags.
     *
     * @throws dev.eskit.InvalidReadLimitException when {@code limit} is not between 1 and 10,000
     */
    public List<RawEvent> readAll(Position after, int limit, Set<String> eventTypes) {
        Objects.requireNonNull(after, "after");
        Objects.requireNonNull(eventTypes, "eventTypes");
        EventStore.checkReadLimit(limit);
        return read("read the global log", connection -> {
            // A dialect may keep the statement (SQLite does, per reader connection): hand it back, never close it.
            PreparedStatement query = dialect.prepareReadAll(connection, after, limit, eventTypes);
            try {
                return withTags(connection, map(query));
            } finally {
                dialect.release(query);
            }
        });
    }

    /**
     * Up to {@code limit} events of {@code stream} from version {@code fromVersion} (inclusive), undecoded, with
     * their tags.
     *
     * @throws dev.eskit.InvalidReadLimitException when {@code limit} is not between 1 and 10,000
     */
    public List<RawEvent> load(StreamRef stream, long fromVersion, int limit) {
        Objects.requireNonNull(stream, "stream");
        EventStore.checkFromVersion(fromVersion);
        EventStore.checkReadLimit(limit);
        return read("load stream " + stream, connection -> {
            try (PreparedStatement query = connection.prepareStatement(loadSql)) {
                query.setString(1, stream.type());
                query.setString(2, stream.id());
                query.setLong(3, fromVersion);
                query.setInt(4, limit);
                return withTags(connection, map(query));
            }
        });
    }

    /** The event at {@code position}, undecoded, or empty when no readable event has that position. */
    public Optional<RawEvent> at(Position position) {
        Objects.requireNonNull(position, "position");
        if (position.sequence() == 0) {
            return Optional.empty();
        }
        // Positions order by (commit order, sequence), so the first event after (commit order, sequence - 1) is the
        // one at the position when it exists.
        List<RawEvent> next = readAll(new Position(position.commitOrder(), position.sequence() - 1), 1, Set.of());
        return next.isEmpty() || !next.get(0).position().equals(position) ? Optional.empty()
                : Optional.of(next.get(0));
    }

    /**
     * Up to {@code limit} streams ordered by (type, id), after {@code after} (exclusive; {@code null} for the first
     * page), only of {@code type} when it is not {@code null}.
     */
    public List<StreamInfo> streams(String type, StreamRef after, int limit) {
        EventStore.checkReadLimit(limit);
        StringBuilder sql = new StringBuilder("SELECT stream_type, stream_id, version, status FROM ")
                .append(dialect.tables().streams()).append(" WHERE 1 = 1");
        if (after != null) {
            sql.append(" AND (stream_type > ? OR (stream_type = ? AND stream_id > ?))");
        }
        if (type != null) {
            sql.append(" AND stream_type = ?");
        }
        sql.append(" ORDER BY stream_type, stream_id LIMIT ?");
        return read("list streams", connection -> {
            try (PreparedStatement query = connection.prepareStatement(sql.toString())) {
                int index = 1;
                if (after != null) {
                    query.setString(index++, after.type());
                    query.setString(index++, after.type());
                    query.setString(index++, after.id());
                }
                if (type != null) {
                    query.setString(index++, type);
                }
                query.setInt(index, limit);
                List<StreamInfo> streams = new ArrayList<>();
                try (ResultSet rows = query.executeQuery()) {
                    while (rows.next()) {
                        streams.add(new StreamInfo(StreamRef.of(rows.getString(1), rows.getString(2)),
                                rows.getLong(3), status(rows.getInt(4))));
                    }
                }
                return streams;
            }
        });
    }

    /** The stream's row, or empty when the store has never seen the stream. */
    public Optional<StreamInfo> stream(StreamRef stream) {
        Objects.requireNonNull(stream, "stream");
        return read("read stream " + stream, connection -> {
            try (PreparedStatement query = connection.prepareStatement(versionSql)) {
                query.setString(1, stream.type());
                query.setString(2, stream.id());
                try (ResultSet row = query.executeQuery()) {
                    return row.next() ? Optional.of(new StreamInfo(stream, row.getLong(1), status(row.getInt(2))))
                            : Optional.<StreamInfo>empty();
                }
            }
        });
    }

    private static StreamStatus status(int status) {
        return switch (status) {
            case Dialect.ARCHIVED -> StreamStatus.ARCHIVED;
            case Dialect.TOMBSTONED -> StreamStatus.TOMBSTONED;
            default -> StreamStatus.ACTIVE;
        };
    }

    /** Every saved checkpoint, by name. */
    public List<CheckpointInfo> checkpoints() {
        return read("list checkpoints", connection -> {
            try (PreparedStatement query = connection.prepareStatement(checkpointsSql);
                 ResultSet rows = query.executeQuery()) {
                List<CheckpointInfo> checkpoints = new ArrayList<>();
                while (rows.next()) {
                    checkpoints.add(new CheckpointInfo(rows.getString(1), new Position(rows.getLong(2),
                            rows.getLong(3)), dialect.getInstant(rows, 4)));
                }
                return checkpoints;
            }
        });
    }

    /**
     * How many events come after {@code after} in the global log (of the given types; all when empty): a
     * subscription's lag when {@code after} is its checkpoint.
     */
    public long countAfter(Position after, Set<String> eventTypes) {
        Objects.requireNonNull(after, "after");
        Objects.requireNonNull(eventTypes, "eventTypes");
        StringBuilder sql = new StringBuilder("SELECT count(*) FROM ").append(dialect.tables().events())
                .append(postgres ? " WHERE (tx, seq) > (?::text::xid8, ?)" : " WHERE seq > ?");
        for (int i = 0; i < eventTypes.size(); i++) {
            sql.append(i == 0 ? " AND event_type IN (?" : ", ?");
        }
        if (!eventTypes.isEmpty()) {
            sql.append(')');
        }
        return read("count events after " + after, connection -> {
            try (PreparedStatement query = connection.prepareStatement(sql.toString())) {
                int index = 1;
                if (postgres) {
                    query.setString(index++, Long.toString(after.commitOrder()));
                    query.setLong(index++, after.sequence());
                } else {
                    query.setLong(index++, after.commitOrder() > 0 ? Long.MAX_VALUE : after.sequence());
                }
                for (String type : eventTypes) {
                    query.setString(index++, type);
                }
                try (ResultSet row = query.executeQuery()) {
                    row.next();
                    return row.getLong(1);
                }
            }
        });
    }

    /** Counts over the store's tables. */
    public StoreStats stats() {
        TableNames t = dialect.tables();
        return read("read store statistics", connection -> {
            int schemaVersion = (int) single(connection, "SELECT coalesce(max(version), 0) FROM " + t.migrations());
            long events = single(connection, "SELECT count(*) FROM " + t.events());
            long streams = single(connection, "SELECT count(*) FROM " + t.streams());
            long checkpoints = single(connection, "SELECT count(*) FROM " + t.checkpoints());
            Map<String, Long> byType = new LinkedHashMap<>();
            try (PreparedStatement query = connection.prepareStatement("SELECT event_type, count(*) FROM "
                    + t.events() + " GROUP BY event_type ORDER BY event_type");
                 ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    byType.put(rows.getString(1), rows.getLong(2));
                }
            }
            Instant first = null;
            Instant last = null;
            try (PreparedStatement query = connection.prepareStatement("SELECT min(created_at), max(created_at)"
                    + " FROM " + t.events());
                 ResultSet row = query.executeQuery()) {
                if (row.next() && row.getObject(1) != null) {
                    first = dialect.getInstant(row, 1);
                    last = dialect.getInstant(row, 2);
                }
            }
            Position lastPosition = Position.START;
            try (PreparedStatement query = connection.prepareStatement(postgres
                    ? "SELECT tx::text::bigint, seq FROM " + t.events() + " ORDER BY tx DESC, seq DESC LIMIT 1"
                    : "SELECT 0, seq FROM " + t.events() + " ORDER BY seq DESC LIMIT 1");
                 ResultSet row = query.executeQuery()) {
                if (row.next()) {
                    lastPosition = dialect.position(row.getLong(1), row.getLong(2));
                }
            }
            return new StoreStats(dialect.name(), t.toString(), schemaVersion, events, streams,
                    Collections.unmodifiableMap(byType), lastPosition, first, last, checkpoints);
        });
    }

    /** The newest schema version of the tables this release of eskit-jdbi knows. */
    public int knownSchemaVersion() {
        List<Migration> migrations = dialect.migrations();
        return migrations.get(migrations.size() - 1).version();
    }

    private static long single(Connection connection, String sql) throws SQLException {
        try (PreparedStatement query = connection.prepareStatement(sql); ResultSet row = query.executeQuery()) {
            row.next();
            return row.getLong(1);
        }
    }

    private List<RawEvent> map(PreparedStatement query) throws SQLException {
        List<RawEvent> events = new ArrayList<>();
        try (ResultSet row = query.executeQuery()) {
            while (row.next()) {
                long sequence = row.getLong(1);
                long commitOrder = row.getLong(2);
                events.add(new RawEvent(dialect.getUuid(row, 3), StreamRef.of(row.getString(4), row.getString(5)),
                        row.getLong(6), row.getString(7), row.getInt(8), dialect.position(commitOrder, sequence),
                        dialect.getInstant(row, 9), row.getBytes(10), row.getBytes(11)));
            }
        }
        return events;
    }

    /** {@code events} with their tags, read in one query for the whole page. */
    private List<RawEvent> withTags(Connection connection, List<RawEvent> events) throws SQLException {
        if (events.isEmpty()) {
            return events;
        }
        Map<Long, List<Tag>> tags = new HashMap<>();
        // seq alone identifies a row on both databases: PostgreSQL's comes from one sequence for every transaction.
        StringBuilder sql = new StringBuilder("SELECT seq, tag FROM ").append(dialect.tables().tags());
        if (postgres) {
            sql.append(" WHERE seq = ANY (?)");
        } else {
            sql.append(" WHERE seq IN (");
            for (int i = 0; i < events.size(); i++) {
                sql.append(i == 0 ? "?" : ", ?");
            }
            sql.append(')');
        }
        try (PreparedStatement query = connection.prepareStatement(sql.toString())) {
            if (postgres) {
                Long[] sequences = new Long[events.size()];
                for (int i = 0; i < sequences.length; i++) {
                    sequences[i] = events.get(i).position().sequence();
                }
                query.setArray(1, connection.createArrayOf("bigint", sequences));
            } else {
                for (int i = 0; i < events.size(); i++) {
                    query.setLong(i + 1, events.get(i).position().sequence());
                }
            }
            try (ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    tags.computeIfAbsent(rows.getLong(1), seq -> new ArrayList<>()).add(new Tag(rows.getString(2)));
                }
            }
        }
        if (tags.isEmpty()) {
            return events;
        }
        List<RawEvent> tagged = new ArrayList<>(events.size());
        for (RawEvent event : events) {
            List<Tag> own = tags.get(event.position().sequence());
            tagged.add(own == null ? event : event.withTags(own));
        }
        return tagged;
    }

    // ------------------------------------------------------------------------------------------------- import

    /**
     * Writes events read from another store into this one, in one transaction, keeping each event's id, stream,
     * version, type, schema version, timestamp, metadata, data bytes and tags; this store assigns new global positions
     * in the order of the list, and writes each event's tag rows at its new position (as an append does), so DCB
     * queries find the imported events. On PostgreSQL the transaction first takes the shared boundary locks of the
     * events' (type, tag) keys, as an append does, so a concurrent conditional DCB append waits for the import and
     * sees its events. Each stream's events must continue it: the first imported event of a stream has the
     * version after the stream's current one. Events already present (same stream, version <em>and</em> id, as after
     * an interrupted copy) are skipped, so an import can be repeated safely.
     *
     * @return how many events were written (skipped ones are not counted)
     * @throws ImportConflictException   when another event holds a version, a stream's earlier versions are missing,
     *                                   or a stream is tombstoned; nothing is written
     * @throws BatchTooLargeException    when there are more than 10,000 events
     * @throws StoreAccessException      when the database fails
     */
    public int importEvents(List<RawEvent> events) {
        Objects.requireNonNull(events, "events");
        if (events.size() > Limits.MAX_EVENTS_PER_APPEND) {
            throw new BatchTooLargeException("An import of " + events.size() + " events is over the limit of "
                    + Limits.MAX_EVENTS_PER_APPEND + ". Import in batches of at most that many.");
        }
        for (RawEvent event : events) {
            Objects.requireNonNull(event, "events must not contain null");
        }
        if (events.isEmpty()) {
            return 0;
        }
        try {
            return dialect.inTransaction(handle -> {
                Connection connection = handle.getConnection();
                // Before anything gives the transaction its id (see PostgresDialect): so the imported events come
                // after whatever a DCB read or conditional append holding these keys exclusively has seen.
                BoundaryLocks locks = new BoundaryLocks(dialect.tables().events());
                for (RawEvent event : events) {
                    locks.event(event.eventType(), event.tags());
                }
                BoundaryLocks.Keys keys = locks.keys();
                dialect.lockBoundary(connection, keys.keys(), keys.exclusive());
                int written = 0;
                int start = 0;
                while (start < events.size()) {
                    int end = runEnd(events, start);
                    written += importRun(connection, events.subList(start, end));
                    start = end;
                }
                return written;
            });
        } catch (SQLException e) {
            throw new StoreAccessException("import " + events.size() + " events", e);
        } catch (JdbiException e) {
            throw new StoreAccessException("The database failed to import events: " + e.getMessage()
                    + ". Check that it is reachable and healthy, then retry.", e);
        }
    }

    /** The end of the run from {@code start}: consecutive versions of one stream sharing timestamp and metadata. */
    private static int runEnd(List<RawEvent> events, int start) {
        RawEvent first = events.get(start);
        int end = start + 1;
        while (end < events.size()) {
            RawEvent next = events.get(end);
            RawEvent previous = events.get(end - 1);
            if (!next.stream().equals(first.stream()) || next.version() != previous.version() + 1
                    || !next.timestamp().equals(first.timestamp()) || !Arrays.equals(next.metadata(),
                    first.metadata())) {
                break;
            }
            end++;
        }
        return end;
    }

    private int importRun(Connection connection, List<RawEvent> run) throws SQLException {
        StreamRef stream = run.get(0).stream();
        if (postgres) {
            // The same stream lock appends take (see PostgresDialect), so an import never interleaves with an append.
            try (PreparedStatement lock = connection.prepareStatement("SELECT pg_advisory_xact_lock(?, ?)")) {
                lock.setInt(1, dialect.tables().events().hashCode());
                lock.setInt(2, (stream.type() + '\u001f' + stream.id()).hashCode());
                lock.execute();
            }
        }
        long current = 0;
        int status = Dialect.ACTIVE;
        try (PreparedStatement query = connection.prepareStatement(versionSql + dialect.forUpdate())) {
            query.setString(1, stream.type());
            query.setString(2, stream.id());
            try (ResultSet row = query.executeQuery()) {
                if (row.next()) {
                    current = row.getLong(1);
                    status = row.getInt(2);
                }
            }
        }
        int skip = 0;
        while (skip < run.size() && run.get(skip).version() <= current) {
            RawEvent event = run.get(skip);
            UUID existing = idAt(connection, stream, event.version());
            if (!event.id().equals(existing)) {
                throw new ImportConflictException("Stream " + stream + " already has " + (existing == null
                        ? "no event" : "event " + existing) + " at version " + event.version() + ", not the imported"
                        + " event " + event.id() + ". Import into an empty store, or into a copy made from the same"
                        + " source.");
            }
            skip++;
        }
        if (skip == run.size()) {
            return 0;
        }
        RawEvent first = run.get(skip);
        if (first.version() != current + 1) {
            throw new ImportConflictException("Stream " + stream + " is at version " + current + " but the next"
                    + " imported event (" + first.id() + ") has version " + first.version() + ". Import every stream"
                    + " from its first event, in global order.");
        }
        if (status == Dialect.TOMBSTONED) {
            throw new ImportConflictException("Stream " + stream + " is tombstoned in the target store, so event "
                    + first.id() + " cannot be imported into it.");
        }
        int count = run.size() - skip;
        try (PreparedStatement insert = connection.prepareStatement(importSql)) {
            for (int i = skip; i < run.size(); i++) {
                RawEvent event = run.get(i);
                dialect.setUuid(insert, 1, event.id());
                insert.setString(2, stream.type());
                insert.setString(3, stream.id());
                insert.setLong(4, event.version());
                insert.setString(5, event.eventType());
                insert.setInt(6, event.schemaVersion());
                dialect.setInstant(insert, 7, event.timestamp());
                insert.setBytes(8, event.metadata());
                insert.setBytes(9, event.data());
                insert.addBatch();
            }
            insert.executeBatch();
        }
        boolean tagged = false;
        try (PreparedStatement insertTag = connection.prepareStatement(importTagSql)) {
            for (int i = skip; i < run.size(); i++) {
                RawEvent event = run.get(i);
                for (Tag tag : event.tags()) {
                    insertTag.setString(1, tag.value());
                    insertTag.setString(2, stream.type());
                    insertTag.setString(3, stream.id());
                    insertTag.setLong(4, event.version());
                    insertTag.addBatch();
                    tagged = true;
                }
            }
            if (tagged) {
                insertTag.executeBatch();
            }
        }
        try (PreparedStatement upsert = connection.prepareStatement(upsertStreamSql)) {
            upsert.setString(1, stream.type());
            upsert.setString(2, stream.id());
            upsert.setLong(3, current + count);
            upsert.executeUpdate();
        }
        return count;
    }

    private UUID idAt(Connection connection, StreamRef stream, long version) throws SQLException {
        try (PreparedStatement query = connection.prepareStatement(idAtVersionSql)) {
            query.setString(1, stream.type());
            query.setString(2, stream.id());
            query.setLong(3, version);
            try (ResultSet row = query.executeQuery()) {
                return row.next() ? dialect.getUuid(row, 1) : null;
            }
        }
    }

    // ---------------------------------------------------------------------------------------------- plumbing

    @FunctionalInterface
    private interface ConnectionWork<T> {
        T run(Connection connection) throws SQLException;
    }

    private <T> T read(String operation, ConnectionWork<T> work) {
        try {
            return dialect.read(handle -> work.run(handle.getConnection()));
        } catch (SQLException e) {
            throw new StoreAccessException(operation, e);
        } catch (JdbiException e) {
            throw new StoreAccessException("The database failed to " + operation + ": " + e.getMessage()
                    + ". Check that it is reachable and healthy, then retry.", e);
        }
    }
}
