package dev.eskit.store;

import dev.eskit.AppendRequest;
import dev.eskit.AppendResult;
import dev.eskit.EventStore;
import dev.eskit.Position;
import dev.eskit.StoredEvent;
import dev.eskit.StreamRef;
import dev.eskit.subscription.AppendNotifier;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * An {@link EventStore} that passes every call to another one, for decorators (hooks, metrics, tracing) that change
 * only some calls: extend it and override those.
 *
 * <p>It is an {@link AppendNotifier} whenever the store it wraps is one, so subscriptions on a decorated store still
 * wake at once; on a store without notifications {@link #onAppend} registers nothing and subscriptions poll.
 *
 * <pre>{@code
 * final class CountingStore extends ForwardingEventStore {
 *     final AtomicLong appends = new AtomicLong();
 *     CountingStore(EventStore delegate) { super(delegate); }
 *     @Override public AppendResult append(AppendRequest request) {
 *         appends.incrementAndGet();
 *         return super.append(request);
 *     }
 * }
 * }</pre>
 */
public abstract class ForwardingEventStore implements EventStore, AppendNotifier, StreamTypePrefixReader {

    private static final Registration NOTHING = () -> { };

    /** The wrapped store. */
    protected final EventStore delegate;

    /** Wraps {@code delegate}. */
    protected ForwardingEventStore(EventStore delegate) {
        this.delegate = Objects.requireNonNull(delegate, "delegate");
    }

    /** The wrapped store. */
    public EventStore delegate() {
        return delegate;
    }

    @Override
    public AppendResult append(AppendRequest request) {
        return delegate.append(request);
    }

    @Override
    public List<StoredEvent<Object>> load(StreamRef stream, long fromVersion) {
        return delegate.load(stream, fromVersion);
    }

    @Override
    public void load(StreamRef stream, long fromVersion,
                     java.util.function.Consumer<? super StoredEvent<Object>> action) {
        delegate.load(stream, fromVersion, action);
    }

    @Override
    public long streamVersion(StreamRef stream) {
        return delegate.streamVersion(stream);
    }

    @Override
    public List<StoredEvent<Object>> readAll(Position after, int limit, Set<String> eventTypes) {
        return delegate.readAll(after, limit, eventTypes);
    }

    /** Passes the read on when the wrapped store filters before decoding; otherwise pages through its log. */
    @Override
    public List<StoredEvent<Object>> readAllWithStreamTypePrefix(String streamTypePrefix, Position after, int limit,
                                                                 Set<String> eventTypes) {
        return StreamTypePrefixReader.scan(delegate, streamTypePrefix, after, limit, eventTypes);
    }

    @Override
    public Optional<dev.eskit.gdpr.PersonalDataProtector> personalData() {
        return delegate.personalData();
    }

    @Override
    public Optional<AppendResult> findIdempotentAppend(String idempotencyKey) {
        return delegate.findIdempotentAppend(idempotencyKey);
    }

    @Override
    public Registration onAppend(Runnable listener) {
        Objects.requireNonNull(listener, "listener");
        return delegate instanceof AppendNotifier notifier ? notifier.onAppend(listener) : NOTHING;
    }

    @Override
    public void close() {
        delegate.close();
    }
}
