package dev.eskit.observability;

import dev.eskit.AppendRequest;
import dev.eskit.AppendResult;
import dev.eskit.EventStore;
import dev.eskit.store.ForwardingEventStore;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

/**
 * An {@link EventStore} decorator that records Micrometer metrics for appends:
 * <ul>
 *   <li>{@code eskit.append} (timer): append latency, tags {@code stream.type} and {@code outcome}
 *       ({@code success}, {@code conflict}, {@code rejected}, {@code error});</li>
 *   <li>{@code eskit.events.appended} (counter): events stored, tag {@code stream.type} (duplicates count 0).</li>
 * </ul>
 * Create it through {@link EskitObservability}.
 */
final class MeteredEventStore extends ForwardingEventStore {

    private final MeterRegistry registry;

    MeteredEventStore(EventStore delegate, MeterRegistry registry) {
        super(delegate);
        this.registry = registry;
    }

    @Override
    public AppendResult append(AppendRequest request) {
        long start = System.nanoTime();
        String streamType = request.stream().type();
        try {
            AppendResult result = delegate.append(request);
            timer(streamType, Outcome.SUCCESS).record(System.nanoTime() - start, java.util.concurrent.TimeUnit.NANOSECONDS);
            if (!result.duplicate()) {
                Counter.builder("eskit.events.appended")
                        .description("Events stored by appends")
                        .tag("stream.type", streamType)
                        .register(registry)
                        .increment(result.events().size());
            }
            return result;
        } catch (RuntimeException e) {
            timer(streamType, Outcome.of(e)).record(System.nanoTime() - start, java.util.concurrent.TimeUnit.NANOSECONDS);
            throw e;
        }
    }

    private Timer timer(String streamType, Outcome outcome) {
        return Timer.builder("eskit.append")
                .description("Append latency")
                .tag("stream.type", streamType)
                .tag("outcome", outcome.tag)
                .register(registry);
    }

}
