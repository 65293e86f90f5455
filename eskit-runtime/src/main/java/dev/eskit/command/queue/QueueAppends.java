package dev.eskit.command.queue;

import dev.eskit.AppendRequest;
import dev.eskit.AppendResult;
import dev.eskit.EventStore;
import dev.eskit.StoredEvent;
import dev.eskit.store.ForwardingEventStore;
import java.util.List;
import java.util.Objects;

/**
 * The store a command bus appends through when queued commands' outcomes go into their append's transaction
 * ({@link CommandQueue#recordingOutcomes}): the append of the command a queue worker is running on this thread goes
 * through {@link CommandQueueStore#appendAndFinish}; every other append goes straight to the store.
 */
final class QueueAppends extends ForwardingEventStore {

    /** The command a worker runs on this thread. */
    static final class InFlight {
        final CommandQueueStore store;
        final QueueClaim claim;
        volatile QueueResult finished;

        InFlight(CommandQueueStore store, QueueClaim claim) {
            this.store = store;
            this.claim = claim;
        }
    }

    static final ThreadLocal<InFlight> CURRENT = new ThreadLocal<>();

    private final CommandQueueStore queueStore;

    QueueAppends(EventStore delegate, CommandQueueStore queueStore) {
        super(delegate);
        this.queueStore = Objects.requireNonNull(queueStore, "queueStore");
    }

    @Override
    public AppendResult append(AppendRequest request) {
        InFlight flight = CURRENT.get();
        if (flight == null || !flight.store.equals(queueStore) || flight.finished != null
                || !flight.claim.command().id().equals(request.idempotencyKey())) {
            return delegate.append(request);
        }
        return queueStore.appendAndFinish(delegate, request, flight.claim,
                appended -> succeeded(flight.claim.command().id(), appended),
                result -> flight.finished = result);
    }

    /** The {@code SUCCEEDED} outcome of a queued command whose append returned {@code appended}. */
    static QueueResult succeeded(String id, AppendResult appended) {
        List<StoredEvent<Object>> events = appended.events();
        int count = events.size();
        return new QueueResult(id, QueueStatus.SUCCEEDED, appended.streamVersion(), count,
                count == 0 ? null : events.get(0).position(), count == 0 ? null : events.get(count - 1).position(),
                null);
    }
}
