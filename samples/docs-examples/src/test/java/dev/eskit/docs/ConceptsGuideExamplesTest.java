package dev.eskit.docs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.eskit.AppendRequest;
import dev.eskit.AppendResult;
import dev.eskit.BatchTooLargeException;
import dev.eskit.ConcurrencyException;
import dev.eskit.EmptyAppendException;
import dev.eskit.EventStore;
import dev.eskit.ExpectedVersion;
import dev.eskit.IdempotencyKeyReusedException;
import dev.eskit.InvalidInputException;
import dev.eskit.InvalidReadLimitException;
import dev.eskit.InvalidStreamException;
import dev.eskit.Limits;
import dev.eskit.Metadata;
import dev.eskit.MetadataTooLargeException;
import dev.eskit.Position;
import dev.eskit.StoredEvent;
import dev.eskit.StreamRef;
import dev.eskit.UnknownEventTypeException;
import dev.eskit.codec.EventTypes;
import dev.eskit.jdbi.JdbiEventStore;
import java.nio.file.Path;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * docs/concepts.md has no code blocks; this checks the API its prose and tables name (expected versions, idempotency
 * keys, positions, bounds, stores) against the in-memory store.
 */
class ConceptsGuideExamplesTest {

    private static final EventTypes TYPES = EventTypes.builder().add("bank.Deposited", Deposited.class).build();
    private final EventStore store = EventStore.inMemory(TYPES);
    private final StreamRef account = StreamRef.of("account", "a-17");

    private static List<Deposited> one(long cents) {
        return List.of(new Deposited("a-17", cents));
    }

    @Test
    void versionsStartAtOneWithoutGapsAndAnEmptyStreamIsAtZero() {
        assertEquals(0, store.streamVersion(account));
        store.append(account, ExpectedVersion.noStream(), List.of(new Deposited("a-17", 1), new Deposited("a-17", 2)));
        List<StoredEvent<Object>> events = store.load(account);
        assertEquals(List.of(1L, 2L), events.stream().map(StoredEvent::version).toList());
        assertEquals("bank.Deposited", events.get(0).eventType());
        assertEquals("account", events.get(0).streamType());
        assertTrue(events.get(1).position().isAfter(events.get(0).position()));
        Position position = events.get(0).position();
        assertEquals(position, Position.parse(position.toToken()));
        assertEquals(events.subList(1, 2), store.readAll(position, 10, java.util.Set.of()));
    }

    @Test
    void expectedVersionsSucceedOrFailAsTheTableSays() {
        store.append(account, ExpectedVersion.noStream(), one(1));
        store.append(account, ExpectedVersion.exactly(1), one(2));
        store.append(account, ExpectedVersion.any(), one(3));
        ConcurrencyException stale = assertThrows(ConcurrencyException.class,
                () -> store.append(account, ExpectedVersion.exactly(1), one(4)));
        assertEquals(3, stale.actualVersion());
        assertThrows(ConcurrencyException.class, () -> store.append(account, ExpectedVersion.noStream(), one(4)));
        assertEquals(3, store.streamVersion(account));   // a mismatch writes nothing
    }

    @Test
    void aRetryWithTheSameIdempotencyKeyReturnsTheFirstEventsEvenWhenItsExpectationIsStale() {
        AppendRequest request = AppendRequest.of(account, ExpectedVersion.noStream(), one(5)).withIdempotencyKey("req-1");
        AppendResult first = store.append(request);
        AppendResult retry = store.append(request);
        assertFalse(first.duplicate());
        assertTrue(retry.duplicate());
        assertEquals(first.events(), retry.events());
        assertEquals(1, store.streamVersion(account));
        assertEquals(first.events(), store.findIdempotentAppend("req-1").orElseThrow().events());
        assertThrows(IdempotencyKeyReusedException.class, () -> store.append(
                AppendRequest.of(StreamRef.of("account", "b-1"), ExpectedVersion.any(), one(5)).withIdempotencyKey("req-1")));
    }

    @Test
    void everyBrokenBoundHasItsOwnExceptionUnderInvalidInputException() {
        assertThrows(InvalidStreamException.class, () -> StreamRef.of("account", ""));
        assertThrows(InvalidStreamException.class, () -> StreamRef.of("account", "x".repeat(Limits.MAX_ID_LENGTH + 1)));
        assertThrows(EmptyAppendException.class, () -> store.append(account, ExpectedVersion.any(), List.of()));
        assertThrows(BatchTooLargeException.class, () -> store.append(account, ExpectedVersion.any(),
                Collections.nCopies(Limits.MAX_EVENTS_PER_APPEND + 1, new Deposited("a-17", 1))));
        assertThrows(MetadataTooLargeException.class,
                () -> Metadata.empty().with("big", "x".repeat(Limits.MAX_METADATA_BYTES + 1)));
        assertThrows(InvalidReadLimitException.class, () -> store.readAll(Position.START, 0));
        assertThrows(InvalidReadLimitException.class, () -> store.readAll(Position.START, Limits.MAX_READ_LIMIT + 1));
        InvalidInputException any = assertThrows(InvalidInputException.class, () -> StreamRef.of("", "x"));
        assertTrue(any instanceof InvalidStreamException);
        record Unregistered(String id) {
        }
        assertThrows(UnknownEventTypeException.class,
                () -> store.append(account, ExpectedVersion.any(), List.of(new Unregistered("x"))));
        assertEquals(0, store.streamVersion(account));
    }

    @Test
    void theStoresTableNamesRealFactories(@TempDir Path dir) {
        try (EventStore inMemory = EventStore.inMemory(TYPES);
                JdbiEventStore sqlite = JdbiEventStore.sqlite("jdbc:sqlite:" + dir.resolve("c.db"), TYPES)) {
            for (EventStore each : List.of(inMemory, sqlite)) {
                each.append(account, ExpectedVersion.noStream(), one(1));
                assertEquals(new Deposited("a-17", 1), each.load(account).get(0).data());
            }
        }
    }
}
