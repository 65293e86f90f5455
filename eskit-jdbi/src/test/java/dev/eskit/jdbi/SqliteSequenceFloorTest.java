package dev.eskit.jdbi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.eskit.ExpectedVersion;
import dev.eskit.Position;
import dev.eskit.StoredEvent;
import dev.eskit.StreamRef;
import dev.eskit.jdbi.TestEvents.Deposited;
import dev.eskit.jdbi.TestEvents.Withdrawn;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * SQLite's events table without {@code AUTOINCREMENT} (schema version 11): appends number their events one above the
 * highest in the table or the sequence floor, and deleting a stream raises the floor first, so a number is never
 * given twice on any append path; tables from before version 11 are copied over with their numbers and counter.
 */
class SqliteSequenceFloorTest {

    @RegisterExtension
    static final Databases DB = Databases.sqlite();

    private static final StreamRef A = StreamRef.of("account", "a");
    private static final StreamRef B = StreamRef.of("account", "b");
    private static final StreamRef C = StreamRef.of("account", "c");
    private static final StreamRef D = StreamRef.of("account", "d");

    @Test
    void theEventsTableHasNoCounterForCommitsToWrite() throws Exception {
        Databases.Location location = DB.newLocation();
        JdbiEventStore store = DB.open(location);
        store.append(A, ExpectedVersion.noStream(), List.of(new Deposited("a", 1)));
        store.append(A, ExpectedVersion.exactly(1), List.of(new Deposited("a", 2)));
        try (Connection connection = location.rawConnection()) {
            String ddl = text(connection, "SELECT sql FROM sqlite_master WHERE name = 'eskit_events'");
            assertFalse(ddl.toUpperCase().contains("AUTOINCREMENT"), ddl);
            assertEquals(0, number(connection, "SELECT count(*) FROM sqlite_sequence WHERE name = 'eskit_events'"));
            assertEquals(0, number(connection, "SELECT seq FROM eskit_seq_floor WHERE id = 1"));
        }
    }

