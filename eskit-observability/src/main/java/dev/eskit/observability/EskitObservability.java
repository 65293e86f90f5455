package dev.eskit.observability;

import dev.eskit.EventStore;
import dev.eskit.command.CommandBus;
import dev.eskit.command.CommandMiddleware;
import dev.eskit.command.StateCacheStats;
import dev.eskit.subscription.Subscription;
import dev.eskit.subscription.SubscriptionLag;
import dev.eskit.subscription.SubscriptionState;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.trace.Tracer;
import java.time.Duration;
import java.util.Objects;
import java.util.function.LongSupplier;
import java.util.function.ToLongFunction;

/**
 * Wires Micrometer metrics and OpenTelemetry spans into eskit. Configure either or both; whatever is not configured
 * is not wrapped at all, so it costs nothing (an unconfigured instance returns your store unchanged and a
 * pass-through middleware).
 *
 * <pre>{@code
 * EskitObservability observability = EskitObservability.builder()
 *     .meterRegistry(meterRegistry)
 *     .openTelemetry(GlobalOpenTelemetry.get())
 *     .build();
 * EventStore store = observability.instrument(JdbiEventStore.sqlite(url, types));
 * CommandBus bus = CommandBus.builder(store).middleware(observability.commandMiddleware())
 *     .register(AccountDecider.routes()).build();
 * }</pre>
 *
 * <p>Micrometer and OpenTelemetry are optional dependencies of this module: add the one you configure.
 */
public final class EskitObservability {

    /** The instrumentation scope name of eskit's tracer. */
    public static final String INSTRUMENTATION_NAME = "dev.eskit";

    private static final CommandMiddleware PASS_THROUGH = (command, next) -> next.proceed(command);

    private final MeterRegistry registry;
    private final Tracer tracer;

    private EskitObservability(Builder builder) {
        this.registry = builder.registry;
        this.tracer = builder.openTelemetry == null ? null
                : builder.openTelemetry.getTracer(INSTRUMENTATION_NAME);
    }

    /** A builder; configure a meter registry, OpenTelemetry, or both. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * {@code store} with metrics and spans around every append; {@code store} itself when neither is configured.
     * Reads pass straight through.
     */
    public EventStore instrument(EventStore store) {
        Objects.requireNonNull(store, "store");
        EventStore result = store;
        if (registry != null) {
            result = new MeteredEventStore(result, registry);
        }
        if (tracer != null) {
            // Outermost, so the span covers the metered call too.
            result = new TracingEventStore(result, tracer);
        }
        return result;
    }

    /**
     * One middleware that traces and measures every command (the span covers the measured call); a pass-through when
     * neither is configured. Add it before other middleware so the span and the timer cover them.
     */
    public CommandMiddleware commandMiddleware() {
        if (tracer == null && registry == null) {
            return PASS_THROUGH;
        }
        if (tracer == null) {
            return new MetricsMiddleware(registry);
        }
        TracingMiddleware tracing = new TracingMiddleware(tracer);
        if (registry == null) {
            return tracing;
        }
        MetricsMiddleware metrics = new MetricsMiddleware(registry);
        return (command, next) -> tracing.handle(command, inner -> metrics.handle(inner, next));
    }

    /** Whether metrics or spans are configured; when not, {@link #instrument(EventStore)} returns its argument. */
    public boolean isEnabled() {
        return tracer != null || registry != null;
    }

    /**
     * Publishes gauge {@code eskit.subscription.lag} (tag {@code subscription}): how many events of the global log
     * {@code subscription} has not processed yet, as {@code lag} reports it. Does nothing without a meter registry.
     * The gauge holds {@code lag} strongly, so it lives as long as the registry.
     */
    public void subscriptionLag(String subscription, LongSupplier lag) {
        gauge("eskit.subscription.lag", "Events a subscription has not processed yet", subscription, lag);
    }

    /**
     * Publishes gauge {@code eskit.subscription.dead_letters} (tag {@code subscription}): the dead-letter queue size
     * {@code size} reports. Does nothing without a meter registry.
     */
    public void deadLetters(String subscription, LongSupplier size) {
        gauge("eskit.subscription.dead_letters", "Events parked in a subscription's dead-letter queue", subscription,
                size);
    }

    /**
     * Publishes the gauges of a running subscription (tag {@code subscription}): {@code eskit.subscription.lag}
     * (events waiting), {@code eskit.subscription.lag.age.seconds} (age of the oldest),
     * {@code eskit.subscription.held_back.seconds} (how long events have waited behind an open append transaction,
     * 0 when none), {@code eskit.subscription.halted} (1 when it halted on a poison event) and
     * {@code eskit.subscription.dead_letters}. The lag is measured at most once a second, whatever the scrape rate.
     * Does nothing without a meter registry.
     */
    public void subscription(Subscription subscription) {
        Objects.requireNonNull(subscription, "subscription");
        if (registry == null) {
            return;
        }
        String name = subscription.name();
        LagCache lag = new LagCache(subscription);
        gauge("eskit.subscription.lag", "Events a subscription has not processed yet", name,
                () -> lag.get().events());
        gauge("eskit.subscription.lag.age.seconds", "Age of the oldest event a subscription has not processed", name,
                () -> lag.get().oldestAge().toSeconds());
        gauge("eskit.subscription.held_back.seconds", "How long committed events have waited behind an open append"
                + " transaction", name, () -> lag.get().heldBackAge().toSeconds());
        gauge("eskit.subscription.halted", "1 when the subscription halted on a poison event", name,
                () -> subscription.state() == SubscriptionState.HALTED ? 1 : 0);
        gauge("eskit.subscription.dead_letters", "Events parked in a subscription's dead-letter queue", name,
                () -> subscription.deadLetters().size());
    }

