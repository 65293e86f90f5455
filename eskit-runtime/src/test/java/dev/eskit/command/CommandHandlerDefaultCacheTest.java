package dev.eskit.command;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.eskit.Decider;
import dev.eskit.EventStore;
import dev.eskit.StoredEvent;
import dev.eskit.StreamRef;
import dev.eskit.command.Counter.Command;
import dev.eskit.command.Counter.Event;
import dev.eskit.command.Counter.Increment;
import dev.eskit.store.ForwardingEventStore;
import dev.eskit.store.InMemoryEventStore;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/**
 * The state cache's default: on ({@link CommandHandler#DEFAULT_CACHED_STREAMS} streams) for a decider whose states are
 * proven immutable ({@link Decider#immutableStates()}), off for any other, and {@code cacheStates(n)} wins either way,
 * on a handler and on a bus.
 */
class CommandHandlerDefaultCacheTest {

    /** Records the stream and from-version of every load. */
    private static final class LoadLog extends ForwardingEventStore {
        final List<String> loads = Collections.synchronizedList(new ArrayList<>());

        LoadLog(EventStore delegate) {
            super(delegate);
        }

        @Override
        public void load(StreamRef stream, long fromVersion, Consumer<? super StoredEvent<Object>> action) {
            loads.add(stream.type() + "/" + stream.id() + "@" + fromVersion);
            super.load(stream, fromVersion, action);
        }
    }

    private final Counter counter = new Counter();
    private final InMemoryEventStore memory = EventStore.inMemory(Counter.TYPES);
    private final LoadLog store = new LoadLog(memory);

    /** Three increments of c-1 by 1, 2 and 3; the state after them. */
    private static int thrice(CommandHandler<Integer, Command, Event> handler) {
        handler.handle("c-1", new Increment("c-1", 1));
        handler.handle("c-1", new Increment("c-1", 2));
        return handler.handle("c-1", new Increment("c-1", 3)).state();
    }

    @Test
    void aDeciderWithImmutableStatesIsCachedWithoutBeingAsked() {
        CommandHandler<Integer, Command, Event> handler =
                CommandHandler.builder(store, SayingDecider.proven(counter.decider()), "counter").build();
        assertEquals(6, thrice(handler));
        // Cold from 1; then from the cached version itself (its event's id is checked, nothing refolded).
        assertEquals(List.of("counter/c-1@1", "counter/c-1@1", "counter/c-1@2"), store.loads);
        assertEquals(1, handler.cachedStreams());
    }

    @Test
    void anyOtherDeciderIsNotCachedUnlessAsked() {
        assertFalse(counter.decider().immutableStates());
        CommandHandler<Integer, Command, Event> handler =
                CommandHandler.builder(store, counter.decider(), "counter").build();
        assertEquals(6, thrice(handler));
        assertEquals(List.of("counter/c-1@1", "counter/c-1@1", "counter/c-1@1"), store.loads);
        assertEquals(0, handler.cachedStreams());

        CommandHandler<Integer, Command, Event> asked =
                CommandHandler.builder(store, counter.decider(), "counter").cacheStates(4).build();
        asked.handle("c-1", new Increment("c-1", 1));
        assertEquals(1, asked.cachedStreams());
    }

