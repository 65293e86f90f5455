package dev.eskit.command;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.eskit.EventStore;
import dev.eskit.StreamRef;
import dev.eskit.command.Counter.Decrement;
import dev.eskit.command.Counter.Increment;
import dev.eskit.command.Counter.NotEnough;
import dev.eskit.store.InMemoryEventStore;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A handler's state cache figures ({@link CommandHandler#stateCache()}, {@link CommandBus#stateCaches()}): what hits,
 * misses, streams moved on by another writer and evictions count, on a {@link dev.eskit.store.HeadAppender} store.
 */
class StateCacheStatsTest {

    private final Counter counter = new Counter();
    private final InMemoryEventStore store = EventStore.inMemory(Counter.TYPES);

    private CommandHandler<Integer, Counter.Command, Counter.Event> handler(int cachedStreams) {
        return CommandHandler.builder(store, counter.decider(), "counter").cacheStates(cachedStreams).build();
    }

    @Test
    void figuresAddUpAndGiveTheirHitRatio() {
        StateCacheStats a = new StateCacheStats(10, 3, 5, 2, 1, 4);
        StateCacheStats b = new StateCacheStats(20, 7, 11, 13, 17, 19);
        assertEquals(new StateCacheStats(30, 10, 16, 15, 18, 23), a.plus(b));
        assertEquals(5.0 / 7, a.hitRatio(), 1e-9);
        assertEquals(0.0, new StateCacheStats(10, 0, 0, 0, 0, 0).hitRatio(), "no look-ups yet");
        assertEquals(1.0, new StateCacheStats(10, 1, 4, 0, 0, 0).hitRatio());
    }

    @Test
    void aHandlerWithoutACacheHasNoFigures() {
        assertTrue(handler(0).stateCache().isEmpty());
    }

    @Test
    void theFirstCommandOfAStreamMissesAndTheNextHit() {
        CommandHandler<Integer, Counter.Command, Counter.Event> handler = handler(10);
        assertEquals(new StateCacheStats(10, 0, 0, 0, 0, 0), handler.stateCache().orElseThrow());
        handler.handle("c-1", new Increment("c-1", 1));
        assertEquals(new StateCacheStats(10, 1, 0, 1, 0, 0), handler.stateCache().orElseThrow());
        handler.handle("c-1", new Increment("c-1", 1));
        handler.handle("c-1", new Increment("c-1", 1));
        StateCacheStats stats = handler.stateCache().orElseThrow();
        assertEquals(new StateCacheStats(10, 1, 2, 1, 0, 0), stats);
        assertEquals(2.0 / 3, stats.hitRatio(), 1e-9);
    }

    @Test
    void aStreamAnotherWriterMovedOnCountsOnceAndIsFoldedFromTheCache() {
        CommandHandler<Integer, Counter.Command, Counter.Event> node = handler(10);
        CommandHandler<Integer, Counter.Command, Counter.Event> other = handler(10);
        node.handle("c-1", new Increment("c-1", 1));      // miss
        other.handle("c-1", new Increment("c-1", 1));     // the other node: its own miss
        // Decided on the cached state (a hit), the append finds the stream moved on; read again from the cached
        // version (a second hit) and appended.
        assertEquals(3, node.handle("c-1", new Increment("c-1", 1)).state());
        assertEquals(new StateCacheStats(10, 1, 2, 1, 1, 0), node.stateCache().orElseThrow());
    }

    @Test
    void aRejectionOnACachedStateIsCheckedAgainstTheStream() {
        CommandHandler<Integer, Counter.Command, Counter.Event> handler = handler(10);
        handler.handle("c-1", new Increment("c-1", 1));
        // Rejected on the cached state (a hit), read again (a hit: nothing after the cached version), rejected.
        assertThrows(NotEnough.class, () -> handler.handle("c-1", new Decrement("c-1", 5)));
        assertEquals(new StateCacheStats(10, 1, 2, 1, 0, 0), handler.stateCache().orElseThrow());
    }

    @Test
    void aStreamDeletedAndWrittenAgainIsAMissNotAHit() {
        CommandHandler<Integer, Counter.Command, Counter.Event> handler = handler(10);
        handler.handle("c-1", new Increment("c-1", 1));
        store.delete(StreamRef.of("counter", "c-1"));
        CommandHandler<Integer, Counter.Command, Counter.Event> other = handler(0);
        other.handle("c-1", new Increment("c-1", 7));
        // Decided on the cached state (a hit), the append finds another last event (moved on), the cached entry no
        // longer matches the stream (a miss), folded from the first event.
        assertEquals(8, handler.handle("c-1", new Increment("c-1", 1)).state());
        assertEquals(new StateCacheStats(10, 1, 1, 2, 1, 0), handler.stateCache().orElseThrow());
    }

