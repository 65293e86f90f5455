package dev.eskit.dcb;

import dev.eskit.Metadata;
import dev.eskit.Position;
import dev.eskit.Retry;
import dev.eskit.StoredEvent;
import dev.eskit.command.RetryPolicy;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.locks.LockSupport;

/**
 * Runs commands against a {@link DcbDecider}: read the events of the command's boundary, fold them, decide, and
 * append the new events on condition that nothing matching the boundary arrived after the last event read. A
 * conflicting writer makes the append fail with {@link AppendConditionFailedException}; with a {@link Retry} the
 * handler reads and decides again.
 *
 * <pre>{@code
 * DcbCommandHandler<SubscriptionState, SubscribeStudent, CourseEvent> subscribe =
 *     DcbCommandHandler.of(store, new SubscribeDecider(), Retry.attempts(10));
 * subscribe.handle(new SubscribeStudent("c1", "s7"));
 * }</pre>
 *
 * @param <S> the state type
 * @param <C> the command type
 * @param <E> the event type
 */
public final class DcbCommandHandler<S, C, E> {

    private final DcbEventStore store;
    private final DcbDecider<S, C, E> decider;
    private final Retry retry;

    private DcbCommandHandler(DcbEventStore store, DcbDecider<S, C, E> decider, Retry retry) {
        this.store = Objects.requireNonNull(store, "store");
        this.decider = Objects.requireNonNull(decider, "decider");
        this.retry = Objects.requireNonNull(retry, "retry");
    }

    /** A handler that does not retry: a conflict is thrown to the caller. */
    public static <S, C, E> DcbCommandHandler<S, C, E> of(DcbEventStore store, DcbDecider<S, C, E> decider) {
        return new DcbCommandHandler<>(store, decider, Retry.none());
    }

    /** A handler that reads, decides and appends again after a conflict, as {@code retry} allows. */
    public static <S, C, E> DcbCommandHandler<S, C, E> of(DcbEventStore store, DcbDecider<S, C, E> decider,
                                                          Retry retry) {
        return new DcbCommandHandler<>(store, decider, retry);
    }

    /**
     * Same as {@link #of(DcbEventStore, DcbDecider, Retry)} with {@code retry.toRetry()}.
     *
     * @deprecated use {@link #of(DcbEventStore, DcbDecider, Retry)}
     */
    @Deprecated
    public static <S, C, E> DcbCommandHandler<S, C, E> of(DcbEventStore store, DcbDecider<S, C, E> decider,
                                                          RetryPolicy retry) {
        return of(store, decider, Objects.requireNonNull(retry, "retry").toRetry());
    }

    /** Handles {@code command} with empty metadata. See {@link #handle(Object, Metadata)}. */
    public DcbCommandResult<S> handle(C command) {
        return handle(command, Metadata.empty());
    }

    /**
     * Handles {@code command}: the events it causes are appended with {@code metadata}, or nothing is appended when
     * the decision produces no events.
     *
     * @throws AppendConditionFailedException when the boundary changed on every attempt
     * @throws RuntimeException               the decider's own exception when it rejects the command
     */
    public DcbCommandResult<S> handle(C command, Metadata metadata) {
        Objects.requireNonNull(command, "command");
        Objects.requireNonNull(metadata, "metadata");
        for (int attempt = 1; ; attempt++) {
            try {
                return attempt(command, metadata, attempt);
            } catch (AppendConditionFailedException conflict) {
                if (attempt >= retry.maxAttempts()) {
                    throw conflict;
                }
                // Jitter keeps racing handlers from retrying in lock step.
                LockSupport.parkNanos(retry.pauseAfter(attempt).toNanos());
            }
        }
    }

    private DcbCommandResult<S> attempt(C command, Metadata metadata, int attempt) {
        Query query = decider.query(command);
        List<StoredEvent<Object>> events = store.read(query);
        Class<E> eventType = decider.eventType();
        S state = decider.initialState();
        for (StoredEvent<Object> event : events) {
            if (eventType.isInstance(event.data())) {
                state = decider.evolve(state, eventType.cast(event.data()));
            }
        }
        Position read = events.isEmpty() ? null : events.get(events.size() - 1).position();
        List<E> decided = decider.decide(state, command);
        if (decided.isEmpty()) {
            return new DcbCommandResult<>(state, List.of(), read, attempt);
        }
        List<StoredEvent<Object>> appended = store.append(decided, AppendCondition.failIfEventsMatch(query, read),
                metadata).events();
        S after = decider.fold(state, decided);
        return new DcbCommandResult<>(after, appended, read, attempt);
    }
}
