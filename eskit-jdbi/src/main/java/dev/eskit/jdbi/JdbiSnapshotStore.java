package dev.eskit.jdbi;

import dev.eskit.StreamRef;
import dev.eskit.snapshot.Snapshot;
import dev.eskit.snapshot.SnapshotStore;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
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
        run("save the snapshot of " + snapshot.stream(), true, handle -> {
            try (PreparedStatement statement = handle.getConnection().prepareStatement(saveSql)) {
                statement.setString(1, snapshot.stream().type());
                statement.setString(2, snapshot.stream().id());
                statement.setLong(3, snapshot.version());
                statement.setString(4, snapshot.schema());
                statement.setBytes(5, snapshot.data());
                dialect.setInstant(statement, 6, snapshot.timestamp());
                statement.executeUpdate();
            }
            return null;
        });
    }

    @Override
    public Optional<Snapshot> load(StreamRef stream) {
        Objects.requireNonNull(stream, "stream");
        return run("load the snapshot of " + stream, false, handle -> {
            try (PreparedStatement statement = handle.getConnection().prepareStatement(loadSql)) {
                statement.setString(1, stream.type());
                statement.setString(2, stream.id());
                try (ResultSet row = statement.executeQuery()) {
                    if (!row.next()) {
                        return Optional.empty();
                    }
                    return Optional.of(new Snapshot(stream, row.getLong(1), row.getString(2), row.getBytes(3),
                            dialect.getInstant(row, 4)));
                }
            }
        });
    }

    @Override
    public void delete(StreamRef stream) {
        Objects.requireNonNull(stream, "stream");
        run("delete the snapshot of " + stream, true, handle -> {
            try (PreparedStatement statement = handle.getConnection().prepareStatement(deleteSql)) {
                statement.setString(1, stream.type());
                statement.setString(2, stream.id());
                statement.executeUpdate();
            }
            return null;
        });
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
