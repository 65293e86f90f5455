package dev.eskit.subscription;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.eskit.EventDecodingException;
import dev.eskit.EventStore;
import dev.eskit.ExpectedVersion;
import dev.eskit.Position;
import dev.eskit.StoredEvent;
import dev.eskit.StoredEventHeader;
import dev.eskit.StreamRef;
import dev.eskit.codec.EventTypes;
import dev.eskit.store.ForwardingEventStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Poison events (undecodable, or failing the handler on every attempt) never stall a subscription silently. */
class PoisonEventTest {

    record Happened(String id, int n) {
    }

    static final Duration WAIT = Duration.ofSeconds(20);
    static final Backoff FAST = Backoff.exponential(2, Duration.ofMillis(1), Duration.ofMillis(2));

    final EventStore inner = EventStore.inMemory(EventTypes.builder().add("test.Happened", Happened.class).build());
    /** Sequence numbers the store pretends it cannot decode, as a corrupted row on a database would be. */
    final Set<Long> corrupt = java.util.concurrent.ConcurrentHashMap.newKeySet();
    final AtomicInteger reads = new AtomicInteger();
    final EventStore store = new ForwardingEventStore(inner) {
        @Override
        public List<StoredEvent<Object>> readAll(Position after, int limit, Set<String> eventTypes) {
            reads.incrementAndGet();
            List<StoredEvent<Object>> page = delegate.readAll(after, limit, eventTypes);
            for (StoredEvent<Object> event : page) {
                if (corrupt.contains(event.position().sequence())) {
                    throw new EventDecodingException("Event " + event.version() + " cannot be decoded: bad JSON",
                            new IllegalArgumentException("Unexpected character ('n')\0"),
                            StoredEventHeader.of(event));
                }
            }
            return page;
        }
    };
    final InMemoryCheckpointStore checkpoints = new InMemoryCheckpointStore();
    final List<Subscription> started = new ArrayList<>();

    @AfterEach
    void stopAll() {
        started.forEach(s -> s.stop(WAIT));
    }

    void append(int count) {
        for (int i = 1; i <= count; i++) {
            inner.append(StreamRef.of("thing", "a"), ExpectedVersion.any(), List.of(new Happened("a", i)));
        }
    }

    Subscription start(Subscription.Builder builder) {
        Subscription s = builder.retry(FAST).batchSize(256).build();
        started.add(s);
        return s.start();
    }

    @Test
    void withoutDeadLetterStoreAnUndecodableEventHaltsAfterTheEventsBeforeItAreHandled() {
        append(300);
        corrupt.add(200L);
        List<Integer> seen = new CopyOnWriteArrayList<>();
        Subscription s = start(Subscription.builder("s", store, checkpoints)
                .handler(e -> seen.add(((Happened) e.data()).n())));
        assertEquals(PoisonPolicy.HALT, s.poisonPolicy());
        SubscriptionException thrown = assertThrows(SubscriptionException.class, () -> s.awaitCaughtUp(WAIT));
        assertTrue(thrown.getMessage().contains("position 0.200"), thrown.getMessage());
        assertTrue(s.stop(WAIT));
        assertEquals(SubscriptionState.HALTED, s.state());
        assertEquals(199, seen.size());
        assertEquals(199, seen.get(seen.size() - 1));
        assertEquals(Position.of(199), checkpoints.load("s").orElseThrow());
        SubscriptionHaltedException halted = assertInstanceOf(SubscriptionHaltedException.class,
                s.failure().orElseThrow());
        assertEquals(Position.of(200), halted.event().position());
        assertEquals("test.Happened", halted.event().eventType());
        assertTrue(halted.getMessage().contains("thing/a") || halted.getMessage().contains("thing"),
                halted.getMessage());
        // Started again on the same data, it halts again at once, without handling anything twice.
        s.start();
        assertThrows(SubscriptionException.class, () -> s.awaitCaughtUp(WAIT));
        assertTrue(s.stop(WAIT));
        assertEquals(199, seen.size());
    }

    @Test
    void withDeadLetterStoreAnUndecodableEventIsParkedNulSafeAndTheRestAreHandled() {
        append(300);
        corrupt.add(200L);
        corrupt.add(201L);
        DeadLetterStore letters = DeadLetterStore.inMemory();
        List<Integer> seen = new CopyOnWriteArrayList<>();
        Subscription s = start(Subscription.builder("s", store, checkpoints).deadLetters(letters)
                .handler(e -> seen.add(((Happened) e.data()).n())));
        assertEquals(PoisonPolicy.DEAD_LETTER, s.poisonPolicy());
        assertTrue(s.awaitCaughtUp(WAIT));
        assertEquals(298, seen.size());
        assertFalse(seen.contains(200) || seen.contains(201));
        assertEquals(300, seen.get(seen.size() - 1));
        List<DeadLetter> parked = letters.list("s", 10);
        assertEquals(2, parked.size());
        assertEquals(Position.of(200), parked.get(0).position());
        assertEquals(StreamRef.of("thing", "a"), parked.get(0).stream());
        assertEquals("test.Happened", parked.get(0).eventType());
        assertTrue(parked.get(0).error().contains("cannot be decoded"), parked.get(0).error());
        assertFalse(parked.get(0).error().contains("\0"));
        assertEquals(SubscriptionState.LIVE, s.state());
    }

    @Test
    void withoutDeadLetterStoreAHandlerFailingEveryAttemptHaltsWithTheCheckpointBeforeIt() {
        append(10);
        List<Integer> seen = new CopyOnWriteArrayList<>();
        Subscription s = start(Subscription.builder("s", store, checkpoints).checkpointEvery(1000)
                .handler(e -> {
                    int n = ((Happened) e.data()).n();
                    if (n == 7) {
                        throw new IllegalStateException("cannot handle 7");
                    }
                    seen.add(n);
                }));
        assertThrows(SubscriptionException.class, () -> s.awaitCaughtUp(WAIT));
        assertTrue(s.stop(WAIT));
        assertEquals(SubscriptionState.HALTED, s.state());
        assertEquals(List.of(1, 2, 3, 4, 5, 6), seen);
        assertEquals(Position.of(6), checkpoints.load("s").orElseThrow());
        assertTrue(s.failure().orElseThrow().getMessage().contains("cannot handle 7"));
        assertEquals(List.of(), s.deadLetters());
    }

    @Test
    void deadLetterErrorsAreStorableEverywhere() {
        String nul = DeadLetter.storable("a\0b");
        assertEquals("a\\0b", nul);
        String longText = "x".repeat(DeadLetter.MAX_ERROR_LENGTH - 1) + "\uD83D\uDE00";
        String cut = DeadLetter.storable(longText);
        assertEquals(DeadLetter.MAX_ERROR_LENGTH - 1, cut.length());
        assertEquals("a\uFFFDb", DeadLetter.storable("a\uD800b"));
    }
}
