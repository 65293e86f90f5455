package dev.eskit.command;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.eskit.ConcurrencyException;
import dev.eskit.EventStore;
import dev.eskit.ExpectedVersion;
import dev.eskit.InvalidInputException;
import dev.eskit.Retry;
import dev.eskit.StoredEvent;
import dev.eskit.StreamArchivedException;
import dev.eskit.StreamRef;
import dev.eskit.StreamTombstonedException;
import dev.eskit.command.Counter.Command;
import dev.eskit.command.Counter.Decrement;
import dev.eskit.command.Counter.Event;
import dev.eskit.command.Counter.Increment;
import dev.eskit.snapshot.Snapshot;
import dev.eskit.snapshot.SnapshotStore;
import dev.eskit.snapshot.StateCodec;
import dev.eskit.store.ForwardingEventStore;
import dev.eskit.store.InMemoryEventStore;
import dev.eskit.store.StreamDataReader;
import dev.eskit.tenancy.TenantId;
import dev.eskit.tenancy.TenantScope;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/**
 * The state cache ({@link CommandHandler.Builder#cacheStates}): a warm stream loads only the events after its cached
 * version, sees every other writer's appends, drops its entry on conflicts and failures, never outlives a deleted
 * stream, never crosses tenants, stays bounded, and under concurrent commands ends in the state a fresh fold gives.
 */
class CommandHandlerStateCacheTest {

    private static final StreamRef C1 = StreamRef.of("counter", "c-1");

    /** Records the from-version of every load the handler makes. */
    private static final class LoadLog extends ForwardingEventStore {
        final List<Long> froms = Collections.synchronizedList(new ArrayList<>());

        LoadLog(EventStore delegate) {
            super(delegate);
        }

        @Override
        public void load(StreamRef stream, long fromVersion, Consumer<? super StoredEvent<Object>> action) {
            froms.add(fromVersion);
            super.load(stream, fromVersion, action);
        }
    }

    /** A store that hands ids with the data ({@link StreamDataReader#loadDataWithIds}); counts each kind of load. */
    private static final class IdReader extends ForwardingEventStore implements StreamDataReader {
        final AtomicInteger loads = new AtomicInteger();
        final List<Long> idLoads = new ArrayList<>();

        IdReader(EventStore delegate) {
            super(delegate);
        }

        @Override
        public void load(StreamRef stream, long fromVersion, Consumer<? super StoredEvent<Object>> action) {
            loads.incrementAndGet();
            super.load(stream, fromVersion, action);
        }

        @Override
        public void loadData(StreamRef stream, long fromVersion, DataAction action) {
            throw new AssertionError("a cached handler needs the ids");
        }

        @Override
        public boolean loadDataWithIds(StreamRef stream, long fromVersion, IdentifiedDataAction action) {
            idLoads.add(fromVersion);
            for (StoredEvent<Object> event : delegate.load(stream, fromVersion)) {
                action.accept(event.version(), event.id(), event.data());
            }
            return true;
        }
    }

    private final Counter counter = new Counter();
    private final InMemoryEventStore memory = EventStore.inMemory(Counter.TYPES);
    private final LoadLog store = new LoadLog(memory);

    private CommandHandler<Integer, Command, Event> cached(EventStore on, int maxStreams) {
        return CommandHandler.builder(on, counter.decider(), "counter").cacheStates(maxStreams).build();
    }

    private int freshFold(EventStore on, String id) {
        return CommandHandler.of(on, counter.decider(), "counter").handle(id, new Counter.Noop(id)).state();
    }

    @Test
    void aWarmStreamLoadsOnlyFromItsCachedVersion() {
        CommandHandler<Integer, Command, Event> handler = cached(store, 10);
        handler.handle("c-1", new Increment("c-1", 5));
        handler.handle("c-1", new Increment("c-1", 3));
        CommandResult<Integer, Event> result = handler.handle("c-1", new Decrement("c-1", 2));
        assertEquals(6, result.state());
        assertEquals(3, result.version());
        // Cold (empty stream), then from the cached version itself: its event's id is checked, nothing refolded.
        assertEquals(List.of(1L, 1L, 2L), store.froms);
        assertEquals(1, handler.cachedStreams());
    }

    @Test
    void aStoreThatHandsIdsWithTheDataIsLoadedThatWay() {
        IdReader reader = new IdReader(memory);
        CommandHandler<Integer, Command, Event> handler = cached(reader, 10);
        handler.handle("c-1", new Increment("c-1", 5));
        handler.handle("c-1", new Increment("c-1", 3));
        memory.delete(C1);
        memory.append(C1, ExpectedVersion.noStream(), List.of(new Counter.Incremented(1), new Counter.Incremented(1)));
        assertEquals(3, handler.handle("c-1", new Increment("c-1", 1)).state());
        // Cold, warm, warm but the stream was started again (so cold from 1 again).
        assertEquals(List.of(1L, 1L, 2L, 1L), reader.idLoads);
        assertEquals(0, reader.loads.get());
    }

