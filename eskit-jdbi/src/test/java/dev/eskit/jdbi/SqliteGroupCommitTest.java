package dev.eskit.jdbi;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import dev.eskit.StreamRef;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Group commit on a SQLite file. */
class SqliteGroupCommitTest extends GroupCommitContract {

    @RegisterExtension
    static final Databases DB = Databases.sqlite();

    @Override
    Databases db() {
        return DB;
    }

    @Test
    void groupCommitIsOnByDefaultOnSqliteAndOffWhenAsked() {
        assertNotNull(db().newStore().groupCommit(), "concurrent appends share a transaction by default");
        assertNull(db().open(db().newLocation(), builder -> builder.groupCommit(false)).groupCommit());
    }

    @Override
    AutoCloseable blockWrites(Databases.Location location, JdbiEventStore store, StreamRef stream) throws Exception {
        return holdWriteLock(location);
    }

    /** The database's write lock, held by another connection until closed: the store's writer waits for it. */
    static AutoCloseable holdWriteLock(Databases.Location location) throws Exception {
        Connection raw = location.rawConnection();
        try (Statement statement = raw.createStatement()) {
            statement.execute("BEGIN IMMEDIATE");
        }
        return () -> {
            try (Statement statement = raw.createStatement()) {
                statement.execute("COMMIT");
            } finally {
                raw.close();
            }
        };
    }

    @Override
    void insertBehindTheStoresBack(Connection connection, JdbiEventStore store, StreamRef stream, long version)
            throws Exception {
        try (PreparedStatement insert = connection.prepareStatement("INSERT INTO " + store.tableNames().events()
                + " (id, stream_type, stream_id, version, event_type, schema_version, created_at, data)"
                + " VALUES (?, ?, ?, ?, 'test.Marked', 1, 0, X'7B7D')")) {
            insert.setBytes(1, UUID.randomUUID().toString().substring(0, 16).getBytes());
            insert.setString(2, stream.type());
            insert.setString(3, stream.id());
            insert.setLong(4, version);
            insert.executeUpdate();
        }
    }
}
