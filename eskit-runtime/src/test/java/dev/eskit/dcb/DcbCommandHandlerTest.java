package dev.eskit.dcb;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.eskit.AppendResult;
import dev.eskit.Decider;
import dev.eskit.Metadata;
import dev.eskit.Position;
import dev.eskit.StoredEvent;
import dev.eskit.codec.EventTypes;
import dev.eskit.command.RetryPolicy;
import dev.eskit.store.InMemoryEventStore;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Read, fold, decide, append on condition, retry: the DCB command handler on the in-memory store. */
class DcbCommandHandlerTest {

    record Numbered(long number) {
    }

    record Other(String text) {
    }

    record Next(String customer) {
    }

    static final EventTypes TYPES = EventTypes.builder()
            .add("t.Numbered", Numbered.class, e -> List.of(Tag.of("number", e.number())))
            .add("t.Other", Other.class)
            .build();

    static final Query NUMBERS = Query.of(QueryItem.types("t.Numbered"));

    static final DcbDecider<Long, Next, Numbered> NUMBERING = DcbDecider.of(Decider.of(
            () -> 0L,
            (Long last, Next c) -> List.of(new Numbered(last + 1)),
            (Long last, Numbered e) -> e.number()), Numbered.class, c -> NUMBERS);

    /** A store that appends a competing event right after the handler reads, {@code times} times. */
    static final class Interfering extends ForwardingStore {
        private final AtomicInteger remaining;

        Interfering(InMemoryEventStore store, int times) {
            super(store);
            this.remaining = new AtomicInteger(times);
        }

        @Override
        public List<StoredEvent<Object>> read(Query query, Position after, int limit) {
            List<StoredEvent<Object>> read = super.read(query, after, limit);
            if (remaining.getAndDecrement() > 0) {
                long last = read.isEmpty() ? 0 : ((Numbered) read.get(read.size() - 1).data()).number();
                delegate.append(List.of(new Numbered(last + 1)), null);
            }
            return read;
        }
    }

    @Test
    void foldsTheBoundaryAndAppendsOnTheConditionOfThePositionRead() {
        InMemoryEventStore store = new InMemoryEventStore(TYPES);
        var handler = DcbCommandHandler.of(store, NUMBERING);
        DcbCommandResult<Long> first = handler.handle(new Next("a"));
        assertNull(first.read());
        assertEquals(1L, first.state());
        store.append(List.of(new Other("not in the boundary")), null);
        DcbCommandResult<Long> second = handler.handle(new Next("b"), Metadata.correlatedBy("r"));
        assertEquals(first.events().get(0).position(), second.read());
        assertEquals(2L, second.state());
        assertEquals(new Numbered(2), second.events().get(0).data());
        assertEquals("r", second.events().get(0).metadata().correlationId());
        assertEquals(1, second.attempts());
    }

    @Test
    void aConflictIsRetriedWithAFreshReadAndWithoutRetryItIsThrown() {
        InMemoryEventStore store = new InMemoryEventStore(TYPES);
        assertThrows(AppendConditionFailedException.class,
                () -> DcbCommandHandler.of(new Interfering(store, 1), NUMBERING).handle(new Next("a")));
        var retrying = DcbCommandHandler.of(new Interfering(store, 2), NUMBERING,
                new RetryPolicy(5, Duration.ZERO, Duration.ZERO));
        DcbCommandResult<Long> result = retrying.handle(new Next("b"));
        assertEquals(3, result.attempts());
        List<Long> numbers = store.read(NUMBERS).stream().map(e -> ((Numbered) e.data()).number()).toList();
        assertEquals(List.of(1L, 2L, 3L, 4L), numbers, "gapless: interferers took 1..3, the command 4");
    }

    @Test
    void aDecisionWithoutEventsAppendsNothing() {
        InMemoryEventStore store = new InMemoryEventStore(TYPES);
        var nothing = DcbCommandHandler.of(store, DcbDecider.of(Decider.of(() -> 0L, (Long s, Next c) -> List.of(),
                (Long s, Numbered e) -> s), Numbered.class, c -> NUMBERS));
        assertEquals(List.of(), nothing.handle(new Next("a")).events());
        assertEquals(List.of(), store.readAll(Position.START, 10));
    }

    @Test
    void boundaryEventsOfOtherTypesAreNotFolded() {
        InMemoryEventStore store = new InMemoryEventStore(TYPES);
        store.append(List.of(new Other("x"), new Numbered(7)), null);
        var all = DcbCommandHandler.of(store, DcbDecider.of(NUMBERING, Numbered.class, c -> Query.all()));
        assertEquals(8L, all.handle(new Next("a")).state());
    }

    /** Forwards every call to another store. */
    static class ForwardingStore implements DcbEventStore {
        final InMemoryEventStore delegate;

        ForwardingStore(InMemoryEventStore delegate) {
            this.delegate = delegate;
        }

        @Override
        public List<StoredEvent<Object>> read(Query query, Position after, int limit) {
            return delegate.read(query, after, limit);
        }

        @Override
        public AppendResult append(List<?> events, AppendCondition condition, Metadata metadata) {
            return delegate.append(events, condition, metadata);
        }

        @Override
        public AppendResult append(dev.eskit.AppendRequest request) {
            return delegate.append(request);
        }

        @Override
        public List<StoredEvent<Object>> load(dev.eskit.StreamRef stream, long fromVersion) {
            return delegate.load(stream, fromVersion);
        }

        @Override
        public long streamVersion(dev.eskit.StreamRef stream) {
            return delegate.streamVersion(stream);
        }

        @Override
        public List<StoredEvent<Object>> readAll(Position after, int limit, java.util.Set<String> eventTypes) {
            return delegate.readAll(after, limit, eventTypes);
        }
    }
}