    @Test
    void anotherNodesAppendsAreFoldedOntoTheCachedState() {
        CommandHandler<Integer, Command, Event> nodeA = cached(store, 10);
        CommandHandler<Integer, Command, Event> nodeB = cached(store, 10);
        nodeA.handle("c-1", new Increment("c-1", 5));
        nodeB.handle("c-1", new Increment("c-1", 7));
        nodeB.handle("c-1", new Decrement("c-1", 2));
        memory.append(C1, ExpectedVersion.any(), List.of(new Counter.Incremented(100)));
        // A decides on 5 + 7 - 2 + 100, not on its cached 5: the decrement of 110 is allowed.
        CommandResult<Integer, Event> result = nodeA.handle("c-1", new Decrement("c-1", 110));
        assertEquals(0, result.state());
        assertEquals(5, result.version());
        assertEquals(0, freshFold(memory, "c-1"));
        assertThrows(Counter.NotEnough.class, () -> nodeB.handle("c-1", new Decrement("c-1", 1)));
    }

    @Test
    void aConflictDropsTheEntryAndTheRetryDecidesOnTheFreshState() {
        InterferingStore interfering = new InterferingStore(memory, 1);
        CommandHandler<Integer, Command, Event> handler = CommandHandler.builder(interfering, counter.decider(),
                "counter").cacheStates(10).retry(Retry.attempts(2)).build();
        handler.handle("c-1", new Increment("c-1", 1)); // interfered once: 100 + 1
        assertEquals(101, handler.handle("c-1", new Counter.Noop("c-1")).state());

        CommandHandler<Integer, Command, Event> noRetry = cached(new InterferingStore(memory, 1), 10);
        noRetry.handle("c-1", new Counter.Noop("c-1"));
        assertEquals(1, noRetry.cachedStreams());
        assertThrows(ConcurrencyException.class, () -> noRetry.handle("c-1", new Increment("c-1", 1)));
        assertEquals(0, noRetry.cachedStreams());
        assertEquals(202, noRetry.handle("c-1", new Increment("c-1", 1)).state());
    }

    @Test
    void aRejectionKeepsTheEntryAndAFailingLoadDropsIt() {
        CommandHandler<Integer, Command, Event> handler = cached(store, 10);
        handler.handle("c-1", new Increment("c-1", 1));
        assertThrows(Counter.NotEnough.class, () -> handler.handle("c-1", new Decrement("c-1", 5)));
        assertEquals(1, handler.cachedStreams());
        // An event the decider cannot fold (it only knows counter events) fails the load: the entry goes.
        memory.append(C1, ExpectedVersion.any(), List.of(new Counter.Incremented(-1)));
        CommandHandler<Integer, Command, Event> failing = CommandHandler.builder(store,
                dev.eskit.Decider.<Integer, Command, Event>of(() -> 0, (s, c) -> List.of(new Counter.Incremented(1)),
                        (s, e) -> {
                            if (((Counter.Incremented) e).by() < 0) {
                                throw new IllegalStateException("negative");
                            }
                            return s + 1;
                        }), "counter").cacheStates(10).build();
        assertThrows(IllegalStateException.class, () -> failing.handle("c-1", new Increment("c-1", 1)));
        assertEquals(0, failing.cachedStreams());
    }

    @Test
    void aDeletedStreamIsNotResurrectedEvenWhenStartedAgainToTheSameVersion() {
        CommandHandler<Integer, Command, Event> handler = cached(store, 10);
        handler.handle("c-1", new Increment("c-1", 50));
        handler.handle("c-1", new Increment("c-1", 50));
        memory.delete(C1);
        assertEquals(1, handler.handle("c-1", new Increment("c-1", 1)).state(), "deleted: folds from nothing");
        assertEquals(1, freshFold(memory, "c-1"));

        handler.handle("c-1", new Increment("c-1", 1)); // cached at version 2, state 2
        memory.delete(C1);
        memory.append(C1, ExpectedVersion.noStream(),
                List.of(new Counter.Incremented(7), new Counter.Incremented(7)));
        // Started again by someone else up to the same version 2: other event ids, so the cache is not used.
        CommandResult<Integer, Event> result = handler.handle("c-1", new Increment("c-1", 1));
        assertEquals(15, result.state());
        assertEquals(3, result.version());
        assertEquals(15, freshFold(memory, "c-1"));
    }

