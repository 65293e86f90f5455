package dev.eskit.jdbi;

import dev.eskit.StreamAdmin;
import dev.eskit.StreamRef;
import dev.eskit.StreamStatus;
import dev.eskit.StreamTombstonedException;
import java.sql.SQLException;
import java.util.Objects;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.JdbiException;

/**
 * The {@link StreamAdmin} side of a {@link JdbiEventStore}: the streams table's status column (archive, restore,
 * tombstone) and deleting a stream with everything it owns.
 */
final class StreamAdministration implements StreamAdmin {

    private static final int MAX_ATTEMPTS = 5;

    private final Database db;
    private final Dialect dialect;
    private final String deleteEventsSql;
    private final String deleteTagsSql;
    private final String deleteKeysSql;
    private final String deleteSnapshotSql;
    private final String deleteStreamSql;
    private final String tombstoneSql;
    private final String tombstoneOfSql;
    private final java.time.Clock clock;

    StreamAdministration(Database db, java.time.Clock clock) {
        this.db = db;
        this.clock = clock;
        this.dialect = db.dialect();
        TableNames t = dialect.tables;
        String stream = " WHERE stream_type = ? AND stream_id = ?";
        this.deleteEventsSql = "DELETE FROM " + t.events() + stream;
        this.deleteTagsSql = "DELETE FROM " + t.tags() + " WHERE seq IN (SELECT seq FROM " + t.events() + stream + ")";
        this.deleteKeysSql = "DELETE FROM " + t.idempotency() + stream;
        this.deleteSnapshotSql = "DELETE FROM " + t.snapshots() + stream;
        this.deleteStreamSql = "DELETE FROM " + t.streams() + stream;
        this.tombstoneSql = "UPDATE " + t.streams() + " SET status = " + Dialect.TOMBSTONED
                + ", tombstone_reason = ?, tombstoned_at = ?" + stream;
        this.tombstoneOfSql = "SELECT status, tombstone_reason, tombstoned_at FROM " + t.streams() + stream;
    }

    /** Tombstones the stream with {@code reason} ({@code null} for none) and the time now; repeating changes nothing. */
    @Override
    public void tombstone(StreamRef stream, String reason) {
        Objects.requireNonNull(stream, "stream");
        StreamAdmin.checkReason(reason);
        recordTombstone(stream, reason);
    }

    private void recordTombstone(StreamRef stream, String reason) {
        write("tombstone stream " + stream, handle -> {
            if (lockStatus(handle, stream) == Dialect.TOMBSTONED) {
                return null;
            }
            handle.execute(tombstoneSql, reason, dialect.instantValue(clock.instant()), stream.type(), stream.id());
            return null;
        });
    }

    /** The stream's tombstone: reason and time as recorded (both {@code null} for tombstones older than migration 4). */
    @Override
    public java.util.Optional<dev.eskit.Tombstone> tombstoneOf(StreamRef stream) {
        Objects.requireNonNull(stream, "stream");
        return db.reading("read the tombstone of stream " + stream, handle -> handle.select(tombstoneOfSql,
                stream.type(), stream.id()).map((row, context) -> row.getInt(1) != Dialect.TOMBSTONED ? null
                        : new dev.eskit.Tombstone(stream, row.getString(2),
                                row.getObject(3) == null ? null : dialect.getInstant(row, 3)))
                .findFirst().filter(java.util.Objects::nonNull));
    }

    @Override
    public StreamStatus status(StreamRef stream) {
        Objects.requireNonNull(stream, "stream");
        int status = db.reading("read the status of stream " + stream, handle -> handle.select(dialect.statusSql,
                stream.type(), stream.id()).mapTo(Integer.class).findFirst().orElse(Dialect.ACTIVE));
        return toStatus(status);
    }

    static StreamStatus toStatus(int status) {
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
        Objects.requireNonNull(stream, "stream");
        recordTombstone(stream, null);
    }

    private void changeStatus(StreamRef stream, String operation, int target) {
        Objects.requireNonNull(stream, "stream");
        write(operation + " stream " + stream, handle -> {
            int current = lockStatus(handle, stream);
            if (current == target) {
                return null;
            }
            if (current == Dialect.TOMBSTONED) {
                throw new StreamTombstonedException(stream);
            }
            handle.execute(dialect.setStatusSql, target, stream.type(), stream.id());
            return null;
        });
    }

    @Override
    public long delete(StreamRef stream) {
        Objects.requireNonNull(stream, "stream");
        return write("delete stream " + stream, handle -> {
            lockStatus(handle, stream);
            String raiseFloor = dialect.raiseFloorSql();
            if (raiseFloor != null) {
                // The stream may hold the log's last events: their numbers must not be given to the next append.
                handle.execute(raiseFloor);
            }
            handle.execute(deleteTagsSql, stream.type(), stream.id());
            long removed = handle.execute(deleteEventsSql, stream.type(), stream.id());
            handle.execute(deleteKeysSql, stream.type(), stream.id());
            handle.execute(deleteSnapshotSql, stream.type(), stream.id());
            handle.execute(deleteStreamSql, stream.type(), stream.id());
            return removed;
        });
    }

    /** Makes sure the stream has a row, locks it and returns its status. */
    private int lockStatus(Handle handle, StreamRef stream) {
        handle.execute(dialect.ensureStreamSql, stream.type(), stream.id());
        return handle.select(dialect.statusSql + dialect.forUpdate(), stream.type(), stream.id())
                .mapTo(Integer.class).one();
    }

    /** A write transaction, run again when a concurrent writer's unique row got there first. */
    private <T> T write(String operation, Database.Work<T> work) {
        for (int attempt = 1; ; attempt++) {
            try {
                return db.write(work);
            } catch (SQLException e) {
                if (!dialect.isUniqueViolation(e) || attempt == MAX_ATTEMPTS) {
                    throw new StoreAccessException(operation, e);
                }
            } catch (JdbiException e) {
                SQLException cause = e.getCause() instanceof SQLException sql ? sql : null;
                if (cause == null || !dialect.isUniqueViolation(cause) || attempt == MAX_ATTEMPTS) {
                    throw Database.unreachable(operation, e);
                }
            }
        }
    }
}