    @Test
    void aStreamDeletedAndWrittenAgainShorterIsCachedAfresh() {
        CommandHandler<Integer, Counter.Command, Counter.Event> handler = handler(10);
        for (int i = 0; i < 3; i++) {
            handler.handle("c-1", new Increment("c-1", 1));
        }
        store.delete(StreamRef.of("counter", "c-1"));
        handler(0).handle("c-1", new Increment("c-1", 10));
        // The cached version 3 is gone; the stream is at version 1 of its new life.
        assertEquals(11, handler.handle("c-1", new Increment("c-1", 1)).state());
        StateCacheStats before = handler.stateCache().orElseThrow();
        assertEquals(1, before.movedOn());
        // The entry now is the new life's: the next command is decided on it and appended at once.
        assertEquals(12, handler.handle("c-1", new Increment("c-1", 1)).state());
        StateCacheStats after = handler.stateCache().orElseThrow();
        assertEquals(1, after.movedOn(), "no stale entry of the old life was left");
        assertEquals(before.hits() + 1, after.hits());
        assertEquals(before.misses(), after.misses());
    }

    @Test
    void evictionsAreCountedAndTheBoundHeld() {
        CommandHandler<Integer, Counter.Command, Counter.Event> handler = handler(2);
        for (int i = 0; i < 5; i++) {
            handler.handle("c-" + i, new Increment("c-" + i, 1));
        }
        assertEquals(new StateCacheStats(2, 2, 0, 5, 0, 3), handler.stateCache().orElseThrow());
    }

    @Test
    void aBusGivesEachStreamTypesCacheOnce() {
        CommandBus bus = CommandBus.builder(store).cacheStates(100)
                .register(CommandRoute.of(Increment.class, "counter", Increment::id, counter.decider()))
                .register(CommandRoute.of(Decrement.class, "counter", Decrement::id, counter.decider()))
                .build();
        bus.send(new Increment("c-1", 2));
        bus.send(new Decrement("c-1", 1));
        bus.send(new Increment("c-2", 1));
        // Two deciders of one stream type: two handlers, their figures added up; each handler's counted once.
        Map<String, StateCacheStats> caches = bus.stateCaches();
        assertEquals(List.of("counter"), List.copyOf(caches.keySet()));
        StateCacheStats stats = caches.get("counter");
        assertEquals(200, stats.maxStreams());
        assertEquals(3, stats.streams());
        assertEquals(3, stats.misses() + stats.hits());
        assertTrue(CommandBus.builder(store).cacheStates(0)
                .register(CommandRoute.of(Increment.class, "counter", Increment::id, counter.decider()))
                .build().stateCaches().isEmpty(), "no cache, no entry");
    }

    @Test
    void countsAddUpUnderConcurrentCommands() throws Exception {
        CommandHandler<Integer, Counter.Command, Counter.Event> handler = CommandHandler
                .builder(store, counter.decider(), "counter").cacheStates(50).retry(dev.eskit.Retry.attempts(50))
                .build();
        int threads = 8;
        int perThread = 500;
        Hammer.run(threads, thread -> {
            for (int i = 0; i < perThread; i++) {
                String id = "c-" + ((thread + i) % 20);
                handler.handle(id, new Increment(id, 1));
            }
        });
        StateCacheStats stats = handler.stateCache().orElseThrow();
        long total = 0;
        for (int i = 0; i < 20; i++) {
            total += store.streamVersion(StreamRef.of("counter", "c-" + i));
        }
        assertEquals(threads * perThread, total, "every command appended once");
        assertEquals(20, stats.streams());
        assertEquals(0, stats.evictions());
        // Every command looked up its state at least once; a look-up is a hit or a miss, and only the first command
        // of a stream, or one after a conflict dropped the entry, can miss.
        assertTrue(stats.hits() + stats.misses() >= threads * perThread, stats.toString());
        assertTrue(stats.misses() >= 20, stats.toString());
        assertTrue(stats.hits() > 0, stats.toString());
    }
}
