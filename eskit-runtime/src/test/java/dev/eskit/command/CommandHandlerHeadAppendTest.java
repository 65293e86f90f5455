package dev.eskit.command;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.eskit.AppendRequest;
import dev.eskit.AppendResult;
import dev.eskit.EventStore;
import dev.eskit.ExpectedVersion;
import dev.eskit.Metadata;
import dev.eskit.StoredEvent;
import dev.eskit.StreamArchivedException;
import dev.eskit.StreamRef;
import dev.eskit.command.Counter.Command;
import dev.eskit.command.Counter.Decrement;
import dev.eskit.command.Counter.Event;
import dev.eskit.command.Counter.Increment;
import dev.eskit.store.ForwardingEventStore;
import dev.eskit.store.HeadAppender;
import dev.eskit.store.InMemoryEventStore;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/**
 * A state cache on a store that appends at a known last event ({@link HeadAppender}): a warm command decides on its
 * cached state and appends without reading the stream; whenever the stream is not as cached (another writer, a
 * deletion, an archive) nothing is written and the command is read and decided again, so its outcome is the one a
 * handler without a cache gives. Rejections and empty decisions are never taken from a cached state alone.
 */
class CommandHandlerHeadAppendTest {

    private static final StreamRef C1 = StreamRef.of("counter", "c-1");

    /** The in-memory store seen through a counter of reads and of appends at a head, hits and misses. */
    private static final class Counting extends ForwardingEventStore implements HeadAppender {
        final InMemoryEventStore memory;
        final AtomicInteger loads = new AtomicInteger();
        final AtomicInteger headHits = new AtomicInteger();
        final AtomicInteger headMisses = new AtomicInteger();
        final AtomicInteger appends = new AtomicInteger();
        /** When set, every append at a head is refused (as a store does for requests it cannot check). */
        volatile boolean refuse;
        /** Runs (once) before the next append at a head. */
        volatile Runnable beforeHead;
        /** When set, the next append at a head fails with it (as a store whose database is unreachable does). */
        volatile RuntimeException failHead;

        Counting(InMemoryEventStore memory) {
            super(memory);
            this.memory = memory;
        }

        @Override
        public void load(StreamRef stream, long fromVersion, Consumer<? super StoredEvent<Object>> action) {
            loads.incrementAndGet();
            super.load(stream, fromVersion, action);
        }

        @Override
        public List<StoredEvent<Object>> load(StreamRef stream, long fromVersion) {
            loads.incrementAndGet();
            return super.load(stream, fromVersion);
        }

        @Override
        public AppendResult append(AppendRequest request) {
            appends.incrementAndGet();
            return super.append(request);
        }

        @Override
        public boolean appendsAtHead() {
            return true;
        }

        @Override
        public Optional<AppendResult> appendAtHead(AppendRequest request, UUID headEventId) {
            RuntimeException failure = failHead;
            if (failure != null) {
                failHead = null;
                throw failure;
            }
            Runnable before = beforeHead;
            if (before != null) {
                beforeHead = null;
                before.run();
            }
            Optional<AppendResult> result = refuse ? Optional.empty() : memory.appendAtHead(request, headEventId);
            (result.isPresent() ? headHits : headMisses).incrementAndGet();
            return result;
        }
    }

    private final Counter counter = new Counter();
    private final InMemoryEventStore memory = EventStore.inMemory(Counter.TYPES);
    private final Counting store = new Counting(memory);

    private CommandHandler<Integer, Command, Event> cached(EventStore on) {
        return CommandHandler.builder(on, counter.decider(), "counter").cacheStates(10).build();
    }

    private int freshFold(String id) {
        return CommandHandler.of(memory, counter.decider(), "counter").handle(id, new Counter.Noop(id)).state();
    }

    @Test
    void aWarmCommandDecidesOnItsCachedStateAndAppendsWithoutReading() {
        CommandHandler<Integer, Command, Event> handler = cached(store);
        handler.handle("c-1", new Increment("c-1", 5));
        assertEquals(1, store.loads.get(), "the cold command reads the stream");
        handler.handle("c-1", new Increment("c-1", 3));
        CommandResult<Integer, Event> result = handler.handle("c-1", new Decrement("c-1", 2));
        assertEquals(6, result.state());
        assertEquals(3, result.version());
        assertEquals(3, result.events().get(0).version());
        assertEquals(1, store.loads.get(), "warm commands read nothing");
        assertEquals(2, store.headHits.get());
        assertEquals(1, store.appends.get(), "only the cold command appended the usual way");
        assertEquals(6, freshFold("c-1"));
    }

