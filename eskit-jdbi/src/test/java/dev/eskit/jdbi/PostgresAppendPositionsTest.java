package dev.eskit.jdbi;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.eskit.AppendRequest;
import dev.eskit.AppendResult;
import dev.eskit.ExpectedVersion;
import dev.eskit.Position;
import dev.eskit.StoredEvent;
import dev.eskit.StreamRef;
import dev.eskit.jdbi.TestEvents.Marked;
import java.sql.Connection;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * An append of several events on PostgreSQL returns one row, not one per event: the first sequence number when the
 * others follow it without a gap, else all of them. Either way the positions an append reports are those the events
 * are stored at, in version order, for the lean statement and the general one.
 */
class PostgresAppendPositionsTest {

    @RegisterExtension
    static final Databases DB = Databases.postgres();

    @Test
    void positionsOfContiguousSequenceNumbersAreTheStoredOnes() throws Exception {
        check(false);
    }

    @Test
    void positionsWithGapsBetweenSequenceNumbersAreTheStoredOnes() throws Exception {
        // A sequence that steps by 3: the events' numbers are never contiguous, so the full list comes back.
        check(true);
    }

    private static void check(boolean gaps) throws Exception {
        Databases.Location location = DB.newLocation();
        JdbiEventStore store = DB.open(location);
        if (gaps) {
            try (Connection connection = location.rawConnection(); Statement alter = connection.createStatement()) {
                alter.execute("ALTER SEQUENCE " + store.tableNames().table("events_seq") + " INCREMENT BY 3");
            }
        }
        StreamRef stream = StreamRef.of("positions", gaps ? "gaps" : "contiguous");
        List<AppendResult> results = new ArrayList<>();
        // Lean: a new stream, then a known version; general: any version, and a key.
        results.add(store.append(stream, ExpectedVersion.noStream(), events("new", 5)));
        results.add(store.append(stream, ExpectedVersion.exactly(5), events("known", 4)));
        results.add(store.append(stream, ExpectedVersion.any(), events("any", 3)));
        results.add(store.append(AppendRequest.of(stream, ExpectedVersion.exactly(12), events("keyed", 2))
                .withIdempotencyKey("positions-" + gaps)));
        List<Position> reported = new ArrayList<>();
        for (AppendResult result : results) {
            result.events().forEach(event -> reported.add(event.position()));
        }
        List<StoredEvent<Object>> stored = store.load(stream);
        assertEquals(14, stored.size());
        assertEquals(stored.stream().map(StoredEvent::position).toList(), reported);
        assertEquals(stored.stream().map(StoredEvent::id).toList(),
                results.stream().flatMap(r -> r.events().stream()).map(StoredEvent::id).toList());
        for (int i = 1; i < stored.size(); i++) {
            Position before = stored.get(i - 1).position();
            Position after = stored.get(i).position();
            if (after.commitOrder() == before.commitOrder()) {
                assertEquals(gaps ? 3 : 1, after.sequence() - before.sequence(), "sequence step within one append");
            }
        }
    }

    private static List<Marked> events(String nonce, int count) {
        List<Marked> events = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            events.add(new Marked("p", 0, i, count, nonce + i));
        }
        return events;
    }
}