    @Test
    void archivedAndTombstonedStreamsFailAsWithoutACacheAndDropTheEntry() {
        CommandHandler<Integer, Command, Event> handler = cached(store, 10);
        handler.handle("c-1", new Increment("c-1", 4));
        memory.archive(C1);
        assertThrows(StreamArchivedException.class, () -> handler.handle("c-1", new Increment("c-1", 1)));
        assertEquals(0, handler.cachedStreams());
        memory.restore(C1);
        assertEquals(5, handler.handle("c-1", new Increment("c-1", 1)).state());
        memory.tombstone(C1);
        assertThrows(StreamTombstonedException.class, () -> handler.handle("c-1", new Increment("c-1", 1)));
        assertEquals(0, handler.cachedStreams());
        assertEquals(5, freshFold(memory, "c-1"));
    }

    @Test
    void aTenantsHandlerNeverServesAnotherTenantsState() {
        EventStore acme = TenantScope.of(TenantId.of("acme")).events(store);
        EventStore beta = TenantScope.of(TenantId.of("beta")).events(store);
        CommandHandler<Integer, Command, Event> acmeHandler = cached(acme, 10);
        CommandHandler<Integer, Command, Event> betaHandler = cached(beta, 10);
        acmeHandler.handle("c-1", new Increment("c-1", 1000));
        betaHandler.handle("c-1", new Increment("c-1", 4));
        acmeHandler.handle("c-1", new Increment("c-1", 1));
        assertEquals(5, betaHandler.handle("c-1", new Increment("c-1", 1)).state());
        assertEquals(1001, acmeHandler.handle("c-1", new Counter.Noop("c-1")).state());
        // One bus per tenant: a handler each, a cache each.
        CommandBus acmeBus = CommandBus.builder(acme).register(CommandRoute.of(Increment.class, "counter",
                Increment::id, counter.decider())).cacheStates(10).build();
        assertEquals(1002, ((Integer) acmeBus.send(new Increment("c-1", 1)).state()));
        assertEquals(6, betaHandler.handle("c-1", new Increment("c-1", 1)).state());
    }

    @Test
    void theCacheIsBoundedAndEvictsTheLeastRecentlyUsedStream() {
        CommandHandler<Integer, Command, Event> handler = cached(store, 2);
        handler.handle("a", new Increment("a", 1));
        handler.handle("b", new Increment("b", 1));
        handler.handle("a", new Increment("a", 1)); // a is now more recent than b
        handler.handle("c", new Increment("c", 1)); // evicts b
        assertEquals(2, handler.cachedStreams());
        store.froms.clear();
        handler.handle("a", new Increment("a", 1));
        handler.handle("b", new Increment("b", 1));
        assertEquals(List.of(2L, 1L), store.froms, "a warm from its version, b cold from the start");

        CommandHandler<Integer, Command, Event> large = cached(store, 1000); // segmented
        for (int i = 0; i < 3000; i++) {
            large.handle("s-" + i, new Increment("s-" + i, 1));
            assertTrue(large.cachedStreams() <= 1000);
        }
        assertEquals(1000, large.cachedStreams());
    }

    @Test
    void concurrentCommandsOnManyStreamsStayBoundedAndCorrect() throws Exception {
        // 600 streams: two segments of 300, more streams than that, several threads evicting at once.
        CommandHandler<Integer, Command, Event> handler = CommandHandler.builder(store, counter.decider(), "counter")
                .cacheStates(600).retry(new Retry(100, Duration.ZERO, Duration.ZERO, false)).build();
        int threads = 4;
        Hammer.run(threads, thread -> {
            java.util.Random random = new java.util.Random(thread);
            for (int i = 0; i < 1500; i++) {
                String id = "s-" + random.nextInt(1000);
                handler.handle(id, new Increment(id, 1));
                assertTrue(handler.cachedStreams() <= 600);
            }
        });
        assertTrue(handler.cachedStreams() <= 600);
        int total = 0;
        for (int i = 0; i < 1000; i++) {
            String id = "s-" + i;
            int fresh = freshFold(memory, id);
            assertEquals(fresh, handler.handle(id, new Counter.Noop(id)).state(), id);
            total += fresh;
        }
        assertEquals(threads * 1500, total, "every command's event, once");
    }

    @Test
    void aNegativeSizeIsRefusedAndZeroMeansNoCache() {
        InvalidInputException e = assertThrows(InvalidInputException.class,
                () -> CommandHandler.builder(store, counter.decider(), "counter").cacheStates(-1));
        assertTrue(e.getMessage().contains("0 for no cache"), e.getMessage());
        assertThrows(InvalidInputException.class, () -> CommandBus.builder(store).cacheStates(-5));
        CommandHandler<Integer, Command, Event> off = cached(store, 0);
        off.handle("c-1", new Increment("c-1", 1));
        off.handle("c-1", new Increment("c-1", 1));
        assertEquals(0, off.cachedStreams());
    }