    @Test
    void anotherWritersAppendIsSeenAndNeverSurfacesAsAConflict() {
        CommandHandler<Integer, Command, Event> nodeA = cached(store);
        nodeA.handle("c-1", new Increment("c-1", 5));
        memory.append(C1, ExpectedVersion.exactly(1), List.of(new Counter.Incremented(100)));
        // Decided on the cached 5, the decrement of 50 would be rejected; the stream holds 105, so it is allowed.
        CommandResult<Integer, Event> result = nodeA.handle("c-1", new Decrement("c-1", 50));
        assertEquals(55, result.state());
        assertEquals(3, result.version());
        assertEquals(55, freshFold("c-1"));

        memory.append(C1, ExpectedVersion.exactly(3), List.of(new Counter.Incremented(1)));
        // The increment decided on the cached 55 finds the stream moved on: nothing written, read, decided again.
        CommandResult<Integer, Event> again = nodeA.handle("c-1", new Increment("c-1", 1));
        assertEquals(57, again.state());
        assertEquals(5, again.version());
        assertEquals(1, store.headMisses.get());
        assertEquals(57, freshFold("c-1"));
        assertEquals(5, memory.streamVersion(C1), "the missed append wrote nothing");
    }

    @Test
    void rejectionsAndEmptyDecisionsRestOnTheStreamAsItIs() {
        CommandHandler<Integer, Command, Event> handler = cached(store);
        handler.handle("c-1", new Increment("c-1", 5));
        int before = store.loads.get();
        // A real rejection: the cached state says so, and so does the stream, read to check.
        assertThrows(Counter.NotEnough.class, () -> handler.handle("c-1", new Decrement("c-1", 6)));
        assertEquals(before + 1, store.loads.get(), "a rejection is checked against the stream");
        memory.append(C1, ExpectedVersion.any(), List.of(new Counter.Incremented(10)));
        // An empty decision reports the state of the stream, not the cached one.
        assertEquals(15, handler.handle("c-1", new Counter.Noop("c-1")).state());
        assertEquals(0, store.headHits.get() + store.headMisses.get(), "no append was tried for either");
    }

    @Test
    void aStreamDeletedAndStartedAgainToTheSameVersionIsNotMistakenForTheCachedOne() {
        CommandHandler<Integer, Command, Event> handler = cached(store);
        handler.handle("c-1", new Increment("c-1", 50));
        handler.handle("c-1", new Increment("c-1", 50));
        memory.delete(C1);
        memory.append(C1, ExpectedVersion.noStream(), List.of(new Counter.Incremented(7), new Counter.Incremented(7)));
        CommandResult<Integer, Event> result = handler.handle("c-1", new Increment("c-1", 1));
        assertEquals(15, result.state());
        assertEquals(3, result.version());
        assertEquals(1, store.headMisses.get());
        assertEquals(15, freshFold("c-1"));
    }

    /**
     * Between a command's read and its append the stream is deleted and written again up to the version read: the
     * append is checked against the event read, so the decision taken on the old stream is not appended to the new one.
     */
    @Test
    void aStreamWrittenAgainBetweenTheReadAndTheAppendIsAConflictNotAWrongAppend() {
        memory.append(C1, ExpectedVersion.noStream(), List.of(new Counter.Incremented(5)));
        Runnable restart = () -> {
            memory.delete(C1);
            memory.append(C1, ExpectedVersion.noStream(), List.of(new Counter.Incremented(1)));
        };
        store.beforeHead = restart;
        dev.eskit.ConcurrencyException conflict = assertThrows(dev.eskit.ConcurrencyException.class,
                () -> cached(store).handle("c-1", new Decrement("c-1", 3)));
        assertTrue(conflict.getMessage().contains("deleted and written again"), conflict.getMessage());
        assertEquals(1, freshFold("c-1"), "the decrement decided on 5 was not appended to the new stream's 1");

        memory.delete(C1);
        memory.append(C1, ExpectedVersion.noStream(), List.of(new Counter.Incremented(5)));
        store.beforeHead = restart;
        CommandHandler<Integer, Command, Event> retrying = CommandHandler.builder(store, counter.decider(), "counter")
                .cacheStates(10).retry(dev.eskit.Retry.attempts(2)).build();
        assertThrows(Counter.NotEnough.class, () -> retrying.handle("c-1", new Decrement("c-1", 3)),
                "decided again on the new stream");
        assertEquals(1, freshFold("c-1"));
    }

