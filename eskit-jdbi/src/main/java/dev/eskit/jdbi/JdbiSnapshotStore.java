package dev.eskit.jdbi;

import dev.eskit.StreamRef;
import dev.eskit.snapshot.Snapshot;
import dev.eskit.snapshot.SnapshotStore;
import java.sql.SQLException;
import java.util.Objects;
import java.util.Optional;
import org.jdbi.v3.core.JdbiException;

/**
 * The {@link SnapshotStore} in a {@link JdbiEventStore}'s schema (table {@code <prefix>snapshots}, one row per
 * stream). Get it from {@link JdbiEventStore#snapshots()}. Deleting a stream deletes its snapshot.
 */
public final class JdbiSnapshotStore implements SnapshotStore {

    private final Database db;
    private final Dialect dialect;
    private final String saveSql;
    private final String loadSql;
    private final String deleteSql;

    JdbiSnapshotStore(Database db) {
        this.db = db;
        this.dialect = db.dialect();
        TableNames t = dialect.tables;
        this.saveSql = "INSERT INTO " + t.snapshots() + " AS s (stream_type, stream_id, version, state_schema,"
                + " data, created_at) VALUES (?, ?, ?, ?, ?, ?)"
                + " ON CONFLICT (stream_type, stream_id) DO UPDATE SET version = excluded.version,"
                + " state_schema = excluded.state_schema, data = excluded.data,"
                + " created_at = excluded.created_at WHERE s.version <= excluded.version";
        this.loadSql = "SELECT version, state_schema, data, created_at FROM " + t.snapshots()
                + " WHERE stream_type = ? AND stream_id = ?";
        this.deleteSql = "DELETE FROM " + t.snapshots() + " WHERE stream_type = ? AND stream_id = ?";
    }

    @Override
    public void save(Snapshot snapshot) {
        Objects.requireNonNull(snapshot, "snapshot");
        run("save the snapshot of " + snapshot.stream(), true, handle -> handle.createUpdate(saveSql)
                .bind(0, snapshot.stream().type()).bind(1, snapshot.stream().id()).bind(2, snapshot.version())
                .bind(3, snapshot.schema()).bind(4, snapshot.data()).bind(5, dialect.instantValue(snapshot.timestamp()))
                .execute());
    }

    @Override
    public Optional<Snapshot> load(StreamRef stream) {
        Objects.requireNonNull(stream, "stream");
        return run("load the snapshot of " + stream, false, handle -> handle.select(loadSql, stream.type(), stream.id())
                .map((row, context) -> new Snapshot(stream, row.getLong(1), row.getString(2), row.getBytes(3),
                        dialect.getInstant(row, 4)))
                .findFirst());
    }

    @Override
    public void delete(StreamRef stream) {
        Objects.requireNonNull(stream, "stream");
        run("delete the snapshot of " + stream, true, handle -> handle.execute(deleteSql, stream.type(), stream.id()));
    }

    @Override
    public long deleteAll(String streamType) {
        Objects.requireNonNull(streamType, "streamType");
        return run("delete the snapshots of stream type " + streamType, true, handle -> (long) handle.execute(
                "DELETE FROM " + dialect.tables.snapshots() + " WHERE stream_type = ?", streamType));
    }

    @Override
    public long deleteAll() {
        return run("delete every snapshot", true, handle -> (long) handle.execute(
                "DELETE FROM " + dialect.tables.snapshots()));
    }

    private <T> T run(String operation, boolean write, Database.Work<T> work) {
        try {
            return write ? db.write(work) : db.read(work);
        } catch (SQLException e) {
            throw new StoreAccessException(operation, e);
        } catch (JdbiException e) {
            throw new StoreAccessException("The database failed to " + operation + ": " + e.getMessage(), e);
        }
    }
}
