package dev.eskit.command.queue;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.eskit.AppendRequest;
import dev.eskit.AppendResult;
import dev.eskit.ConcurrencyException;
import dev.eskit.Decider;
import dev.eskit.EventStore;
import dev.eskit.Metadata;
import dev.eskit.Retry;
import dev.eskit.StreamRef;
import dev.eskit.UnknownCommandException;
import dev.eskit.codec.EventTypes;
import dev.eskit.command.CommandBus;
import dev.eskit.command.CommandContext;
import dev.eskit.command.CommandRoute;
import dev.eskit.command.CommandType;
import dev.eskit.command.CommandTypes;
import dev.eskit.store.ForwardingEventStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class CommandQueueTest {

    record Add(String counter, int by) {
    }

    record Fail(String counter) {
    }

    record Unlisted(String counter) {
    }

    record Note(String counter, String text) {
    }

    record Added(int by) {
    }

    static final Decider<Integer, Object, Added> DECIDER = Decider.of(() -> 0, (Integer count, Object c) -> {
        if (c instanceof Fail) {
            throw new IllegalStateException("refused at " + count);
        }
        return List.of(new Added(c instanceof Note ? 1 : ((Add) c).by()));
    }, (Integer count, Added e) -> count + e.by());

    static final CommandTypes TYPES = CommandTypes.of(CommandType.of("test.Add", Add.class),
            CommandType.of("test.Fail", Fail.class), CommandType.of("test.Note", Note.class));

    private final EventStore store = EventStore.inMemory(EventTypes.builder().add("test.Added", Added.class).build());
    private final ManualClock clock = new ManualClock();
    private final CommandQueueStore queueStore = new InMemoryCommandQueueStore(clock);

    private CommandBus bus(EventStore on) {
        return CommandBus.builder(on).register(List.of(
                CommandRoute.of(Add.class, "counter", Add::counter, DECIDER),
                CommandRoute.of(Fail.class, "counter", Fail::counter, DECIDER),
                CommandRoute.of(Note.class, "counter", Note::counter, DECIDER))).build();
    }

    private CommandQueue.Builder queue(EventStore on) {
        return CommandQueue.builder(queueStore, bus(on), TYPES).clock(clock)
                .retry(Retry.exponential(3, Duration.ofSeconds(1), Duration.ofSeconds(4)));
    }

    private long version(String counter) {
        return store.streamVersion(StreamRef.of("counter", counter));
    }

    @Test
    void enqueueReturnsTheIdAtOnceAndAWorkerRunsTheCommand() throws Exception {
        CommandQueue queue = queue(store).build();
        String id = queue.enqueue(new Add("c", 2), CommandContext.of(Metadata.correlatedBy("req-1")));
        assertEquals(QueueStatus.PENDING, queue.find(id).orElseThrow().status());
        assertEquals(0, version("c"));
        CompletableFuture<QueueResult> awaited = queue.await(id);
        assertFalse(awaited.isDone());

        assertEquals(1, queue.runOnce());
        QueueResult result = awaited.get(1, TimeUnit.SECONDS);
        assertTrue(result.succeeded());
        assertEquals(1, result.streamVersion());
        assertEquals(1, result.eventCount());
        assertEquals(store.load(StreamRef.of("counter", "c")).get(0).position(), result.firstPosition());
        assertEquals("req-1", store.load(StreamRef.of("counter", "c")).get(0).metadata().correlationId());
        QueuedCommand done = queue.find(id).orElseThrow();
        assertEquals(QueueStatus.SUCCEEDED, done.status());
        assertNull(done.payload(), "a finished command keeps no payload");
        assertEquals(result, queue.await(id).getNow(null));
    }

    @Test
    void aRefusedCommandIsRejectedWithTheDecidersError() throws Exception {
        CommandQueue queue = queue(store).build();
        String id = queue.enqueue(new Fail("c"));
        queue.runOnce();
        QueueResult result = queue.await(id).get(1, TimeUnit.SECONDS);
        assertEquals(QueueStatus.REJECTED, result.status());
        assertEquals("java.lang.IllegalStateException: refused at 0", result.error());
        assertEquals(1, queue.find(id).orElseThrow().attempts());
    }

    @Test
    void unknownTypesAndBadPayloadsGoDeadWithAClearError() {
        CommandQueue queue = queue(store).build();
        Instant now = clock.instant();
        queueStore.enqueue(QueuedCommand.pending("u", "test.Gone", "{}", null, null, now));
        queueStore.enqueue(QueuedCommand.pending("b", "test.Add", "{\"counter\":\"c\",\"by\":\"lots\"}", null, null,
                now));
        queue.runOnce();

        QueuedCommand unknown = queue.find("u").orElseThrow();
        assertEquals(QueueStatus.DEAD, unknown.status());
        assertTrue(unknown.lastError().contains("Unknown command type \"test.Gone\""), unknown.lastError());
        QueuedCommand bad = queue.find("b").orElseThrow();
        assertEquals(QueueStatus.DEAD, bad.status());
        assertTrue(bad.lastError().contains("The payload of command \"test.Add\" does not read as"), bad.lastError());
        assertEquals(1, bad.attempts());
        assertEquals(2, queueStore.list(QueueStatus.DEAD, 10).size());
        assertEquals(0, version("c"));
    }

    @Test
    void enqueueRefusesAnUnknownCommandAndStoresNothing() {
        CommandQueue queue = queue(store).build();
        assertThrows(UnknownCommandException.class, () -> queue.enqueue(new Unlisted("c")));
        assertEquals(0, queueStore.list(QueueStatus.PENDING, 10).size());
    }

    @Test
    void enqueueRefusesACommandOverThePayloadLimitAndStoresNothing() {
        CommandQueue queue = queue(store).build();
        String text = "x".repeat(CommandQueue.MAX_PAYLOAD_BYTES);
        CommandTooLargeException refused = assertThrows(CommandTooLargeException.class,
                () -> queue.enqueue(new Note("z", text)));
        assertTrue(refused.getMessage().contains("more than the queue's limit of 16777216 bytes")
                && refused.getMessage().contains("nothing was queued"), refused.getMessage());
        assertThrows(CommandTooLargeException.class, () -> queue.enqueueAll(List.of(new Add("c", 1),
                new Note("z", text))));
        assertEquals(0, queueStore.list(QueueStatus.PENDING, 10).size());
        assertEquals(0, queue.runOnce());
    }

    @Test
    void eventsThatCannotBeEncodedMakeTheCommandDeadAtOnceNotRetried() {
        AtomicInteger appends = new AtomicInteger();
        EventStore unencodable = new ForwardingEventStore(store) {
            @Override
            public AppendResult append(AppendRequest request) {
                appends.incrementAndGet();
                throw new dev.eskit.EventEncodingException("Event \"test.Added\" encoded as JSON has a string of"
                        + " 20000017 characters, more than the reader's limit of 20000000", null);
            }
        };
        CommandQueue queue = queue(unencodable).build();
        String id = queue.enqueue(new Note("z", "short"));
        assertEquals(1, queue.runOnce());
        QueuedCommand dead = queue.find(id).orElseThrow();
        assertEquals(QueueStatus.DEAD, dead.status());
        assertEquals(1, dead.attempts());
        assertTrue(dead.lastError().startsWith("dev.eskit.EventEncodingException: Event \"test.Added\""),
                dead.lastError());
        clock.advance(Duration.ofMinutes(1));
        assertEquals(0, queue.runOnce(), "not retried");
        assertEquals(1, appends.get());
    }

    @Test
    void conflictsAreRetriedWithBackoffThenDead() {
        AtomicInteger appends = new AtomicInteger();
        EventStore conflicting = new ForwardingEventStore(store) {
            @Override
            public AppendResult append(AppendRequest request) {
                appends.incrementAndGet();
                throw new ConcurrencyException(request.stream(), request.expected(), 7);
            }
        };
        CommandQueue queue = queue(conflicting).build();
        String id = queue.enqueue(new Add("c", 1));
        assertEquals(1, queue.runOnce());
        QueuedCommand waiting = queue.find(id).orElseThrow();
        assertEquals(QueueStatus.PENDING, waiting.status());
        assertEquals(clock.instant().plusSeconds(1), waiting.availableAt());
        assertEquals(0, queue.runOnce(), "not before its backoff");
        clock.advance(Duration.ofSeconds(1));
        assertEquals(1, queue.runOnce());
        clock.advance(Duration.ofSeconds(2));
        assertEquals(1, queue.runOnce());
        QueuedCommand dead = queue.find(id).orElseThrow();
        assertEquals(QueueStatus.DEAD, dead.status());
        assertTrue(dead.lastError().startsWith("gave up after 3 attempts: dev.eskit.ConcurrencyException"),
                dead.lastError());
        assertEquals(3, appends.get());

        assertTrue(queueStore.requeue(id));
        assertEquals(QueueStatus.PENDING, queue.find(id).orElseThrow().status());
        assertFalse(queueStore.requeue(id));
    }

    @Test
    void aCommandWhoseWorkerDiedAfterItsAppendRunsAgainWithoutASecondEffect() {
        CommandQueue queue = queue(store).lease(Duration.ofSeconds(10)).build();
        String id = queue.enqueue(new Add("c", 5));
        // A worker claims it, appends, and dies before recording the outcome.
        QueueClaim claim = queueStore.claim("doomed", 1, Duration.ofSeconds(10)).get(0);
        bus(store).send(new Add("c", 5), new CommandContext(id, null, id));
        assertEquals(1, version("c"));
        assertEquals(0, queue.runOnce(), "the dead worker's lease still holds it");

        clock.advance(Duration.ofSeconds(11));
        assertEquals(1, queue.runOnce());
        QueuedCommand done = queue.find(id).orElseThrow();
        assertEquals(QueueStatus.SUCCEEDED, done.status());
        assertEquals(2, done.attempts());
        assertEquals(1, version("c"), "applied exactly once");
        assertFalse(queueStore.finish(claim, new QueueResult(id, QueueStatus.DEAD, 0, 0, null, null, "late")),
                "the first worker's claim is void");
    }

    @Test
    void aCommandWhoseLeasesKeepExpiringGoesDeadAfterItsAttemptsNamingTheLease() {
        CommandQueue queue = queue(store).lease(Duration.ofSeconds(10)).build();
        String id = queue.enqueue(new Add("c", 5));
        for (int i = 0; i < 3; i++) {
            // A worker claims it and its lease ends before it records anything (a batch longer than the lease).
            assertEquals(1, queueStore.claim("slow-" + i, 1, Duration.ofSeconds(10)).size());
            clock.advance(Duration.ofSeconds(11));
        }
        assertEquals(1, queue.runOnce());
        QueuedCommand dead = queue.find(id).orElseThrow();
        assertEquals(QueueStatus.DEAD, dead.status());
        assertTrue(dead.lastError().startsWith("gave up after 3 attempts: the lease of PT10S expired before the"
                + " command finished 3 times. Raise CommandQueue.Builder.lease"), dead.lastError());
        assertEquals(0, version("c"), "not run once more past its attempts");

        assertTrue(queueStore.requeue(id));
        assertEquals(1, queue.runOnce());
        assertEquals(QueueStatus.SUCCEEDED, queue.find(id).orElseThrow().status());
    }

    @Test
    void aQueuedCommandIsLoggedOnceUnderItsQueueIdEvenWhenItRunsTwice() {
        dev.eskit.command.log.CommandLog log = dev.eskit.command.log.CommandLog.inMemory();
        CommandBus logged = CommandBus.builder(store).register(List.of(
                        CommandRoute.of(Add.class, "counter", Add::counter, DECIDER)))
                .commandLog(dev.eskit.command.log.CommandRecorder.of(log, TYPES)).build();
        CommandQueue queue = CommandQueue.builder(queueStore, logged, TYPES).clock(clock).build();
        String id = queue.enqueue(new Add("c", 4));
        queueStore.claim("doomed", 1, Duration.ofSeconds(30));
        logged.send(new Add("c", 4), new CommandContext(id, null, id));
        clock.advance(Duration.ofSeconds(31));
        assertEquals(1, queue.runOnce());

        assertEquals(1, version("c"));
        assertEquals(1, log.list(dev.eskit.command.log.CommandLogQuery.latest(10)).size());
        assertEquals(1, log.find(id).orElseThrow().eventCount());
    }

    @Test
    void commandsOfOnePartitionRunOneAtATimeInEnqueueOrder() {
        CommandQueue queue = queue(store).partitionByStream().build();
        String first = queue.enqueue(new Add("p", 1));
        String second = queue.enqueue(new Add("p", 2));
        String other = queue.enqueue(new Add("q", 3));
        List<QueueClaim> claims = queueStore.claim("w", 10, Duration.ofSeconds(5));
        assertEquals(List.of(first, other), claims.stream().map(c -> c.command().id()).toList());
        assertTrue(queueStore.retry(claims.get(0), "conflict", clock.instant().plusSeconds(3)));
        assertEquals(List.of(), queueStore.claim("w", 10, Duration.ofSeconds(5)).stream()
                .map(c -> c.command().id()).filter(second::equals).toList(), "blocked behind the waiting first");
        clock.advance(Duration.ofSeconds(3));
        assertEquals(List.of(first), queueStore.claim("w", 10, Duration.ofSeconds(5)).stream()
                .map(c -> c.command().id()).toList());
    }

    @Test
    void aQueueOfNoTenantLeavesATenantsCommandsToTheTenant() {
        dev.eskit.tenancy.TenantId acme = dev.eskit.tenancy.TenantId.of("acme");
        CommandQueue acmeQueue = CommandQueue.builder(queueStore, bus(dev.eskit.tenancy.TenantScopedEventStore
                .of(store, acme)), TYPES).clock(clock).workers(0).build();
        String acmeId = acmeQueue.enqueue(new Add("c", 3));
        CommandQueue plain = queue(store).workers(0).build();

        assertEquals(0, plain.runOnce(), "a tenant's command is never claimed outside the tenant");
        assertEquals(0, version("c"));
        assertTrue(plain.find("acme::" + acmeId).isEmpty());
        assertEquals(List.of(), plain.store().list(QueueStatus.PENDING, 10));
        assertEquals(0, queueStore.find("acme::" + acmeId).orElseThrow().attempts());
        assertThrows(dev.eskit.tenancy.InvalidTenantException.class, () -> plain.enqueue(new Add("c", 1),
                dev.eskit.tenancy.Tenancy.withTenant(CommandContext.create(), acme)));
        assertThrows(dev.eskit.InvalidInputException.class, () -> plain.enqueue(new Add("c", 1),
                new CommandContext("acme::forged", null, null)));
        assertEquals(1, queueStore.list(QueueStatus.PENDING, 10).size(), "nothing refused was stored");

        assertEquals(1, acmeQueue.runOnce());
        assertEquals(1, store.streamVersion(StreamRef.of("acme::counter", "c")));
    }

    @Test
    void enqueuingAnIdTwiceStoresItOnce() {
        CommandQueue queue = queue(store).build();
        CommandContext context = new CommandContext("same", null, null);
        assertEquals("same", queue.enqueue(new Add("c", 1), context));
        assertEquals("same", queue.enqueue(new Add("c", 1), context));
        assertEquals(1, queue.runOnce());
        assertEquals(1, version("c"));
    }

    @Test
    void manyWorkerThreadsDrainEveryCommandExactlyOnce() throws Exception {
        CommandQueueStore shared = CommandQueueStore.inMemory();
        int commands = 2_000;
        int streams = 40;
        try (CommandQueue queue = CommandQueue.builder(shared, bus(store), TYPES).workers(4).batchSize(4)
                .retry(Retry.exponential(50, Duration.ofMillis(1), Duration.ofMillis(20)))
                .pollInterval(Duration.ofMillis(5)).build().start()) {
            List<CompletableFuture<QueueResult>> results = new java.util.ArrayList<>();
            for (int i = 0; i < commands; i++) {
                results.add(queue.await(queue.enqueue(new Add("s" + (i % streams), 1))));
            }
            CompletableFuture.allOf(results.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
            assertTrue(results.stream().allMatch(f -> f.join().succeeded()));
        }
        for (int s = 0; s < streams; s++) {
            assertEquals(commands / streams, version("s" + s));
        }
    }

    /** A clock the test moves. */
    static final class ManualClock extends Clock {
        private volatile Instant now = Instant.parse("2026-01-01T00:00:00Z");

        void advance(Duration by) {
            now = now.plus(by);
        }

        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }
}
