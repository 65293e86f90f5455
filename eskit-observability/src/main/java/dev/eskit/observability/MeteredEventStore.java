package dev.eskit.observability;

import dev.eskit.AppendRequest;
import dev.eskit.AppendResult;
import dev.eskit.EventStore;
import dev.eskit.Position;
import dev.eskit.StoredEvent;
import dev.eskit.StreamRef;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * An {@link EventStore} decorator that records Micrometer metrics for appends:
 * <ul>
 *   <li>{@code eskit.append} (timer): append latency, tags {@code stream.type} and {@code outcome}
 *       ({@code success}, {@code conflict}, {@code rejected}, {@code error});</li>
 *   <li>{@code eskit.events.appended} (counter): events stored, tag {@code stream.type} (duplicates count 0).</li>
 * </ul>
 * Create it through {@link EskitObservability}.
 */
final class MeteredEventStore implements EventStore {

    private final EventStore delegate;
    private final MeterRegistry registry;

    MeteredEventStore(EventStore delegate, MeterRegistry registry) {
        this.delegate = delegate;
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

    @Override
    public List<StoredEvent<Object>> load(StreamRef stream, long fromVersion) {
        return delegate.load(stream, fromVersion);
    }

    @Override
    public long streamVersion(StreamRef stream) {
        return delegate.streamVersion(stream);
    }

    @Override
    public List<StoredEvent<Object>> readAll(Position after, int limit, Set<String> eventTypes) {
        return delegate.readAll(after, limit, eventTypes);
    }

    @Override
    public Optional<AppendResult> findIdempotentAppend(String idempotencyKey) {
        return delegate.findIdempotentAppend(idempotencyKey);
    }

    @Override
    public void close() {
        delegate.close();
    }
}