    @Test
    void aColdCommandOnAClosedStreamFailsAsWithoutACache() {
        memory.append(C1, ExpectedVersion.noStream(), List.of(new Counter.Incremented(5)));
        memory.archive(C1);
        assertThrows(StreamArchivedException.class, () -> cached(store).handle("c-1", new Increment("c-1", 1)));
        memory.restore(C1);
        memory.tombstone(C1);
        assertThrows(dev.eskit.StreamTombstonedException.class,
                () -> cached(store).handle("c-1", new Increment("c-1", 1)));
        assertEquals(1, memory.streamVersion(C1));
    }

    @Test
    void anArchivedStreamFailsAsWithoutACacheAndWritesNothing() {
        CommandHandler<Integer, Command, Event> handler = cached(store);
        handler.handle("c-1", new Increment("c-1", 4));
        memory.archive(C1);
        assertThrows(StreamArchivedException.class, () -> handler.handle("c-1", new Increment("c-1", 1)));
        assertEquals(0, handler.cachedStreams());
        assertEquals(1, memory.streamVersion(C1));
        memory.restore(C1);
        assertEquals(5, handler.handle("c-1", new Increment("c-1", 1)).state());
    }

    @Test
    void aStreamTheStoreWillNotAppendToAtItsHeadIsReadFirstFromThenOn() {
        CommandHandler<Integer, Command, Event> handler = cached(store);
        handler.handle("c-1", new Increment("c-1", 1));
        store.refuse = true;
        handler.handle("c-1", new Increment("c-1", 1));
        handler.handle("c-1", new Increment("c-1", 1));
        handler.handle("c-1", new Increment("c-1", 1));
        assertEquals(1, store.headMisses.get(), "one refusal while the cache was current, then no more tries");
        assertEquals(4, handler.handle("c-1", new Counter.Noop("c-1")).state());
        store.refuse = false;
        handler.handle("c-2", new Increment("c-2", 1));
        handler.handle("c-2", new Increment("c-2", 1));
        assertEquals(1, store.headHits.get(), "other streams still append at their head");
    }

    @Test
    void aMissBecauseTheSameHandlerAppendedMeanwhileLeavesTheStreamDecidingFirst() {
        CommandHandler<Integer, Command, Event> handler = cached(store);
        handler.handle("c-1", new Increment("c-1", 1));
        // Another command of the same handler appends (and caches the new head) while this one is on its way.
        store.beforeHead = () -> handler.handle("c-1", new Increment("c-1", 10));
        assertEquals(12, handler.handle("c-1", new Increment("c-1", 1)).state());
        assertEquals(1, store.headMisses.get());
        int hits = store.headHits.get();
        assertEquals(13, handler.handle("c-1", new Increment("c-1", 1)).state());
        assertEquals(hits + 1, store.headHits.get(), "the stream's entry was current: not turned to read first");
        assertEquals(13, freshFold("c-1"));
    }

    @Test
    void aFailingAppendAtTheHeadDropsTheEntryAndFailsTheCommand() {
        CommandHandler<Integer, Command, Event> handler = cached(store);
        handler.handle("c-1", new Increment("c-1", 1));
        assertEquals(1, handler.cachedStreams());
        store.failHead = new IllegalStateException("unreachable");
        IllegalStateException failed = assertThrows(IllegalStateException.class,
                () -> handler.handle("c-1", new Increment("c-1", 1)));
        assertEquals("unreachable", failed.getMessage());
        assertEquals(0, handler.cachedStreams(), "nothing is known about the stream after a failure");
        assertEquals(2, handler.handle("c-1", new Increment("c-1", 1)).state());
    }

    @Test
    void aTenantsViewAppendsAtItsOwnStreamsHead() {
        EventStore acme = dev.eskit.tenancy.TenantScope.of(dev.eskit.tenancy.TenantId.of("acme")).events(store);
        EventStore beta = dev.eskit.tenancy.TenantScope.of(dev.eskit.tenancy.TenantId.of("beta")).events(store);
        assertTrue(((HeadAppender) acme).appendsAtHead());
        CommandHandler<Integer, Command, Event> acmeHandler = cached(acme);
        CommandHandler<Integer, Command, Event> betaHandler = cached(beta);
        acmeHandler.handle("c-1", new Increment("c-1", 1000));
        betaHandler.handle("c-1", new Increment("c-1", 4));
        CommandResult<Integer, Event> acmeResult = acmeHandler.handle("c-1", new Increment("c-1", 1));
        assertEquals(1001, acmeResult.state());
        assertEquals(C1, acmeResult.events().get(0).stream(), "the tenant sees its stream as it wrote it");
        assertEquals(5, betaHandler.handle("c-1", new Increment("c-1", 1)).state());
        assertEquals(2, store.headHits.get());
        assertEquals(2, memory.streamVersion(StreamRef.of("acme::counter", "c-1")));
        assertEquals(2, memory.streamVersion(StreamRef.of("beta::counter", "c-1")));
        assertFalse(((HeadAppender) dev.eskit.tenancy.TenantScope.of(dev.eskit.tenancy.TenantId.of("acme"))
                .events(new ForwardingEventStore(memory) { })).appendsAtHead(), "a shared store without it");
    }

