package dev.eskit.jdbi;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import dev.eskit.StreamRef;
import java.sql.Connection;
import java.sql.PreparedStatement;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Group commit on PostgreSQL, through the one-round-trip group statement. */
class PostgresGroupCommitTest extends GroupCommitContract {

    @RegisterExtension
    static final Databases DB = Databases.postgres();

    @Override
    Databases db() {
        return DB;
    }

    @Test
    void groupCommitIsOffByDefaultOnPostgresAndOnWhenAsked() {
        assertNull(db().newStore().groupCommit(), "every append a transaction of its own by default");
        assertNotNull(db().open(db().newLocation(), builder -> builder.groupCommit(true)).groupCommit());
    }

    @Override
    AutoCloseable blockWrites(Databases.Location location, JdbiEventStore store, StreamRef stream) throws Exception {
        // The stream's advisory lock, held by another session: the group's transaction waits for it.
        int[] key = new PostgresDialect(store.tableNames()).streamLockKey(stream);
        Connection raw = location.rawConnection();
        AdvisoryLocks.lock(raw, key[0], key[1]);
        return raw::close;
    }

    @Override
    void insertBehindTheStoresBack(Connection connection, JdbiEventStore store, StreamRef stream, long version)
            throws Exception {
        TableNames tables = store.tableNames();
        try (PreparedStatement insert = connection.prepareStatement("INSERT INTO " + tables.events()
                + " (seq, id, stream_type, stream_id, version, event_type, schema_version, created_at, data)"
                + " VALUES (nextval('" + tables.render("{q}events_seq") + "'), gen_random_uuid(), ?, ?, ?,"
                + " 'test.Marked', 1, now(), '\\x7b7d'::bytea)")) {
            insert.setString(1, stream.type());
            insert.setString(2, stream.id());
            insert.setLong(3, version);
            insert.executeUpdate();
        }
    }
}
