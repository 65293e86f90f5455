package dev.eskit.command;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.eskit.ConcurrencyException;
import dev.eskit.Decider;
import dev.eskit.EskitException;
import dev.eskit.EventStore;
import dev.eskit.ExpectedVersion;
import dev.eskit.InvalidStreamException;
import dev.eskit.Metadata;
import dev.eskit.Position;
import dev.eskit.StoredEvent;
import dev.eskit.StreamRef;
import dev.eskit.command.Counter.Command;
import dev.eskit.command.Counter.Decrement;
import dev.eskit.command.Counter.Decremented;
import dev.eskit.command.Counter.Event;
import dev.eskit.command.Counter.Increment;
import dev.eskit.command.Counter.Incremented;
import dev.eskit.command.Counter.Noop;
import dev.eskit.command.Counter.NotEnough;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class CommandHandlerTest {

    private final Counter counter = new Counter();
    private final EventStore store = EventStore.inMemory(Counter.TYPES);
    private final CommandHandler<Integer, Command, Event> handler = CommandHandler.of(store, counter.decider(),
            "counter");

    private static final StreamRef C1 = StreamRef.of("counter", "c-1");

    private List<Object> storedData() {
        List<Object> data = new ArrayList<>();
        for (StoredEvent<Object> event : store.load(C1)) {
            data.add(event.data());
        }
        return data;
    }

    @Test
    void aCommandOnANewStreamAppendsItsEvents() {
        CommandResult<Integer, Event> result = handler.handle("c-1", new Increment("c-1", 5));
        assertEquals(5, result.state());
        assertEquals(1, result.version());
        assertEquals(List.of(new Incremented(5)), result.eventData());
        assertEquals(C1, result.events().get(0).stream());
        assertEquals(List.of(new Incremented(5)), storedData());
    }

    @Test
    void theDecisionSeesTheStateFoldedFromTheStream() {
        handler.handle("c-1", new Increment("c-1", 3));
        handler.handle("c-1", new Increment("c-1", 4));
        CommandResult<Integer, Event> result = handler.handle("c-1", new Decrement("c-1", 6));
        assertEquals(1, result.state());
        assertEquals(3, result.version());
        assertThrows(NotEnough.class, () -> handler.handle("c-1", new Decrement("c-1", 2)));
        assertEquals(List.of(new Incremented(3), new Incremented(4), new Decremented(6)), storedData());
    }

    @Test
    void aRejectedCommandWritesNothing() {
        handler.handle("c-1", new Increment("c-1", 1));
        NotEnough error = assertThrows(NotEnough.class, () -> handler.handle("c-1", new Decrement("c-1", 5)));
        assertTrue(error.getMessage().contains("less than 5"));
        assertEquals(1, store.streamVersion(C1));
    }

    @Test
    void aCommandThatDecidesNothingWritesNothingAndReturnsTheCurrentState() {
        handler.handle("c-1", new Increment("c-1", 2));
        CommandResult<Integer, Event> result = handler.handle("c-1", new Noop("c-1"));
        assertEquals(2, result.state());
        assertEquals(1, result.version());
        assertEquals(List.of(), result.events());
        assertEquals(1, store.streamVersion(C1));
        assertEquals(List.of(), store.readAll(store.load(C1).get(0).position(), 10));
    }

    @Test
    void aDeciderThatReturnsNullIsReportedWithoutWriting() {
        Decider<Integer, Command, Event> broken = new Decider<>() {
            @Override
            public Integer initialState() {
                return 0;
            }

            @Override
            public List<Event> decide(Integer state, Command command) {
                return null;
            }

            @Override
            public Integer evolve(Integer state, Event event) {
                return state;
            }
        };
        EskitException error = assertThrows(EskitException.class,
                () -> CommandHandler.of(store, broken, "counter").handle("c-1", new Noop("c-1")));
        assertTrue(error.getMessage().contains("returned null"), error.getMessage());
        assertEquals(0, store.streamVersion(C1));
    }

    @Test
    void anInvalidStreamIdIsRejectedBeforeDeciding() {
        assertThrows(InvalidStreamException.class, () -> handler.handle("", new Increment("", 1)));
        assertThrows(InvalidStreamException.class, () -> handler.handle("a\0b", new Increment("a", 1)));
        assertEquals(0, counter.decisions.get());
    }

    @Test
    void anInvalidStreamTypeIsRejectedWhenTheHandlerIsBuilt() {
        assertThrows(InvalidStreamException.class, () -> CommandHandler.of(store, counter.decider(), ""));
        assertThrows(InvalidStreamException.class,
                () -> CommandHandler.of(store, counter.decider(), "x".repeat(257)));
    }

    @Test
    void correlationAndCausationDefaultToTheCommandId() {
        handler.handle("c-1", new Increment("c-1", 1), new CommandContext("cmd-42", Metadata.empty(), null));
        Metadata metadata = store.load(C1).get(0).metadata();
        assertEquals("cmd-42", metadata.correlationId());
        assertEquals("cmd-42", metadata.causationId());
    }

    @Test
    void aFreshContextGetsAUniqueCommandId() {
        CommandContext first = CommandContext.create();
        CommandContext second = CommandContext.create();
        assertNotNull(first.commandId());
        assertNotEquals(first.commandId(), second.commandId());
        handler.handle("c-1", new Increment("c-1", 1));
        Metadata metadata = store.load(C1).get(0).metadata();
        assertNotNull(metadata.correlationId());
        assertEquals(metadata.correlationId(), metadata.causationId());
    }

    @Test
    void contextMetadataFlowsIntoEveryStoredEvent() {
        Metadata given = new Metadata("corr-1", "event-9", "user-7", "api", Map.of("tenant", "acme"));
        handler.handle("c-1", new Increment("c-1", 1), CommandContext.of(given));
        assertEquals(given, store.load(C1).get(0).metadata());
    }

    @Test
    void aGivenCorrelationIsKeptAndOnlyCausationDefaults() {
        CommandContext context = new CommandContext("cmd-1", Metadata.correlatedBy("saga-5"), null);
        handler.handle("c-1", new Increment("c-1", 1), context);
        Metadata metadata = store.load(C1).get(0).metadata();
        assertEquals("saga-5", metadata.correlationId());
        assertEquals("cmd-1", metadata.causationId());
    }

    @Test
    void aRetriedIdempotentCommandReturnsTheOriginalEventsAndWritesNothing() {
        CommandContext context = CommandContext.create().withIdempotencyKey("req-1");
        CommandResult<Integer, Event> first = handler.handle("c-1", new Increment("c-1", 5), context);
        CommandResult<Integer, Event> retry = handler.handle("c-1", new Increment("c-1", 5), context);
        assertEquals(first.events().get(0).id(), retry.events().get(0).id());
        assertEquals(5, retry.state());
        assertEquals(1, store.streamVersion(C1));
    }

    @Test
    void anIdempotentRetryAfterOtherWritesReturnsTheOriginalEventsAndTheCurrentState() {
        CommandContext context = CommandContext.create().withIdempotencyKey("req-1");
        CommandResult<Integer, Event> first = handler.handle("c-1", new Increment("c-1", 5), context);
        handler.handle("c-1", new Increment("c-1", 10));
        CommandResult<Integer, Event> retry = handler.handle("c-1", new Increment("c-1", 5), context);
        assertEquals(first.events().get(0).id(), retry.events().get(0).id());
        assertEquals(15, retry.state());
        assertEquals(2, store.streamVersion(C1));
    }

    @Test
    void anIdempotentRetryOfACommandThatIsNoLongerValidStillReturnsTheOriginalResult() {
        handler.handle("c-1", new Increment("c-1", 5));
        CommandContext context = CommandContext.create().withIdempotencyKey("withdraw-all");
        CommandResult<Integer, Event> first = handler.handle("c-1", new Decrement("c-1", 5), context);
        // Deciding again would throw NotEnough: the count is 0 now. The retry must not decide again.
        CommandResult<Integer, Event> retry = handler.handle("c-1", new Decrement("c-1", 5), context);
        assertEquals(first.events().get(0).id(), retry.events().get(0).id());
        assertEquals(0, retry.state());
        assertEquals(2, retry.version());
        assertEquals(2, store.streamVersion(C1));
    }

    @Test
    void anIdempotentRetryReportsTheCurrentVersionWithTheCurrentState() {
        CommandContext context = CommandContext.create().withIdempotencyKey("req-1");
        handler.handle("c-1", new Increment("c-1", 5), context);
        handler.handle("c-1", new Increment("c-1", 10));
        CommandResult<Integer, Event> retry = handler.handle("c-1", new Increment("c-1", 5), context);
        assertEquals(15, retry.state());
        assertEquals(2, retry.version());
        assertEquals(1, retry.events().get(0).version());
    }

    @Test
    void anIdempotencyKeyFirstUsedOnAnotherStreamIsRejected() {
        CommandContext context = CommandContext.create().withIdempotencyKey("req-1");
        handler.handle("c-1", new Increment("c-1", 5), context);
        assertThrows(dev.eskit.IdempotencyKeyReusedException.class,
                () -> handler.handle("c-2", new Increment("c-2", 5), context));
        assertEquals(0, store.streamVersion(StreamRef.of("counter", "c-2")));
    }

    @Test
    void aConflictIsRetriedWithTheFreshStateWhenARetryPolicyIsSet() {
        InterferingStore interfering = new InterferingStore(store, 1);
        CommandHandler<Integer, Command, Event> retrying = CommandHandler.builder(interfering, counter.decider(),
                "counter").retry(new RetryPolicy(3, Duration.ZERO, Duration.ZERO)).build();
        CommandResult<Integer, Event> result = retrying.handle("c-1", new Increment("c-1", 1));
        assertEquals(101, result.state());
        assertEquals(2, result.version());
        assertEquals(2, interfering.appendCalls.get());
        assertEquals(2, counter.decisions.get());
        assertEquals(List.of(new Incremented(100), new Incremented(1)), storedData());
    }

    @Test
    void withoutARetryPolicyTheConflictSurfacesAndTheCommandWritesNothing() {
        InterferingStore interfering = new InterferingStore(store, 1);
        CommandHandler<Integer, Command, Event> once = CommandHandler.of(interfering, counter.decider(), "counter");
        ConcurrencyException conflict = assertThrows(ConcurrencyException.class,
                () -> once.handle("c-1", new Increment("c-1", 1)));
        assertEquals(ExpectedVersion.noStream(), conflict.expected());
        assertEquals(1, conflict.actualVersion());
        assertEquals(List.of(new Incremented(100)), storedData());
    }

    @Test
    void theConflictSurfacesWhenEveryAttemptLoses() {
        InterferingStore interfering = new InterferingStore(store, Integer.MAX_VALUE);
        CommandHandler<Integer, Command, Event> retrying = CommandHandler.builder(interfering, counter.decider(),
                "counter").retry(new RetryPolicy(4, Duration.ZERO, Duration.ZERO)).build();
        assertThrows(ConcurrencyException.class, () -> retrying.handle("c-1", new Increment("c-1", 1)));
        assertEquals(4, interfering.appendCalls.get());
        assertEquals(4, counter.decisions.get());
        assertEquals(Collections.nCopies(4, new Incremented(100)), storedData());
    }

    @Test
    void eightThreadsIncrementingOneCounterWithRetriesLoseNoIncrement() throws Exception {
        int threads = 8;
        int perThread = 50;
        CommandHandler<Integer, Command, Event> retrying = CommandHandler.builder(store, counter.decider(),
                "counter").retry(new RetryPolicy(100, Duration.ofNanos(50_000), Duration.ofMillis(2))).build();
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        CountDownLatch go = new CountDownLatch(1);
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                futures.add(pool.submit(() -> {
                    assertTrue(go.await(30, TimeUnit.SECONDS));
                    for (int i = 0; i < perThread; i++) {
                        retrying.handle("c-1", new Increment("c-1", 1));
                    }
                    return null;
                }));
            }
            go.countDown();
            for (Future<?> future : futures) {
                try {
                    future.get(120, TimeUnit.SECONDS);
                } catch (ExecutionException e) {
                    throw new AssertionError("a writer failed", e.getCause());
                }
            }
        } finally {
            pool.shutdownNow();
            assertTrue(pool.awaitTermination(30, TimeUnit.SECONDS));
        }
        assertEquals(threads * perThread, store.streamVersion(C1));
        assertEquals(threads * perThread, counter.decider().fold(storedData().stream().map(Event.class::cast)
                .toList()));
        assertEquals(threads * perThread, store.readAll(Position.START, 10_000).size());
    }

    @Test
    void middlewareRunsInTheOrderAddedAroundTheCommand() {
        List<String> calls = Collections.synchronizedList(new ArrayList<>());
        CommandHandler<Integer, Command, Event> withMiddleware = CommandHandler.builder(store, counter.decider(),
                        "counter")
                .middleware((command, next) -> {
                    calls.add("outer before");
                    CommandResult<?, ?> result = next.proceed(command);
                    calls.add("outer after");
                    return result;
                })
                .middleware((command, next) -> {
                    calls.add("inner before, decisions=" + counter.decisions.get());
                    CommandResult<?, ?> result = next.proceed(command);
                    calls.add("inner after, decisions=" + counter.decisions.get());
                    return result;
                })
                .build();
        withMiddleware.handle("c-1", new Increment("c-1", 1));
        assertEquals(List.of("outer before", "inner before, decisions=0", "inner after, decisions=1",
                "outer after"), calls);
    }

    @Test
    void middlewareRunsOnceEvenWhenTheCommandIsRetried() {
        List<String> calls = new ArrayList<>();
        InterferingStore interfering = new InterferingStore(store, 2);
        CommandHandler<Integer, Command, Event> retrying = CommandHandler.builder(interfering, counter.decider(),
                        "counter")
                .retry(new RetryPolicy(5, Duration.ZERO, Duration.ZERO))
                .middleware((command, next) -> {
                    calls.add("middleware");
                    return next.proceed(command);
                })
                .build();
        retrying.handle("c-1", new Increment("c-1", 1));
        assertEquals(List.of("middleware"), calls);
        assertEquals(3, counter.decisions.get());
    }

    @Test
    void middlewareCanEnrichTheMetadataOfTheStoredEvents() {
        CommandHandler<Integer, Command, Event> enriching = CommandHandler.builder(store, counter.decider(),
                        "counter")
                .middleware((command, next) -> next.proceed(command.withContext(command.context().withMetadata(
                        command.context().metadata().withInitiator("user-7").with("ip", "127.0.0.1")))))
                .middleware((command, next) -> next.proceed(command.withContext(command.context().withMetadata(
                        command.context().metadata().withOriginator("node-" + command.stream().id())))))
                .build();
        enriching.handle("c-1", new Increment("c-1", 1),
                new CommandContext("cmd-1", Metadata.correlatedBy("corr-1"), null));
        Metadata metadata = store.load(C1).get(0).metadata();
        assertEquals(new Metadata("corr-1", "cmd-1", "user-7", "node-c-1", Map.of("ip", "127.0.0.1")), metadata);
    }

    @Test
    void middlewareCanRejectACommandBeforeItIsDecided() {
        CommandHandler<Integer, Command, Event> guarded = CommandHandler.builder(store, counter.decider(), "counter")
                .middleware((command, next) -> {
                    throw new SecurityException("not allowed on " + command.stream());
                })
                .build();
        assertThrows(SecurityException.class, () -> guarded.handle("c-1", new Increment("c-1", 1)));
        assertEquals(0, counter.decisions.get());
        assertEquals(0, store.streamVersion(C1));
    }

    @Test
    void middlewareSeesTheTargetStreamAndCommand() {
        List<CommandEnvelope> seen = new ArrayList<>();
        CommandHandler<Integer, Command, Event> observed = CommandHandler.builder(store, counter.decider(), "counter")
                .middleware((command, next) -> {
                    seen.add(command);
                    return next.proceed(command);
                })
                .build();
        CommandContext context = CommandContext.create();
        observed.handle("c-1", new Increment("c-1", 2), context);
        assertEquals(List.of(new CommandEnvelope(C1, new Increment("c-1", 2), context)), seen);
    }

    @Test
    void retryPolicyRejectsOutOfRangeSettings() {
        assertThrows(dev.eskit.InvalidInputException.class, () -> new RetryPolicy(0, Duration.ZERO, Duration.ZERO));
        assertThrows(dev.eskit.InvalidInputException.class,
                () -> new RetryPolicy(101, Duration.ZERO, Duration.ZERO));
        assertThrows(dev.eskit.InvalidInputException.class,
                () -> new RetryPolicy(3, Duration.ofMillis(-1), Duration.ZERO));
        assertThrows(dev.eskit.InvalidInputException.class,
                () -> new RetryPolicy(3, Duration.ofMillis(10), Duration.ofMillis(5)));
        assertEquals(1, RetryPolicy.none().maxAttempts());
        assertEquals(3, RetryPolicy.attempts(3).maxAttempts());
    }

    @Test
    void backoffGrowsExponentiallyWithJitterUpToTheCap() {
        RetryPolicy policy = new RetryPolicy(10, Duration.ofMillis(8), Duration.ofMillis(50));
        for (int i = 0; i < 200; i++) {
            Duration second = policy.backoff(2);
            assertFalse(second.compareTo(Duration.ofMillis(4)) < 0, second.toString());
            assertFalse(second.compareTo(Duration.ofMillis(8)) > 0, second.toString());
            Duration third = policy.backoff(3);
            assertFalse(third.compareTo(Duration.ofMillis(8)) < 0, third.toString());
            assertFalse(third.compareTo(Duration.ofMillis(16)) > 0, third.toString());
            Duration late = policy.backoff(60);
            assertFalse(late.compareTo(Duration.ofMillis(25)) < 0, late.toString());
            assertFalse(late.compareTo(Duration.ofMillis(50)) > 0, late.toString());
        }
        assertEquals(Duration.ZERO, RetryPolicy.none().backoff(2));
    }
}
