package dev.eskit.jdbi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.eskit.AppendResult;
import dev.eskit.ExpectedVersion;
import dev.eskit.Metadata;
import dev.eskit.Position;
import dev.eskit.StoredEvent;
import dev.eskit.StreamRef;
import dev.eskit.jdbi.TestEvents.Deposited;
import dev.eskit.jdbi.TestEvents.Withdrawn;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * An append of several events on SQLite's writer runs as several-rows inserts (up to 16 rows exactly, then multiples
 * of 16 up to 128, a last lone row on its own), their shared values bound once. Every row must come out as it went
 * in: in order, with its version, id, type, timestamp, metadata and consecutive positions, whatever the split.
 */
class SqliteSeveralRowsAppendTest {

    @RegisterExtension
    static final Databases DB = Databases.sqlite();

    private static final int[] SIZES = {2, 3, 15, 16, 17, 31, 32, 33, 100, 127, 128, 129, 145, 300};

    @Test
    void rowCountsCoverEveryAppendSizeInFewStatements() {
        for (int size = 2; size <= 1000; size++) {
            int statements = 0;
            int seen = 0;
            while (seen < size) {
                int rows = SqliteDialect.rowsPerStatement(size - seen);
                assertTrue(rows >= 1 && rows <= SqliteDialect.MAX_ROWS && rows <= size - seen, "size " + size);
                assertTrue(rows <= 16 || rows % 16 == 0, "a kept row count: " + rows);
                seen += rows;
                statements++;
            }
            assertTrue(statements <= (size + 127) / 128 + 2, "size " + size + " took " + statements);
        }
    }

    @Test
    void everySplitKeepsEachEventAndItsOrder() {
        JdbiEventStore store = DB.newStore();
        long previousLast = 0;
        for (int size : SIZES) {
            for (boolean mixed : new boolean[] {false, true}) {
                StreamRef stream = StreamRef.of("account", size + (mixed ? "-mixed" : "-one-type"));
                List<Object> first = events(size, mixed, 0);
                AppendResult created = store.append(stream, ExpectedVersion.noStream(), first,
                        Metadata.correlatedBy("c-" + size));
                List<Object> second = events(size, !mixed, 1);
                AppendResult continued = store.append(stream, ExpectedVersion.exactly(size), second);

                List<StoredEvent<Object>> returned = new ArrayList<>(created.events());
                returned.addAll(continued.events());
                assertEquals(returned, store.load(stream, 1), "what the appends returned is what is stored");
                for (int i = 0; i < returned.size(); i++) {
                    StoredEvent<Object> event = returned.get(i);
                    assertEquals(i + 1, event.version());
                    assertEquals(i < size ? first.get(i) : second.get(i - size), event.data());
                    assertEquals(i < size ? "c-" + size : null, event.metadata().correlationId());
                    // The log holds nothing of other appends in between: consecutive positions.
                    assertEquals(previousLast + 1, event.position().sequence(), stream + " event " + i);
                    previousLast = event.position().sequence();
                }
            }
        }
        List<StoredEvent<Object>> log = store.readAll(Position.START, 10_000, Set.of());
        assertEquals(previousLast, log.size());
        assertEquals(List.of("json"), store.raw().readAll(Position.START, 10_000, Set.of()).stream()
                .map(RawEvent::codec).distinct().toList());
    }

    @Test
    void largeEventsGoRowByRowBesideSeveralRowsStatementsInOrder() {
        JdbiEventStore store = DB.newStore();
        // 40 events of about 3 KB: the first 32 hold more than MAX_STATEMENT_DATA and go one by one, the last 8 as
        // one several-rows statement.
        String big = "x".repeat(3_000);
        List<Object> events = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            events.add(new Deposited(big + i, i));
        }
        assertTrue(32 * 3_000 > SqliteEventInserts.MAX_STATEMENT_DATA
                && 8 * 3_100 < SqliteEventInserts.MAX_STATEMENT_DATA);
        StreamRef stream = StreamRef.of("account", "big");
        AppendResult result = store.append(stream, ExpectedVersion.noStream(), events);
        assertEquals(result.events(), store.load(stream, 1));
        assertEquals(events, store.load(stream, 1).stream().map(StoredEvent::data).toList());
        List<StoredEvent<Object>> log = store.readAll(Position.START, 100, Set.of());
        for (int i = 0; i < log.size(); i++) {
            assertEquals(i + 1, log.get(i).position().sequence());
            assertEquals(i + 1, log.get(i).version());
        }
    }

    @Test
    void aRowAlreadyTakenHalfWayRefusesTheWholeAppend() throws Exception {
        Databases.Location location = DB.newLocation();
        JdbiEventStore store = DB.open(location);
        StreamRef stream = StreamRef.of("account", "taken");
        store.append(stream, ExpectedVersion.noStream(), events(3, false, 0));
        // A trigger that refuses the row at version 101: an append of 100 after version 3 runs 96 rows (versions 4 to
        // 99), then 4 (100 to 103), which hit it after the first statement's rows went in.
        try (Connection connection = location.rawConnection();
             PreparedStatement trigger = connection.prepareStatement("CREATE TRIGGER refuse_101 BEFORE INSERT ON"
                     + " eskit_events WHEN NEW.stream_id = 'taken' AND NEW.version = 101"
                     + " BEGIN SELECT RAISE(ABORT, 'version 101 refused'); END")) {
            trigger.executeUpdate();
        }
        long before = store.readAll(Position.START, 1000, Set.of()).size();
        StoreAccessException refused = assertThrows(StoreAccessException.class,
                () -> store.append(stream, ExpectedVersion.exactly(3), events(100, true, 2)));
        assertTrue(String.valueOf(refused.getCause()).contains("version 101 refused"), refused::toString);
        assertEquals(before, store.readAll(Position.START, 1000, Set.of()).size(), "nothing of it written");
        assertEquals(3, store.streamVersion(stream), "the stream is still at version 3");
        store.append(StreamRef.of("account", "after"), ExpectedVersion.noStream(), events(40, false, 0));
        assertEquals(before + 40, store.readAll(Position.START, 1000, Set.of()).size(), "the writer still works");
    }

    private static List<Object> events(int size, boolean mixed, int salt) {
        List<Object> events = new ArrayList<>(size);
        for (int i = 0; i < size; i++) {
            String account = "acc-" + salt + "-" + i;
            events.add(mixed && i % 3 == 1 ? new Withdrawn(account, i) : new Deposited(account, 1_000L * salt + i));
        }
        return events;
    }
}