    @Test
    void aDeciderOfFunctionsPromisingImmutableStatesIsCachedWithoutBeingAsked() {
        Decider<Integer, Command, Event> promised = counter.decider().withImmutableStates();
        assertTrue(promised.immutableStates());
        assertFalse(promised.checksStates());
        assertTrue(promised.isImmutable(3));
        assertEquals(null, promised.copyState(3));
        assertSame(promised, promised.withImmutableStates(), "promised once is enough");
        assertEquals(0, promised.initialState());
        assertEquals(List.of(new Counter.Incremented(2)), promised.decide(1, new Increment("c", 2)));
        assertEquals(5, promised.evolve(3, new Counter.Incremented(2)));
        assertEquals(counter.decider().fold(List.of(new Counter.Incremented(2), new Counter.Decremented(1))),
                promised.fold(List.of(new Counter.Incremented(2), new Counter.Decremented(1))));
        assertTrue(promised.toString().endsWith(" with immutable states"), promised.toString());

        CommandHandler<Integer, Command, Event> handler =
                CommandHandler.builder(store, promised, "counter").build();
        assertEquals(6, thrice(handler));
        assertEquals(List.of("counter/c-1@1", "counter/c-1@1", "counter/c-1@2"), store.loads);
        assertEquals(1, handler.cachedStreams());
        assertEquals(CommandHandler.DEFAULT_CACHED_STREAMS, handler.stateCache().orElseThrow().maxStreams());
    }

    @Test
    void cacheStatesZeroTurnsTheDefaultOff() {
        CommandHandler<Integer, Command, Event> handler =
                CommandHandler.builder(store, SayingDecider.proven(counter.decider()), "counter").cacheStates(0).build();
        assertEquals(6, thrice(handler));
        assertEquals(List.of("counter/c-1@1", "counter/c-1@1", "counter/c-1@1"), store.loads);
        assertEquals(0, handler.cachedStreams());
    }

    @Test
    void theDefaultCacheHoldsTenThousandStreams() {
        CommandHandler<Integer, Command, Event> handler =
                CommandHandler.builder(memory, SayingDecider.proven(counter.decider()), "counter").build();
        // Twice the bound, so that every segment of the cache is full (eviction is per segment).
        for (int i = 0; i < 2 * CommandHandler.DEFAULT_CACHED_STREAMS; i++) {
            handler.handle("c-" + i, new Increment("c-" + i, 1));
        }
        assertEquals(10_000, CommandHandler.DEFAULT_CACHED_STREAMS);
        assertEquals(CommandHandler.DEFAULT_CACHED_STREAMS, handler.cachedStreams());
    }

    @Test
    void aBusCachesEachDeciderAsItsStatesAllowUnlessToldOtherwise() {
        Decider<Integer, Command, Event> proven = SayingDecider.proven(counter.decider());
        Decider<Integer, Command, Event> unproven = counter.decider();
        List<CommandRoute<Integer, Command, Event>> routes = List.of(
                CommandRoute.of(Increment.class, "proven", Increment::id, proven),
                CommandRoute.of(Counter.Decrement.class, "unproven", Counter.Decrement::id, unproven));

        CommandBus bus = CommandBus.builder(store).register(routes).build();
        thrice(bus);
        assertEquals(List.of("proven/x@1", "proven/x@1", "proven/x@2", "unproven/x@1", "unproven/x@1",
                "unproven/x@1"), store.loads);

        store.loads.clear();
        CommandBus off = CommandBus.builder(store).register(routes).cacheStates(0).build();
        thrice(off);
        assertEquals(List.of("proven/x@1", "proven/x@1", "proven/x@1", "unproven/x@1", "unproven/x@1",
                "unproven/x@1"), store.loads);

        store.loads.clear();
        CommandBus on = CommandBus.builder(store).register(routes).cacheStates(3).build();
        thrice(on);
        assertEquals(List.of("proven/x@1", "proven/x@7", "proven/x@8", "unproven/x@1", "unproven/x@10",
                "unproven/x@11"), store.loads);
        assertTrue(on.commandTypes().contains(Increment.class));
    }

    /** Three increments of proven/x; an increment of 10 appended to unproven/x, then three decrements of it. */
    private void thrice(CommandBus bus) {
        for (int i = 0; i < 3; i++) {
            bus.send(new Increment("x", 10));
        }
        memory.append(dev.eskit.AppendRequest.of(StreamRef.of("unproven", "x"), dev.eskit.ExpectedVersion.any(),
                List.of(new Counter.Incremented(10))));
        for (int i = 0; i < 3; i++) {
            bus.send(new Counter.Decrement("x", 1));
        }
    }
}
