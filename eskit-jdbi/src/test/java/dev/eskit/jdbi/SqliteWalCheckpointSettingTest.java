package dev.eskit.jdbi;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.eskit.ExpectedVersion;
import dev.eskit.StoredEvent;
import dev.eskit.StreamRef;
import dev.eskit.jdbi.TestEvents.Deposited;
import dev.eskit.jdbi.sqlite.Synchronous;
import java.nio.file.Path;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The WAL checkpoint interval is set in the SQLite URL ({@code ?wal_autocheckpoint=4000}, docs/stores.md): the store
 * passes the URL's parameters to its writer connection, which runs the checkpoints, and to its readers.
 */
class SqliteWalCheckpointSettingTest {

    @TempDir
    Path dir;

    private static long checkpointPages(Database db, boolean onWriter) throws Exception {
        Database.Work<Long> work = handle -> {
            try (Statement statement = handle.getConnection().createStatement();
                 ResultSet row = statement.executeQuery("PRAGMA wal_autocheckpoint")) {
                row.next();
                return row.getLong(1);
            }
        };
        return onWriter ? db.write(work) : db.read(work);
    }

    @Test
    void theUrlsCheckpointIntervalReachesTheStoresConnections() throws Exception {
        String url = "jdbc:sqlite:" + dir.resolve("wal.db");
        try (Database db = Database.open(url + "?wal_autocheckpoint=4000", null, null, "eskit_",
                Synchronous.NORMAL, Duration.ofSeconds(5), 2)) {
            assertEquals(4000, checkpointPages(db, true), "writer");
            assertEquals(4000, checkpointPages(db, false), "reader");
        }
        try (Database db = Database.open(url, null, null, "eskit_", Synchronous.NORMAL, Duration.ofSeconds(5), 2)) {
            assertEquals(1000, checkpointPages(db, true), "SQLite's default without the parameter");
        }
    }

    @Test
    void aStoreOnSuchAUrlAppendsAndReads() {
        try (JdbiEventStore store = JdbiEventStore.builder(TestEvents.codec())
                .url("jdbc:sqlite:" + dir.resolve("store.db") + "?wal_autocheckpoint=4000").build()) {
            StreamRef stream = StreamRef.of("account", "a");
            store.append(stream, ExpectedVersion.noStream(), List.of(new Deposited("a", 1), new Deposited("a", 2)));
            assertEquals(List.of(new Deposited("a", 1), new Deposited("a", 2)),
                    store.load(stream, 1).stream().map(StoredEvent::data).toList());
        }
    }
}
