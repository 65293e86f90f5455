package dev.eskit.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.eskit.AppendRequest;
import dev.eskit.AppendResult;
import dev.eskit.EventStore;
import dev.eskit.ExpectedVersion;
import dev.eskit.Position;
import dev.eskit.StreamRef;
import dev.eskit.codec.EventTypes;
import dev.eskit.hooks.HookedEventStore;
import dev.eskit.subscription.AppendNotifier;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class ForwardingEventStoreTest {

    record Noted(String text) {
    }

    private static final EventTypes TYPES = EventTypes.builder().add("test.Noted", Noted.class).build();
    private static final StreamRef STREAM = StreamRef.of("note", "n-1");

    /** Counts appends and forwards everything else. */
    static final class Counting extends ForwardingEventStore {
        final AtomicInteger appends = new AtomicInteger();

        Counting(EventStore delegate) {
            super(delegate);
        }

        @Override
        public AppendResult append(AppendRequest request) {
            appends.incrementAndGet();
            return super.append(request);
        }
    }

    @Test
    void everyCallReachesTheWrappedStore() {
        EventStore inner = EventStore.inMemory(TYPES);
        Counting outer = new Counting(inner);
        outer.append(AppendRequest.of(STREAM, ExpectedVersion.noStream(), List.of(new Noted("a")))
                .withIdempotencyKey("k-1"));
        assertEquals(1, outer.appends.get());
        assertEquals(1, inner.streamVersion(STREAM));
        assertEquals(1, outer.streamVersion(STREAM));
        assertEquals(List.of(new Noted("a")), outer.load(STREAM, 1).stream().map(e -> e.data()).toList());
        assertEquals(1, outer.readAll(Position.START, 10).size());
        assertTrue(outer.findIdempotentAppend("k-1").isPresent());
        assertFalse(outer.findIdempotentAppend("k-2").isPresent());
    }

    @Test
    void aDecoratedNotifierStillNotifies() {
        EventStore hooked = HookedEventStore.builder(EventStore.inMemory(TYPES)).build();
        assertTrue(hooked instanceof AppendNotifier, "subscriptions on a decorated store must still wake");
        AtomicInteger calls = new AtomicInteger();
        try (AppendNotifier.Registration registration = ((AppendNotifier) hooked).onAppend(calls::incrementAndGet)) {
            hooked.append(STREAM, ExpectedVersion.noStream(), List.of(new Noted("a")));
            assertEquals(1, calls.get());
        }
        hooked.append(STREAM, ExpectedVersion.exactly(1), List.of(new Noted("b")));
        assertEquals(1, calls.get(), "a closed registration is not called");
    }

    @Test
    void aStoreWithoutNotificationsRegistersNothing() {
        EventStore inner = EventStore.inMemory(TYPES);
        EventStore silent = new EventStore() {
            @Override
            public AppendResult append(AppendRequest request) {
                return inner.append(request);
            }

            @Override
            public List<dev.eskit.StoredEvent<Object>> load(StreamRef stream, long fromVersion) {
                return inner.load(stream, fromVersion);
            }

            @Override
            public long streamVersion(StreamRef stream) {
                return inner.streamVersion(stream);
            }

            @Override
            public List<dev.eskit.StoredEvent<Object>> readAll(Position after, int limit,
                                                              java.util.Set<String> eventTypes) {
                return inner.readAll(after, limit, eventTypes);
            }
        };
        Counting outer = new Counting(silent);
        AtomicInteger calls = new AtomicInteger();
        try (AppendNotifier.Registration registration = outer.onAppend(calls::incrementAndGet)) {
            outer.append(STREAM, ExpectedVersion.noStream(), List.of(new Noted("a")));
        }
        assertEquals(0, calls.get());
        assertEquals(1, outer.streamVersion(STREAM));
    }
}