    @Test
    void aRetriedIdempotentCommandBehavesAsWithoutACache() {
        for (boolean withCache : new boolean[] {false, true}) {
            InMemoryEventStore fresh = EventStore.inMemory(Counter.TYPES);
            CommandHandler<Integer, Command, Event> handler = cached(fresh, withCache ? 10 : 0);
            CommandContext keyed = CommandContext.create().withIdempotencyKey("k-1");
            CommandResult<Integer, Event> first = handler.handle("c-1", new Increment("c-1", 5), keyed);
            handler.handle("c-1", new Increment("c-1", 1));
            CommandResult<Integer, Event> again = handler.handle("c-1", new Increment("c-1", 5), keyed);
            assertEquals(first.events().get(0).id(), again.events().get(0).id());
            assertEquals(6, again.state(), "the state the stream has now");
            assertEquals(2, again.version());
            assertEquals(7, handler.handle("c-1", new Increment("c-1", 1)).state());
        }
    }

    @Test
    void snapshotsAreSavedAtTheSameVersionsWithACacheWhichIsReadInsteadOfThem() {
        List<List<Long>> saved = new ArrayList<>();
        List<AtomicInteger> reads = new ArrayList<>();
        for (int size : new int[] {0, 10}) {
            List<Long> versions = new ArrayList<>();
            AtomicInteger read = new AtomicInteger();
            SnapshotStore inner = SnapshotStore.inMemory();
            SnapshotStore recording = new SnapshotStore() {
                @Override
                public void save(Snapshot snapshot) {
                    versions.add(snapshot.version());
                    inner.save(snapshot);
                }

                @Override
                public Optional<Snapshot> load(StreamRef stream) {
                    read.incrementAndGet();
                    return inner.load(stream);
                }

                @Override
                public void delete(StreamRef stream) {
                    inner.delete(stream);
                }
            };
            CommandHandler<Integer, Command, Event> handler = CommandHandler.builder(
                    EventStore.inMemory(Counter.TYPES), counter.decider(), "counter")
                    .snapshots(recording, StateCodec.json(Integer.class), 3).cacheStates(size).build();
            for (int i = 0; i < 10; i++) {
                handler.handle("c-1", new Increment("c-1", 1));
            }
            assertEquals(10, handler.handle("c-1", new Counter.Noop("c-1")).state());
            saved.add(versions);
            reads.add(read);
        }
        assertEquals(List.of(3L, 6L, 9L), saved.get(0));
        assertEquals(saved.get(0), saved.get(1));
        assertEquals(11, reads.get(0).get());
        assertEquals(1, reads.get(1).get(), "only the first, cold load reads the snapshot store");
    }

    @Test
    void concurrentCommandsOnOneStreamLoseNoUpdateAndEndInTheFreshFold() throws Exception {
        int threads = 4;
        int perThread = 150;
        CommandHandler<Integer, Command, Event> nodeA = CommandHandler.builder(store, counter.decider(), "counter")
                .cacheStates(10).retry(new Retry(100, Duration.ZERO, Duration.ZERO, false)).build();
        CommandHandler<Integer, Command, Event> nodeB = CommandHandler.builder(store, counter.decider(), "counter")
                .cacheStates(10).retry(new Retry(100, Duration.ZERO, Duration.ZERO, false)).build();
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        CountDownLatch start = new CountDownLatch(1);
        AtomicInteger conflicts = new AtomicInteger();
        try {
            List<Future<Integer>> done = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                CommandHandler<Integer, Command, Event> node = t % 2 == 0 ? nodeA : nodeB;
                int by = t + 1;
                done.add(pool.submit(() -> {
                    start.await();
                    int last = 0;
                    for (int i = 0; i < perThread; ) {
                        try {
                            last = node.handle("c-1", new Increment("c-1", by)).state();
                            i++;
                        } catch (ConcurrencyException e) {
                            conflicts.incrementAndGet(); // a hundred conflicts in a row: try the command again
                        }
                    }
                    return last;
                }));
            }
            start.countDown();
            for (Future<Integer> future : done) {
                assertTrue(future.get(60, TimeUnit.SECONDS) > 0);
            }
        } finally {
            pool.shutdownNow();
        }
        int expected = perThread * (1 + 2 + 3 + 4);
        assertEquals(expected, freshFold(memory, "c-1"));
        assertEquals(threads * perThread, memory.streamVersion(C1), "one event per command, none lost");
        assertEquals(expected, nodeA.handle("c-1", new Counter.Noop("c-1")).state());
        assertEquals(expected, nodeB.handle("c-1", new Counter.Noop("c-1")).state());
    }
}
