package dev.eskit.jdbi;

import dev.eskit.BatchTooLargeException;
import dev.eskit.Limits;
import dev.eskit.StreamRef;
import dev.eskit.dcb.Tag;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.UUID;
import org.jdbi.v3.core.JdbiException;

/** The import transaction of {@link RawEventAccess#importEvents}: events copied from another store, as they are. */
final class RawImport {

    private final Database db;
    private final Dialect dialect;
    private final String upsertStreamSql;

    RawImport(Database db) {
        this.db = db;
        this.dialect = db.dialect();
        this.upsertStreamSql = "INSERT INTO " + dialect.tables.streams() + " (stream_type, stream_id, version, status)"
                + " VALUES (?, ?, ?, 0) ON CONFLICT (stream_type, stream_id) DO UPDATE SET version = excluded.version";
    }

    /** See {@link RawEventAccess#importEvents}. */
    int importEvents(List<RawEvent> events) {
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
            return db.write(handle -> {
                Connection connection = handle.getConnection();
                // Before anything gives the transaction its id (see PostgresDialect): so the imported events come
                // after whatever a DCB read or conditional append holding these keys exclusively has seen.
                BoundaryLocks locks = new BoundaryLocks(dialect.tables.events());
                for (RawEvent event : events) {
                    locks.event(event.eventType(), event.tags());
                }
                BoundaryLocks.Keys keys = locks.keys();
                db.lockBoundary(connection, keys.keys(), keys.exclusive());
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
            throw Database.unreachable("import events", e);
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
        // The same stream lock appends take, so an import never interleaves with an append.
        db.lockStreamForImport(connection, stream);
        long current = 0;
        int status = Dialect.ACTIVE;
        try (PreparedStatement query = connection.prepareStatement(dialect.versionStatusSql + dialect.forUpdate())) {
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
        try (PreparedStatement insert = connection.prepareStatement(dialect.importSql())) {
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
                insert.setString(10, event.codec());
                insert.addBatch();
            }
            insert.executeBatch();
        }
        boolean tagged = false;
        try (PreparedStatement insertTag = connection.prepareStatement(dialect.importTagSql())) {
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
        try (PreparedStatement query = connection.prepareStatement(dialect.idAtVersionSql)) {
            query.setString(1, stream.type());
            query.setString(2, stream.id());
            query.setLong(3, version);
            try (ResultSet row = query.executeQuery()) {
                return row.next() ? dialect.getUuid(row, 1) : null;
            }
        }
    }

}