    @Test
    void commandsWithAnIdempotencyKeyReadFirst() {
        CommandHandler<Integer, Command, Event> handler = cached(store);
        handler.handle("c-1", new Increment("c-1", 1));
        CommandContext keyed = CommandContext.create().withIdempotencyKey("k-1");
        assertEquals(3, handler.handle("c-1", new Increment("c-1", 2), keyed).state());
        assertEquals(3, handler.handle("c-1", new Increment("c-1", 2), keyed).state());
        assertEquals(0, store.headHits.get() + store.headMisses.get());
        assertEquals(2, memory.streamVersion(C1));
    }

    @Test
    void theInMemoryStoreAppendsAtAHeadOnlyWhenEverythingMatches() {
        memory.append(C1, ExpectedVersion.noStream(), List.of(new Counter.Incremented(1)));
        UUID head = memory.load(C1).get(0).id();
        List<Event> one = List.of(new Counter.Incremented(2));
        assertTrue(memory.appendsAtHead());
        assertFalse(memory.appendAtHead(new AppendRequest(C1, ExpectedVersion.exactly(1), one, Metadata.empty(),
                null), UUID.randomUUID()).isPresent(), "another last event");
        assertFalse(memory.appendAtHead(new AppendRequest(C1, ExpectedVersion.exactly(2), one, Metadata.empty(),
                null), head).isPresent(), "another version");
        assertFalse(memory.appendAtHead(new AppendRequest(C1, ExpectedVersion.any(), one, Metadata.empty(),
                null), head).isPresent(), "not an exact version");
        assertFalse(memory.appendAtHead(new AppendRequest(C1, ExpectedVersion.exactly(1), one, Metadata.empty(),
                "key"), head).isPresent(), "an idempotency key");
        assertFalse(memory.appendAtHead(new AppendRequest(StreamRef.of("counter", "none"), ExpectedVersion.exactly(1),
                one, Metadata.empty(), null), head).isPresent(), "no such stream");
        memory.archive(C1);
        assertFalse(memory.appendAtHead(new AppendRequest(C1, ExpectedVersion.exactly(1), one, Metadata.empty(),
                null), head).isPresent(), "archived: empty, not an exception");
        memory.restore(C1);
        assertEquals(1, memory.streamVersion(C1), "nothing written by the refusals");
        AtomicInteger woken = new AtomicInteger();
        memory.onAppend(woken::incrementAndGet);
        AppendResult appended = memory.appendAtHead(new AppendRequest(C1, ExpectedVersion.exactly(1), one,
                Metadata.empty(), null), head).orElseThrow();
        assertEquals(2, appended.streamVersion());
        assertEquals(new Counter.Incremented(2), memory.load(C1).get(1).data());
        assertEquals(1, woken.get(), "subscriptions in the JVM are woken");
    }

    @Test
    void twoNodesHammeringTheSameStreamsLoseNoUpdate() throws Exception {
        CommandHandler<Integer, Command, Event> nodeA = CommandHandler.builder(store, counter.decider(), "counter")
                .cacheStates(10).retry(dev.eskit.Retry.attempts(50)).build();
        CommandHandler<Integer, Command, Event> nodeB = CommandHandler.builder(store, counter.decider(), "counter")
                .cacheStates(10).retry(dev.eskit.Retry.attempts(50)).build();
        int threads = 8;
        int perThread = 300;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<Integer>> done = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            CommandHandler<Integer, Command, Event> node = t % 2 == 0 ? nodeA : nodeB;
            int thread = t;
            done.add(pool.submit(() -> {
                start.await();
                int sum = 0;
                for (int i = 0; i < perThread; i++) {
                    String id = "c-" + ((thread + i) % 3);
                    node.handle(id, new Increment(id, 1));
                    sum++;
                }
                return sum;
            }));
        }
        start.countDown();
        int total = 0;
        for (Future<Integer> future : done) {
            total += future.get(60, TimeUnit.SECONDS);
        }
        pool.shutdown();
        assertEquals(threads * perThread, total);
        int folded = freshFold("c-0") + freshFold("c-1") + freshFold("c-2");
        assertEquals(total, folded, "every acknowledged increment is in the streams, once");
        assertTrue(store.headHits.get() > 0, "warm commands appended at their head");
    }
}
