package dev.eskit.jdbi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.eskit.AppendRequest;
import dev.eskit.ExpectedVersion;
import dev.eskit.Position;
import dev.eskit.StoredEvent;
import dev.eskit.StreamRef;
import dev.eskit.jdbi.TestEvents.Deposited;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Migration 10's index serves reads of one stream type: the database plans {@code readStreamType}'s query through it
 * (no walk of the whole log for a rare type), and the read returns exactly that type's events in log order.
 */
abstract class StreamTypeIndexContract {

    abstract Databases db();

    /** The events table as SQL names it at {@code location}. */
    abstract String eventsTable(Databases.Location location);

    /** The plan of the store's {@code readStreamType} query for a rare type, as the database explains it. */
    abstract String plan(Connection raw, String events) throws Exception;

    static String rows(Connection raw, String sql) throws Exception {
        StringBuilder plan = new StringBuilder();
        try (Statement statement = raw.createStatement(); ResultSet rows = statement.executeQuery(sql)) {
            int columns = rows.getMetaData().getColumnCount();
            while (rows.next()) {
                plan.append(rows.getString(columns)).append('\n');
            }
        }
        return plan.toString();
    }

    @Test
    void readsOfARareStreamTypeUseTheIndex() throws Exception {
        Databases.Location location = db().newLocation();
        JdbiEventStore store = db().open(location);
        for (int batch = 0; batch < 20; batch++) {
            List<Object> events = new ArrayList<>();
            for (int i = 0; i < 250; i++) {
                events.add(new Deposited("a", i));
            }
            store.append(AppendRequest.of(StreamRef.of("common", "c-" + batch), ExpectedVersion.noStream(), events));
            if (batch % 5 == 0) {
                store.append(AppendRequest.of(StreamRef.of("rare", "r-" + batch), ExpectedVersion.noStream(),
                        List.of(new Deposited("r", batch))));
            }
        }
        List<StoredEvent<Object>> rare = store.readStreamType("rare", Position.START, 100);
        assertEquals(List.of(0L, 5L, 10L, 15L), rare.stream().map(e -> ((Deposited) e.data()).cents()).toList());
        assertEquals(List.of(), store.readStreamType("rare", rare.get(3).position(), 100));
        try (Connection raw = location.rawConnection()) {
            String plan = plan(raw, eventsTable(location));
            assertTrue(plan.contains("events_stream_type"), "the read is planned through the index:\n" + plan);
        }
    }
}
