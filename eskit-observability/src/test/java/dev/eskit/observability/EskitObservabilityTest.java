package dev.eskit.observability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.eskit.ConcurrencyException;
import dev.eskit.Decider;
import dev.eskit.EventStore;
import dev.eskit.ExpectedVersion;
import dev.eskit.Metadata;
import dev.eskit.StreamRef;
import dev.eskit.codec.EventTypes;
import dev.eskit.command.CommandBus;
import dev.eskit.command.CommandContext;
import dev.eskit.command.CommandRoute;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class EskitObservabilityTest {

    record Add(String id, int amount) {
    }

    record Added(int amount) {
    }

    static final class TooMuch extends RuntimeException {
        private static final long serialVersionUID = 1L;

        TooMuch() {
            super("too much");
        }
    }

    private static final EventTypes TYPES = EventTypes.builder().add("tally.Added", Added.class).build();
    private static final Decider<Integer, Add, Added> DECIDER = Decider.of(() -> 0, (Integer total, Add add) -> {
        if (add.amount() > 100) {
            throw new TooMuch();
        }
        return List.of(new Added(add.amount()));
    }, (Integer total, Added added) -> total + added.amount());

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final InMemorySpanExporter spans = InMemorySpanExporter.create();
    private final SdkTracerProvider tracerProvider = SdkTracerProvider.builder()
            .addSpanProcessor(SimpleSpanProcessor.create(spans)).build();
    private final OpenTelemetrySdk otel = OpenTelemetrySdk.builder().setTracerProvider(tracerProvider).build();

    @AfterEach
    void closeTracing() {
        tracerProvider.close();
    }

    private CommandBus bus(EskitObservability observability, EventStore store) {
        return CommandBus.builder(store)
                .middleware(observability.commandMiddleware())
                .register(CommandRoute.of(Add.class, "tally", Add::id, DECIDER))
                .build();
    }

    @Test
    void unconfiguredObservabilityLeavesTheStoreUnwrappedAndAddsNoMiddleware() {
        EskitObservability none = EskitObservability.builder().build();
        EventStore store = EventStore.inMemory(TYPES);
        assertSame(store, none.instrument(store));
        assertTrue(!none.isEnabled());
        CommandBus bus = bus(none, store);
        assertEquals(1, bus.send(new Add("t", 1)).version());
        none.subscriptionLag("s", () -> 1); // no registry: nothing to publish to, no failure
    }

    @Test
    void appendsPublishLatencyAndEventCountsPerStreamType() {
        EskitObservability observability = EskitObservability.builder().meterRegistry(registry).build();
        EventStore store = observability.instrument(EventStore.inMemory(TYPES));
        store.append(StreamRef.of("tally", "t"), ExpectedVersion.noStream(), List.of(new Added(1), new Added(2)));
        store.append(StreamRef.of("tally", "t"), ExpectedVersion.exactly(2), List.of(new Added(3)));
        assertThrows(ConcurrencyException.class, () -> store.append(StreamRef.of("tally", "t"),
                ExpectedVersion.noStream(), List.of(new Added(4))));

        assertEquals(3.0, registry.get("eskit.events.appended").tag("stream.type", "tally").counter().count());
        assertEquals(2, registry.get("eskit.append").tags("stream.type", "tally", "outcome", "success").timer()
                .count());
        assertEquals(1, registry.get("eskit.append").tags("outcome", "conflict").timer().count());
    }

    @Test
    void commandsPublishTheirOutcome() {
        EskitObservability observability = EskitObservability.builder().meterRegistry(registry).build();
        CommandBus bus = bus(observability, observability.instrument(EventStore.inMemory(TYPES)));
        bus.send(new Add("t", 5));
        bus.send(new Add("t", 6));
        assertThrows(TooMuch.class, () -> bus.send(new Add("t", 500)));
        assertEquals(2, registry.get("eskit.command").tags("command", "Add", "outcome", "success").timer().count());
        assertEquals(1, registry.get("eskit.command").tags("command", "Add", "outcome", "rejected").timer().count());
    }

    @Test
    void stateCachesArePublishedPerStreamType() {
        EskitObservability observability = EskitObservability.builder().meterRegistry(registry).build();
        EventStore store = EventStore.inMemory(TYPES);
        CommandBus bus = CommandBus.builder(store).cacheStates(50)
                .register(CommandRoute.of(Add.class, "tally", Add::id, DECIDER))
                .build();
        observability.stateCaches(bus);
        bus.send(new Add("t", 1));                     // a miss
        bus.send(new Add("t", 2));                     // a hit
        bus.send(new Add("u", 3));                     // a miss
        CommandBus other = CommandBus.builder(store).cacheStates(0)
                .register(CommandRoute.of(Add.class, "tally", Add::id, DECIDER)).build();
        other.send(new Add("t", 4));                   // another writer
        bus.send(new Add("t", 5));                     // decided on the cache, moved on, read after it: two hits

        assertEquals(2.0, registry.get("eskit.commands.state_cache.streams").tag("stream.type", "tally").gauge()
                .value());
        assertEquals(50.0, registry.get("eskit.commands.state_cache.max_streams").gauge().value());
        assertEquals(3.0, registry.get("eskit.commands.state_cache.hits").tag("stream.type", "tally")
                .functionCounter().count());
        assertEquals(2.0, registry.get("eskit.commands.state_cache.misses").functionCounter().count());
        assertEquals(1.0, registry.get("eskit.commands.state_cache.moved_on").functionCounter().count());
        assertEquals(0.0, registry.get("eskit.commands.state_cache.evictions").functionCounter().count());

        SimpleMeterRegistry none = new SimpleMeterRegistry();
        EskitObservability.builder().meterRegistry(none).build().stateCaches(other);
        assertTrue(none.getMeters().isEmpty(), "a bus without caches publishes nothing");
        EskitObservability.builder().build().stateCaches(bus); // no registry: nothing to publish to, no failure
    }

    @Test
    void subscriptionLagAndDeadLettersAreGauges() {
        EskitObservability observability = EskitObservability.builder().meterRegistry(registry).build();
        AtomicLong lag = new AtomicLong(7);
        observability.subscriptionLag("balances", lag::get);
        observability.deadLetters("balances", () -> 2);
        assertEquals(7.0, registry.get("eskit.subscription.lag").tag("subscription", "balances").gauge().value());
        lag.set(0);
        assertEquals(0.0, registry.get("eskit.subscription.lag").gauge().value());
        assertEquals(2.0, registry.get("eskit.subscription.dead_letters").gauge().value());
    }

    @Test
    void aHaltedSubscriptionShowsInItsGauges() {
        EskitObservability observability = EskitObservability.builder().meterRegistry(registry).build();
        EventStore store = EventStore.inMemory(TYPES);
        store.append(dev.eskit.StreamRef.of("t", "1"), dev.eskit.ExpectedVersion.any(), List.of(new Added(1)));
        dev.eskit.subscription.Subscription s = dev.eskit.subscription.Subscription.builder("poisoned", store,
                        dev.eskit.subscription.CheckpointStore.inMemory())
                .retry(dev.eskit.subscription.Backoff.noRetry())
                .handler(event -> {
                    throw new IllegalStateException("poison");
                }).build();
        observability.subscription(s);
        s.start();
        assertThrows(dev.eskit.subscription.SubscriptionException.class,
                () -> s.awaitCaughtUp(java.time.Duration.ofSeconds(20)));
        s.stop();
        assertEquals(1.0, registry.get("eskit.subscription.halted").tag("subscription", "poisoned").gauge().value());
        assertEquals(1.0, registry.get("eskit.subscription.lag").tag("subscription", "poisoned").gauge().value());
        assertEquals(0.0, registry.get("eskit.subscription.held_back.seconds").tag("subscription", "poisoned")
                .gauge().value());
    }

    @Test
    void aCommandSpanParentsTheAppendSpanAndCarriesTheCorrelationId() {
        EskitObservability observability = EskitObservability.builder().openTelemetry(otel).build();
        CommandBus bus = bus(observability, observability.instrument(EventStore.inMemory(TYPES)));
        CommandContext context = new CommandContext("cmd-1", Metadata.correlatedBy("corr-9"), null);
        bus.send(new Add("t", 5), context);

        List<SpanData> finished = spans.getFinishedSpanItems();
        assertEquals(2, finished.size());
        SpanData append = finished.stream().filter(s -> s.getName().equals("eskit.append")).findFirst().orElseThrow();
        SpanData command = finished.stream().filter(s -> s.getName().equals("eskit.command Add")).findFirst()
                .orElseThrow();
        assertEquals(command.getSpanContext().getSpanId(), append.getParentSpanId());
        assertEquals(command.getTraceId(), append.getTraceId());
        assertEquals("corr-9", command.getAttributes().get(TraceAttributes.CORRELATION_ID));
        assertEquals("cmd-1", command.getAttributes().get(TraceAttributes.COMMAND_ID));
        assertEquals("corr-9", append.getAttributes().get(TraceAttributes.CORRELATION_ID));
        assertEquals("cmd-1", append.getAttributes().get(TraceAttributes.CAUSATION_ID));
        assertEquals("t", append.getAttributes().get(TraceAttributes.STREAM_ID));
        assertEquals(1L, append.getAttributes().get(TraceAttributes.EVENT_COUNT));
    }

    /**
     * With a state cache on an instrumented in-memory store, commands append at their stream's head through the
     * decorators: timed and traced as appends; one that finds the stream moved on counts as a conflict and is traced
     * as missed, and the command still succeeds (read again, appended at the head it read).
     */
    @Test
    void appendsAtAStreamsHeadAreMeteredAndTracedThroughTheDecorators() {
        EskitObservability observability = EskitObservability.builder().meterRegistry(registry).openTelemetry(otel)
                .build();
        dev.eskit.store.InMemoryEventStore memory = EventStore.inMemory(TYPES);
        EventStore store = observability.instrument(memory);
        assertTrue(((dev.eskit.store.HeadAppender) store).appendsAtHead());
        CommandBus bus = CommandBus.builder(store).register(CommandRoute.of(Add.class, "tally", Add::id, DECIDER))
                .cacheStates(10).build();
        bus.send(new Add("t", 1));
        bus.send(new Add("t", 2));
        memory.append(StreamRef.of("tally", "t"), ExpectedVersion.exactly(2), List.of(new Added(10)));
        assertEquals(13, (Integer) bus.send(new Add("t", 0)).state());

        assertEquals(3, registry.get("eskit.append").tags("stream.type", "tally", "outcome", "success").timer()
                .count());
        assertEquals(1, registry.get("eskit.append").tags("outcome", "conflict").timer().count());
        assertEquals(3.0, registry.get("eskit.events.appended").tag("stream.type", "tally").counter().count());
        List<SpanData> heads = spans.getFinishedSpanItems().stream()
                .filter(span -> span.getAttributes().get(TraceAttributes.HEAD_MISSED) != null).toList();
        // The second command's hit, the third's miss, then its append at the head it read again: a hit.
        assertEquals(List.of(false, true, false), heads.stream()
                .map(span -> span.getAttributes().get(TraceAttributes.HEAD_MISSED)).toList());
    }

    @Test
    void aRejectedCommandEndsItsSpanWithAnErrorAndNoAppendSpan() {
        EskitObservability observability = EskitObservability.builder().openTelemetry(otel).build();
        CommandBus bus = bus(observability, observability.instrument(EventStore.inMemory(TYPES)));
        assertThrows(TooMuch.class, () -> bus.send(new Add("t", 500)));
        List<SpanData> finished = spans.getFinishedSpanItems();
        assertEquals(1, finished.size());
        assertEquals(StatusCode.ERROR, finished.get(0).getStatus().getStatusCode());
        assertEquals(1, finished.get(0).getEvents().size()); // the recorded exception
    }

    @Test
    void metricsAndTracingTogetherBothSeeEveryAppend() {
        EskitObservability observability = EskitObservability.builder().meterRegistry(registry).openTelemetry(otel)
                .build();
        CommandBus bus = bus(observability, observability.instrument(EventStore.inMemory(TYPES)));
        bus.send(new Add("t", 1));
        assertEquals(2, spans.getFinishedSpanItems().size());
        assertEquals(1.0, registry.get("eskit.events.appended").counter().count());
        assertEquals(1, registry.get("eskit.command").timer().count());
    }
}
