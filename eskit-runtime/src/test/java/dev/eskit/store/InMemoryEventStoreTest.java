package dev.eskit.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.eskit.ExpectedVersion;
import dev.eskit.Position;
import dev.eskit.StoredEvent;
import dev.eskit.StreamRef;
import dev.eskit.UnknownEventTypeException;
import dev.eskit.codec.EventTypes;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What the in-memory store does beyond the conformance suite (which runs in eskit-testkit). */
class InMemoryEventStoreTest {

    record Pinged(int n) {
    }

    record Stranger() {
    }

    private static final EventTypes TYPES = EventTypes.builder().add("test.Pinged", Pinged.class).build();
    private static final StreamRef STREAM = StreamRef.of("pings", "p-1");

    @Test
    void eventsAreStampedWithTheGivenClock() {
        Instant fixed = Instant.parse("2024-02-29T12:00:00Z");
        InMemoryEventStore store = new InMemoryEventStore(TYPES, Clock.fixed(fixed, ZoneOffset.UTC));
        store.append(STREAM, ExpectedVersion.noStream(), List.of(new Pinged(1), new Pinged(2)));
        for (StoredEvent<Object> event : store.load(STREAM)) {
            assertEquals(fixed, event.timestamp());
        }
    }

    @Test
    void eventObjectsAreKeptAsGivenWithoutSerializing() {
        InMemoryEventStore store = new InMemoryEventStore(TYPES);
        Pinged event = new Pinged(7);
        store.append(STREAM, ExpectedVersion.noStream(), List.of(event));
        assertSame(event, store.load(STREAM).get(0).data());
    }

    @Test
    void positionsAreDenseSequencesWithCommitOrderZero() {
        InMemoryEventStore store = new InMemoryEventStore(TYPES);
        store.append(STREAM, ExpectedVersion.noStream(), List.of(new Pinged(1), new Pinged(2)));
        store.append(StreamRef.of("pings", "p-2"), ExpectedVersion.noStream(), List.of(new Pinged(3)));
        List<StoredEvent<Object>> log = store.readAll(Position.START, 10);
        assertEquals(List.of(Position.of(1), Position.of(2), Position.of(3)),
                log.stream().map(StoredEvent::position).toList());
        assertEquals(List.of(), store.readAll(new Position(1, 0), 10));
    }

    @Test
    void unregisteredClassesAreRejectedEvenThoughNothingIsSerialized() {
        InMemoryEventStore store = new InMemoryEventStore(TYPES);
        assertThrows(UnknownEventTypeException.class,
                () -> store.append(STREAM, ExpectedVersion.noStream(), List.of(new Stranger())));
        assertEquals(0, store.streamVersion(STREAM));
    }
}
