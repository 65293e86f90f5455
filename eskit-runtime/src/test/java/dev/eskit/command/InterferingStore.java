package dev.eskit.command;

import dev.eskit.AppendRequest;
import dev.eskit.AppendResult;
import dev.eskit.EventStore;
import dev.eskit.ExpectedVersion;
import dev.eskit.Position;
import dev.eskit.StoredEvent;
import dev.eskit.StreamRef;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A store that lets "another writer" append {@code Incremented(100)} to the target stream just before each of the
 * next {@code interferences} appends, so the handler's append meets a version conflict.
 */
final class InterferingStore implements EventStore {
    private final EventStore delegate;
    private final AtomicInteger interferences;
    final AtomicInteger appendCalls = new AtomicInteger();

    InterferingStore(EventStore delegate, int interferences) {
        this.delegate = delegate;
        this.interferences = new AtomicInteger(interferences);
    }

    @Override
    public AppendResult append(AppendRequest request) {
        appendCalls.incrementAndGet();
        if (interferences.getAndDecrement() > 0) {
            delegate.append(request.stream(), ExpectedVersion.any(), List.of(new Counter.Incremented(100)));
        }
        return delegate.append(request);
    }

    @Override
    public Optional<AppendResult> findIdempotentAppend(String idempotencyKey) {
        return delegate.findIdempotentAppend(idempotencyKey);
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
}