    /**
     * Publishes the state caches of {@code bus}'s command handlers ({@link CommandBus#stateCaches()}), tag
     * {@code stream.type}: gauges {@code eskit.commands.state_cache.streams} (streams cached now) and
     * {@code eskit.commands.state_cache.max_streams}, and counters {@code eskit.commands.state_cache.hits},
     * {@code .misses}, {@code .moved_on} (warm appends that found the stream moved on by another writer) and
     * {@code .evictions}; see {@link StateCacheStats}. A stream type whose handler has no cache gets no meters. Does
     * nothing without a meter registry. The meters hold {@code bus} strongly, so it lives as long as the registry.
     */
    public void stateCaches(CommandBus bus) {
        Objects.requireNonNull(bus, "bus");
        if (registry == null) {
            return;
        }
        for (String streamType : bus.stateCaches().keySet()) {
            StateCacheFigures figures = new StateCacheFigures(bus, streamType);
            Gauge.builder("eskit.commands.state_cache.streams", figures, f -> f.get().streams())
                    .description("Streams whose states a command handler keeps in memory now")
                    .tag("stream.type", streamType).strongReference(true).register(registry);
            Gauge.builder("eskit.commands.state_cache.max_streams", figures, f -> f.get().maxStreams())
                    .description("How many streams' states a command handler keeps at most")
                    .tag("stream.type", streamType).strongReference(true).register(registry);
            counter("eskit.commands.state_cache.hits", "Commands whose state came from the state cache", figures,
                    StateCacheStats::hits);
            counter("eskit.commands.state_cache.misses", "Commands whose state was folded without the state cache",
                    figures, StateCacheStats::misses);
            counter("eskit.commands.state_cache.moved_on", "Appends on a cached state that found the stream moved on",
                    figures, StateCacheStats::movedOn);
            counter("eskit.commands.state_cache.evictions", "States dropped from the cache to make room", figures,
                    StateCacheStats::evictions);
        }
    }

    // A function counter holds its object weakly; the gauges above hold the same figures strongly, which keeps it.
    private void counter(String name, String description, StateCacheFigures figures,
                         ToLongFunction<StateCacheStats> value) {
        FunctionCounter.builder(name, figures, f -> value.applyAsLong(f.get()))
                .description(description)
                .tag("stream.type", figures.streamType)
                .register(registry);
    }

    /** One stream type's cache figures, read from the bus at each scrape; zeros if the type is gone. */
    private static final class StateCacheFigures {
        private static final StateCacheStats NONE = new StateCacheStats(0, 0, 0, 0, 0, 0);
        private final CommandBus bus;
        private final String streamType;

        StateCacheFigures(CommandBus bus, String streamType) {
            this.bus = bus;
            this.streamType = streamType;
        }

        StateCacheStats get() {
            return bus.stateCaches().getOrDefault(streamType, NONE);
        }
    }

    /** The latest lag of a subscription, measured again when a second old; -1 events when measuring fails. */
    private static final class LagCache {
        private final Subscription subscription;
        private SubscriptionLag last;
        private long measuredAt;

        LagCache(Subscription subscription) {
            this.subscription = subscription;
        }

        synchronized SubscriptionLag get() {
            long now = System.nanoTime();
            if (last == null || now - measuredAt > 1_000_000_000L) {
                try {
                    last = subscription.lag();
                } catch (RuntimeException e) {
                    last = new SubscriptionLag(-1, false, Duration.ZERO);
                }
                measuredAt = now;
            }
            return last;
        }
    }

    private void gauge(String name, String description, String subscription, LongSupplier value) {
        Objects.requireNonNull(subscription, "subscription");
        Objects.requireNonNull(value, "value");
        if (registry == null) {
            return;
        }
        Gauge.builder(name, value, v -> (double) v.getAsLong())
                .description(description)
                .tag("subscription", subscription)
                .strongReference(true)
                .register(registry);
    }

    /** Collects what to publish to. */
    public static final class Builder {
        private MeterRegistry registry;
        private OpenTelemetry openTelemetry;

        private Builder() {
        }

        /** Publishes metrics to {@code value}. */
        public Builder meterRegistry(MeterRegistry value) {
            this.registry = Objects.requireNonNull(value, "meterRegistry");
            return this;
        }

        /** Publishes spans through {@code value}'s tracer provider. */
        public Builder openTelemetry(OpenTelemetry value) {
            this.openTelemetry = Objects.requireNonNull(value, "openTelemetry");
            return this;
        }

        /** The configured instance. */
        public EskitObservability build() {
            return new EskitObservability(this);
        }
    }
}
