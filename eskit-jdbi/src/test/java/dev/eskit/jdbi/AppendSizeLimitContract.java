package dev.eskit.jdbi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.eskit.AppendRequest;
import dev.eskit.BatchTooLargeException;
import dev.eskit.ExpectedVersion;
import dev.eskit.Limits;
import dev.eskit.Metadata;
import dev.eskit.Position;
import dev.eskit.StreamRef;
import dev.eskit.jdbi.TestEvents.Named;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The total size of one append (event data plus metadata once per event) is bounded, with nothing written. */
abstract class AppendSizeLimitContract {

    abstract Databases db();

    private static final StreamRef STREAM = StreamRef.of("bulk", "b-1");

    @Test
    void manyEventsWithLargeMetadataAreRefusedBeforeAnyIsEncoded() {
        JdbiEventStore store = db().newStore();
        List<Object> events = new ArrayList<>();
        for (int i = 0; i < Limits.MAX_EVENTS_PER_APPEND; i++) {
            events.add(new Named("n" + i, List.of()));
        }
        Metadata big = Metadata.correlatedBy("c").with("big", "m".repeat(63 * 1024));
        BatchTooLargeException error = assertThrows(BatchTooLargeException.class,
                () -> store.append(AppendRequest.of(STREAM, ExpectedVersion.any(), events).withMetadata(big)));
        assertTrue(error.getMessage().contains(Integer.toString(Limits.MAX_APPEND_BYTES)), error.getMessage());
        assertEquals(0, store.streamVersion(STREAM));
    }

    @Test
    void eventDataOverTheTotalIsRefusedNamingTheEventAndNothingIsWritten() {
        JdbiEventStore store = db().newStore();
        String mebibyte = "x".repeat(1024 * 1024);
        List<Object> events = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            events.add(new Named(mebibyte, List.of()));
        }
        BatchTooLargeException error = assertThrows(BatchTooLargeException.class,
                () -> store.append(STREAM, ExpectedVersion.any(), events));
        assertTrue(error.getMessage().contains("by event 15"), error.getMessage());
        assertEquals(0, store.streamVersion(STREAM));
        assertTrue(store.readAll(Position.START, 10).isEmpty());
    }

    @Test
    void theLargestAllowedAppendIsStoredAndReadBack() {
        JdbiEventStore store = db().newStore();
        String chunk = "y".repeat(1024 * 1024 - 64);
        List<Object> events = new ArrayList<>();
        for (int i = 0; i < 15; i++) {
            events.add(new Named(chunk, List.of()));
        }
        Metadata metadata = Metadata.correlatedBy("c").with("note", "z".repeat(60 * 1024));
        assertEquals(15, store.append(STREAM, ExpectedVersion.noStream(), events, metadata).events().size());
        assertEquals(15, store.load(STREAM).size());
    }
}
