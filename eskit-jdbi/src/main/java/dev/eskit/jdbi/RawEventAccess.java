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
import org.jdbi.v3.core.Handle;
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
        return read("read the global log", handle -> {
            // The engine may keep the statement (SQLite does, per reader connection): hand it back, never close it.
            Connection connection = handle.getConnection();
            PreparedStatement query = db.prepare(connection, dialect.readAllSql(eventTypes.size()));
            List<RawEvent> events = new ArrayList<>();
            try {
                dialect.bindReadAll(query, after, limit, eventTypes);
                try (ResultSet rows = query.executeQuery()) {
                    while (rows.next()) {
                        events.add(event(rows));
                    }
                }
            } finally {
                db.release(query);
            }
            return withTags(connection, events);
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
        return read("load stream " + stream, handle -> withTags(handle.getConnection(), handle.select(
                dialect.loadPageSql, stream.type(), stream.id(), fromVersion, limit).map((row, context) -> event(row)).list()));
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
        // A stream's version is its events' highest (SQLite's appends do not write the stream's row's version).
        StringBuilder sql = new StringBuilder("SELECT stream_type, stream_id, ").append(dialect.streamVersionOfRow)
                .append(", status FROM ").append(dialect.tables.streams()).append(" s WHERE 1 = 1");
        if (after != null) {
            sql.append(" AND (stream_type > ? OR (stream_type = ? AND stream_id > ?))");
        }
        if (type != null) {
            sql.append(" AND stream_type = ?");
        }
        sql.append(" ORDER BY stream_type, stream_id LIMIT ?");
        List<Object> arguments = new ArrayList<>();
        if (after != null) {
            arguments.addAll(List.of(after.type(), after.type(), after.id()));
        }
        if (type != null) {
            arguments.add(type);
        }
        arguments.add(limit);
        return read("list streams", handle -> handle.select(sql.toString(), arguments.toArray())
                .map((rows, context) -> new StreamInfo(StreamRef.of(rows.getString(1), rows.getString(2)),
                        rows.getLong(3), StreamAdministration.toStatus(rows.getInt(4))))
                .list());
    }

    /** The stream's row, or empty when the store has never seen the stream. */
    public Optional<StreamInfo> stream(StreamRef stream) {
        Objects.requireNonNull(stream, "stream");
        return read("read stream " + stream, handle -> handle.select(dialect.versionStatusSql, stream.type(),
                stream.id()).map((row, context) -> new StreamInfo(stream, row.getLong(1),
                StreamAdministration.toStatus(row.getInt(2)))).findFirst());
    }

    /** Every saved checkpoint, by name. */
    public List<CheckpointInfo> checkpoints() {
        return read("list checkpoints", handle -> handle.select(checkpointsSql).map((rows, context) ->
                new CheckpointInfo(rows.getString(1), new Position(rows.getLong(2), rows.getLong(3)),
                        dialect.getInstant(rows, 4))).list());
    }

    /**
     * How many events come after {@code after} in the global log (of the given types; all when empty): a
     * subscription's lag when {@code after} is its checkpoint.
     */
    public long countAfter(Position after, Set<String> eventTypes) {
        Objects.requireNonNull(after, "after");
        Objects.requireNonNull(eventTypes, "eventTypes");
        String sql = dialect.countAfterSql(eventTypes.size());
        return read("count events after " + after, handle -> {
            // The position is bound by the dialect, which binds on JDBC statements.
            try (PreparedStatement query = handle.getConnection().prepareStatement(sql)) {
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
        return read("read store statistics", handle -> {
            int schemaVersion = (int) single(handle, "SELECT coalesce(max(version), 0) FROM " + t.migrations());
            long events = single(handle, "SELECT count(*) FROM " + t.events());
            long streams = single(handle, "SELECT count(*) FROM " + t.streams());
            long checkpoints = single(handle, "SELECT count(*) FROM " + t.checkpoints());
            Map<String, Long> byType = new LinkedHashMap<>();
            handle.select("SELECT event_type, count(*) FROM " + t.events() + " GROUP BY event_type ORDER BY"
                    + " event_type").map((rows, context) -> Map.entry(rows.getString(1), rows.getLong(2)))
                    .forEach(entry -> byType.put(entry.getKey(), entry.getValue()));
            List<Instant> range = handle.select("SELECT min(created_at), max(created_at) FROM " + t.events())
                    .map((row, context) -> row.getObject(1) == null ? List.<Instant>of()
                            : List.of(dialect.getInstant(row, 1), dialect.getInstant(row, 2)))
                    .findFirst().orElse(List.of());
            Position lastPosition = handle.select(dialect.lastPositionSql())
                    .map((row, context) -> dialect.position(row.getLong(1), row.getLong(2)))
                    .findFirst().orElse(Position.START);
            return new StoreStats(dialect.name(), t.toString(), schemaVersion, events, streams,
                    Collections.unmodifiableMap(byType), lastPosition, range.isEmpty() ? null : range.get(0),
                    range.isEmpty() ? null : range.get(1), checkpoints);
        });
    }

    /** The newest schema version of the tables this release of eskit-jdbi knows. */
    public int knownSchemaVersion() {
        return Migrations.KNOWN;
    }

    private static long single(Handle handle, String sql) {
        return handle.select(sql).mapTo(Long.class).one();
    }

    private RawEvent event(ResultSet row) throws SQLException {
        long sequence = row.getLong(1);
        long commitOrder = row.getLong(2);
        return new RawEvent(dialect.getUuid(row, 3), StreamRef.of(row.getString(4), row.getString(5)), row.getLong(6),
                row.getString(7), row.getInt(8), dialect.position(commitOrder, sequence), dialect.getInstant(row, 9),
                row.getBytes(10), row.getBytes(11), List.of(), row.getString(12));
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
        // The sequences are bound by the dialect (a PostgreSQL array, or one parameter each on SQLite).
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
    private interface HandleWork<T> {
        T run(Handle handle) throws SQLException;
    }

    private <T> T read(String operation, HandleWork<T> work) {
        try {
            return db.read(work::run);
        } catch (SQLException e) {
            throw new StoreAccessException(operation, e);
        } catch (JdbiException e) {
            throw Database.unreachable(operation, e);
        }
    }
}
