package dev.eskit.jdbi;

import dev.eskit.BatchTooLargeException;
import dev.eskit.Limits;
import dev.eskit.StreamRef;
import dev.eskit.dcb.Tag;
import java.sql.SQLException;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.JdbiException;
import org.jdbi.v3.core.statement.PreparedBatch;

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
                // Before anything gives the transaction its id (see PostgresDialect), in the appends' order: every
                // stream lock (sorted), the boundary keys (so the imported events come after whatever a DCB read or
                // conditional append holding them exclusively has seen), the horizon lock.
                BoundaryLocks locks = new BoundaryLocks(dialect.tables.events());
                Set<StreamRef> streams = new LinkedHashSet<>();
                for (RawEvent event : events) {
                    locks.event(event.eventType(), event.tags());
                    streams.add(event.stream());
                }
                db.lockImport(handle.getConnection(), streams, locks.keys());
                int written = 0;
                int start = 0;
                while (start < events.size()) {
                    int end = runEnd(events, start);
                    written += importRun(handle, events.subList(start, end));
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

    /** A stream's row in the target: its version and status. */
    private record Head(long version, int status) {
    }

    private int importRun(Handle handle, List<RawEvent> run) throws SQLException {
        StreamRef stream = run.get(0).stream();
        // The stream's lock is held since the transaction began (lockImport): no append interleaves.
        Head head = handle.select(dialect.versionStatusSql + dialect.forUpdate(), stream.type(), stream.id())
                .map((row, context) -> new Head(row.getLong(1), row.getInt(2)))
                .findFirst().orElse(new Head(0, Dialect.ACTIVE));
        long current = head.version();
        int skip = 0;
        while (skip < run.size() && run.get(skip).version() <= current) {
            RawEvent event = run.get(skip);
            UUID existing = handle.select(dialect.idAtVersionSql, stream.type(), stream.id(), event.version())
                    .map((row, context) -> dialect.getUuid(row, 1)).findFirst().orElse(null);
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
        if (head.status() == Dialect.TOMBSTONED) {
            throw new ImportConflictException("Stream " + stream + " is tombstoned in the target store, so event "
                    + first.id() + " cannot be imported into it.");
        }
        List<RawEvent> imported = run.subList(skip, run.size());
        PreparedBatch insert = handle.prepareBatch(dialect.importSql());
        PreparedBatch insertTags = handle.prepareBatch(dialect.importTagSql());
        for (RawEvent event : imported) {
            // Ids and timestamps are bound the dialect's way (bytes or uuid; microseconds or timestamptz).
            insert.bind(0, dialect.uuidArgument(event.id())).bind(1, stream.type()).bind(2, stream.id())
                    .bind(3, event.version()).bind(4, event.eventType()).bind(5, event.schemaVersion())
                    .bind(6, dialect.instantArgument(event.timestamp())).bind(7, event.metadata())
                    .bind(8, event.data()).bind(9, event.codec()).add();
            for (Tag tag : event.tags()) {
                insertTags.bind(0, tag.value()).bind(1, stream.type()).bind(2, stream.id()).bind(3, event.version())
                        .add();
            }
        }
        insert.execute();
        if (insertTags.size() > 0) {
            insertTags.execute();
        }
        handle.execute(upsertStreamSql, stream.type(), stream.id(), current + imported.size());
        return imported.size();
    }
}
