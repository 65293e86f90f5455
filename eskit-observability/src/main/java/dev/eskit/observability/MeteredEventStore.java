package dev.eskit.observability;

import dev.eskit.AppendRequest;
import dev.eskit.AppendResult;
import dev.eskit.EventStore;
import dev.eskit.store.ForwardingEventStore;
import dev.eskit.store.HeadAppender;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.Optional;
import java.util.UUID;

/**
 * An {@link EventStore} decorator that records Micrometer metrics for appends:
 * <ul>
 *   <li>{@code eskit.append} (timer): append latency, tags {@code stream.type} and {@code outcome}
 *       ({@code success}, {@code conflict}, {@code rejected}, {@code error});</li>
 *   <li>{@code eskit.events.appended} (counter): events stored, tag {@code stream.type} (duplicates count 0).</li>
 * </ul>
 * Where the store is a {@link HeadAppender}, so is the decorator: an append at a known last event is timed as an append,
 * and one that finds the stream elsewhere (nothing written, the command is read and decided again) counts as a
 * {@code conflict}.
 * Create it through {@link EskitObservability}.
 */
final class MeteredEventStore extends ForwardingEventStore implements HeadAppender {

    private final MeterRegistry registry;

    MeteredEventStore(EventStore delegate, MeterRegistry registry) {
        super(delegate);
        this.registry = registry;
    }

    @Override
    public AppendResult append(AppendRequest request) {
        long start = System.nanoTime();
        try {
            return recorded(request.stream().type(), start, delegate.append(request));
        } catch (RuntimeException e) {
            timer(request.stream().type(), Outcome.of(e)).record(System.nanoTime() - start,
                    java.util.concurrent.TimeUnit.NANOSECONDS);
            throw e;
        }
    }

    @Override
    public boolean appendsAtHead() {
        return delegate instanceof HeadAppender heads && heads.appendsAtHead();
    }

    @Override
    public Optional<AppendResult> appendAtHead(AppendRequest request, UUID headEventId) {
        if (!(delegate instanceof HeadAppender heads)) {
            return Optional.empty();
        }
        long start = System.nanoTime();
        String streamType = request.stream().type();
        try {
            Optional<AppendResult> result = heads.appendAtHead(request, headEventId);
            if (result.isEmpty()) {
                timer(streamType, Outcome.CONFLICT).record(System.nanoTime() - start,
                        java.util.concurrent.TimeUnit.NANOSECONDS);
                return result;
            }
            return Optional.of(recorded(streamType, start, result.get()));
        } catch (RuntimeException e) {
            timer(streamType, Outcome.of(e)).record(System.nanoTime() - start, java.util.concurrent.TimeUnit.NANOSECONDS);
            throw e;
        }
    }

    /** Records a stored append's latency and events. */
    private AppendResult recorded(String streamType, long start, AppendResult result) {
        timer(streamType, Outcome.SUCCESS).record(System.nanoTime() - start, java.util.concurrent.TimeUnit.NANOSECONDS);
        if (!result.duplicate()) {
            Counter.builder("eskit.events.appended")
                    .description("Events stored by appends")
                    .tag("stream.type", streamType)
                    .register(registry)
                    .increment(result.events().size());
        }
        return result;
    }

    private Timer timer(String streamType, Outcome outcome) {
        return Timer.builder("eskit.append")
                .description("Append latency")
                .tag("stream.type", streamType)
                .tag("outcome", outcome.tag)
                .register(registry);
    }

}