    @Test
    void numbersOfDeletedEventsAreNeverGivenAgainOnAnyAppendPath() throws Exception {
        Databases.Location location = DB.newLocation();
        JdbiEventStore store = DB.open(location);
        assertEquals(List.of(1L), positions(store.append(A, ExpectedVersion.noStream(),
                List.of(new Deposited("a", 1))).events()));
        // Several events of two types (the general path's several-rows insert), then a new stream's one event.
        assertEquals(List.of(2L, 3L, 4L), positions(store.append(B, ExpectedVersion.noStream(),
                List.of(new Deposited("b", 1), new Withdrawn("b", 1), new Deposited("b", 2))).events()));
        assertEquals(List.of(5L), positions(store.append(C, ExpectedVersion.noStream(),
                List.of(new Deposited("c", 1))).events()));
        store.delete(C);
        store.delete(B);
        try (Connection connection = location.rawConnection()) {
            assertEquals(5, number(connection, "SELECT seq FROM eskit_seq_floor WHERE id = 1"));
        }
        // The lean append (one event at a known version) after the log's last five numbers went.
        assertEquals(List.of(6L), positions(store.append(A, ExpectedVersion.exactly(1),
                List.of(new Deposited("a", 2))).events()));
        // Twenty events of one type (the uniform several-rows insert), deleted in turn.
        List<Object> many = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            many.add(new Deposited("d", i));
        }
        assertEquals(LongStream.rangeClosed(7, 26).boxed().toList(),
                positions(store.append(D, ExpectedVersion.noStream(), many).events()));
        store.delete(D);
        assertEquals(List.of(27L), positions(store.append(A, ExpectedVersion.any(),
                List.of(new Deposited("a", 3))).events()));
        assertEquals(List.of(28L, 29L), positions(store.append(B, ExpectedVersion.any(),
                List.of(new Deposited("b", 3), new Deposited("b", 4))).events()));
        assertEquals(List.of(1L, 6L, 27L, 28L, 29L), positions(store.readAll(Position.START, 100, Set.of())));
        assertEquals(3, store.streamVersion(A));
        assertEquals(2, store.streamVersion(B));
        // A new store on the file (another process, say) reads the floor from the table, not from memory.
        store.delete(B);
        store.close();
        JdbiEventStore again = DB.open(location);
        // Several events right after the log's last ones were deleted: numbered above the floor, not above the table.
        assertEquals(List.of(30L, 31L), positions(again.append(C, ExpectedVersion.any(),
                List.of(new Deposited("c", 2), new Deposited("c", 3))).events()));
        assertEquals(List.of(30L, 31L), positions(again.readAll(Position.of(27), 10, Set.of())));
    }

    /**
     * Tables made by the scripts up to version 10 (events with {@code AUTOINCREMENT}): a store opened on them as they
     * are still lets {@code AUTOINCREMENT} number its appends; migrating copies every event with its number, keeps
     * the counter of deleted numbers as the floor, and the indexes still serve reads by stream and by type.
     */
    @Test
    void tablesFromBeforeVersion11AreCopiedWithTheirNumbersAndCounter() throws Exception {
        Databases.Location location = DB.newLocation();
        try (Connection connection = location.rawConnection()) {
            for (Migrations.Script script : Migrations.SCRIPTS) {
                if (script.version() <= 10) {
                    runScript(connection, script.file());
                }
            }
        }
        JdbiEventStore old = DB.open(location, JdbiEventStore.Builder::openExisting);
        assertEquals(10, old.raw().stats().schemaVersion());
        old.append(A, ExpectedVersion.noStream(), List.of(new Deposited("a", 1), new Withdrawn("a", 1)));
        old.append(B, ExpectedVersion.noStream(), List.of(new Deposited("b", 1)));
        old.delete(B);
        assertEquals(List.of(4L), positions(old.append(C, ExpectedVersion.noStream(),
                List.of(new Deposited("c", 1))).events()), "AUTOINCREMENT numbers the old tables' appends");
        old.delete(C);
        try (Connection connection = location.rawConnection()) {
            connection.createStatement().execute("INSERT INTO eskit_tags (tag, event_type, seq) VALUES ('t',"
                    + " 'Withdrawn', 2)");
        }
        old.close();

        JdbiEventStore store = DB.open(location);
        assertEquals(JdbiSchema.version(), store.raw().stats().schemaVersion());
        List<StoredEvent<Object>> log = store.readAll(Position.START, 100, Set.of());
        assertEquals(List.of(1L, 2L), positions(log));
        assertEquals(List.of(new Deposited("a", 1), new Withdrawn("a", 1)), log.stream().map(StoredEvent::data)
                .toList());
        String withdrawn = log.get(1).eventType();
        assertEquals(List.of(2L), positions(store.readAll(Position.START, 100, Set.of(withdrawn))));
        try (Connection connection = location.rawConnection()) {
            String ddl = text(connection, "SELECT sql FROM sqlite_master WHERE name = 'eskit_events'");
            assertFalse(ddl.toUpperCase().contains("AUTOINCREMENT"), ddl);
            assertEquals(4, number(connection, "SELECT seq FROM eskit_seq_floor WHERE id = 1"));
            assertEquals(1, number(connection, "SELECT count(*) FROM eskit_tags WHERE seq = 2"));
            // The unique (stream, version) index is back; the event type index is gone (an option brings it back).
            assertEquals(List.of("eskit_events_stream_version"), texts(connection, "SELECT name FROM sqlite_master"
                    + " WHERE type = 'index' AND tbl_name = 'eskit_events' AND sql IS NOT NULL"));
        }
        assertEquals(List.of(5L), positions(store.append(B, ExpectedVersion.any(),
                List.of(new Deposited("b", 2))).events()), "the numbers deleted before the copy stay taken");
        assertEquals(List.of(6L), positions(store.append(A, ExpectedVersion.exactly(2),
                List.of(new Deposited("a", 2))).events()));
        assertEquals(3, store.streamVersion(A));
        assertTrue(store.raw().stream(A).isPresent());
    }

    /** Runs a shipped script as Flyway would, with the default table prefix. */
    private static void runScript(Connection connection, String file) throws Exception {
        try (InputStream in = JdbiEventStore.class.getResourceAsStream("/dev/eskit/jdbi/sqlite/" + file);
             Statement statement = connection.createStatement()) {
            String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            for (String part : text.replace("${q}", "eskit_").replace("${p}", "eskit_").split(";\n")) {
                String sql = part.lines().filter(line -> !line.startsWith("--")).reduce("", (a, b) -> a + "\n" + b)
                        .strip();
                if (!sql.isEmpty()) {
                    statement.execute(sql);
                }
            }
        }
    }

    private static List<Long> positions(List<StoredEvent<Object>> events) {
        return events.stream().map(event -> event.position().sequence()).toList();
    }

    private static long number(Connection connection, String sql) throws SQLException {
        try (Statement statement = connection.createStatement(); ResultSet rows = statement.executeQuery(sql)) {
            assertTrue(rows.next(), sql);
            return rows.getLong(1);
        }
    }

    private static List<String> texts(Connection connection, String sql) throws SQLException {
        List<String> values = new ArrayList<>();
        try (Statement statement = connection.createStatement(); ResultSet rows = statement.executeQuery(sql)) {
            while (rows.next()) {
                values.add(rows.getString(1));
            }
        }
        return values;
    }

    private static String text(Connection connection, String sql) throws SQLException {
        try (Statement statement = connection.createStatement(); ResultSet rows = statement.executeQuery(sql)) {
            assertTrue(rows.next(), sql);
            return rows.getString(1);
        }
    }
}
