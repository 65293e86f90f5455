package dev.eskit.jdbi;

import dev.eskit.BatchTooLargeException;
import dev.eskit.EventStore;
import dev.eskit.Position;
import dev.eskit.StreamRef;
import dev.eskit.dcb.Tag;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
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

    private final Database db;
    private final Dialect dialect;
    private final RawImport importer;
    private final Runnable onImported;
    private final String checkpointsSql;

    RawEventAccess(Database db, Runnable onImported) {
        this.db = db;
        this.dialect = db.dialect();
        this.importer = new RawImport(db);
        this.onImported = onImported;
        this.checkpointsSql = "SELECT name, commit_order, sequence, updated_at FROM " + dialect.tables.checkpoints()
                + " ORDER BY name";
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
            // The engine may keep the statement (SQLite does, per reader connection): hand it back, never close it.
            PreparedStatement query = db.prepare(connection, dialect.readAllSql(eventTypes.size()));
            try {
                dialect.bindReadAll(query, after, limit, eventTypes);
                return withTags(connection, map(query));
            } finally {
                db.release(query);
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
            try (PreparedStatement query = connection.prepareStatement(dialect.loadPageSql)) {
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
                .append(dialect.tables.streams()).append(" WHERE 1 = 1");
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
                                rows.getLong(3), StreamAdministration.toStatus(rows.getInt(4))));
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
            try (PreparedStatement query = connection.prepareStatement(dialect.versionStatusSql)) {
                query.setString(1, stream.type());
                query.setString(2, stream.id());
                try (ResultSet row = query.executeQuery()) {
                    return row.next() ? Optional.of(new StreamInfo(stream, row.getLong(1),
                            StreamAdministration.toStatus(row.getInt(2))))
                            : Optional.<StreamInfo>empty();
                }
            }
        });
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
        String sql = dialect.countAfterSql(eventTypes.size());
        return read("count events after " + after, connection -> {
            try (PreparedStatement query = connection.prepareStatement(sql)) {
                int index = dialect.bindAfter(after).bind(query, 1);
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
        TableNames t = dialect.tables;
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
            try (PreparedStatement query = connection.prepareStatement(dialect.lastPositionSql());
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
        return Migrations.KNOWN;
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
                        dialect.getInstant(row, 9), row.getBytes(10), row.getBytes(11), List.of(),
                        row.getString(12)));
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
        long[] sequences = new long[events.size()];
        for (int i = 0; i < sequences.length; i++) {
            sequences[i] = events.get(i).position().sequence();
        }
        try (PreparedStatement query = connection.prepareStatement(dialect.tagsBySequenceSql(sequences.length))) {
            dialect.bindSequences(query, sequences);
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
        int written = importer.importEvents(events);
        if (written > 0) {
            onImported.run();
        }
        return written;
    }

    // ---------------------------------------------------------------------------------------------- plumbing

    @FunctionalInterface
    private interface ConnectionWork<T> {
        T run(Connection connection) throws SQLException;
    }

    private <T> T read(String operation, ConnectionWork<T> work) {
        try {
            return db.read(handle -> work.run(handle.getConnection()));
        } catch (SQLException e) {
            throw new StoreAccessException(operation, e);
        } catch (JdbiException e) {
            throw Database.unreachable(operation, e);
        }
    }
}
