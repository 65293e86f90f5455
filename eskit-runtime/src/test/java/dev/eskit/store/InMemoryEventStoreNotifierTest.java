package dev.eskit.store;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.eskit.AppendRequest;
import dev.eskit.ExpectedVersion;
import dev.eskit.StreamRef;
import dev.eskit.codec.EventTypes;
import dev.eskit.subscription.AppendNotifier;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class InMemoryEventStoreNotifierTest {

    record Pinged(String id) {
    }

    final InMemoryEventStore store = new InMemoryEventStore(EventTypes.builder().add("t.Pinged", Pinged.class).build());
    final StreamRef stream = StreamRef.of("p", "1");

    @Test
    void listenerIsCalledAfterEachAppendUntilItsRegistrationIsClosed() {
        AtomicInteger calls = new AtomicInteger();
        AppendNotifier.Registration registration = store.onAppend(calls::incrementAndGet);
        store.append(stream, ExpectedVersion.any(), List.of(new Pinged("1"), new Pinged("1")));
        store.append(stream, ExpectedVersion.any(), List.of(new Pinged("1")));
        assertEquals(2, calls.get());
        registration.close();
        registration.close();
        store.append(stream, ExpectedVersion.any(), List.of(new Pinged("1")));
        assertEquals(2, calls.get());
    }

    @Test
    void listenerSeesTheAppendedEventsAlreadyReadable() {
        AtomicInteger visible = new AtomicInteger();
        store.onAppend(() -> visible.set(store.readAll(dev.eskit.Position.START, 10).size()));
        store.append(stream, ExpectedVersion.any(), List.of(new Pinged("1")));
        assertEquals(1, visible.get());
    }

    @Test
    void duplicateIdempotentAppendAndFailingListenerDoNotDisturbTheAppend() {
        AtomicInteger calls = new AtomicInteger();
        store.onAppend(() -> {
            throw new IllegalStateException("broken listener");
        });
        store.onAppend(calls::incrementAndGet);
        AppendRequest request = AppendRequest.of(stream, ExpectedVersion.noStream(), List.of(new Pinged("1")))
                .withIdempotencyKey("k");
        store.append(request);
        store.append(request);
        assertEquals(1, calls.get());
        assertEquals(1, store.streamVersion(stream));
    }

    @Test
    void sameListenerRegisteredTwiceIsRemovedOncePerRegistration() {
        AtomicInteger calls = new AtomicInteger();
        Runnable listener = calls::incrementAndGet;
        AppendNotifier.Registration first = store.onAppend(listener);
        store.onAppend(listener);
        first.close();
        store.append(stream, ExpectedVersion.any(), List.of(new Pinged("1")));
        assertEquals(1, calls.get());
    }
}
