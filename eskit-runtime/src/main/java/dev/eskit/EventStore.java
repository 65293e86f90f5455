package dev.eskit;

import dev.eskit.codec.EventTypes;
import dev.eskit.store.InMemoryEventStore;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Stores events in streams and in one global log.
 *
 * <p>Every append is atomic: all of its events are stored, or none. Bad input fails with an
 * {@link InvalidInputException} subtype before anything is written; a version mismatch fails with a
 * {@link ConcurrencyException}. Implementations are thread-safe.
 *
 * <pre>{@code
 * EventStore store = EventStore.inMemory(EventTypes.builder().add("bank.Deposited", Deposited.class).build());
 * store.append(StreamRef.of("account", "a-1"), ExpectedVersion.noStream(), List.of(new Deposited("a-1", 500)));
 * List<StoredEvent<Object>> events = store.load(StreamRef.of("account", "a-1"));
 * }</pre>
 */
public interface EventStore extends AutoCloseable {

    /**
     * Appends the request's events atomically.
     *
     * @throws ConcurrencyException       when the stream's version does not match {@code request.expected()}
     * @throws UnknownEventTypeException  when an event's class is not registered
     * @throws IdempotencyKeyReusedException when the key was used before for another stream
     */
    AppendResult append(AppendRequest request);

    /** Appends {@code events} with empty metadata. See {@link #append(AppendRequest)}. */
    default AppendResult append(StreamRef stream, ExpectedVersion expected, List<?> events) {
        return append(AppendRequest.of(stream, expected, events));
    }

    /** Appends {@code events} with {@code metadata}. See {@link #append(AppendRequest)}. */
    default AppendResult append(StreamRef stream, ExpectedVersion expected, List<?> events, Metadata metadata) {
        return append(AppendRequest.of(stream, expected, events).withMetadata(metadata));
    }

    /**
     * The events of a stream whose version is {@code fromVersion} or later, in version order. A stream without events
     * (or a {@code fromVersion} past its end) gives an empty list.
     *
     * @param fromVersion the first version to return; 1 (or 0) for the whole stream
     * @throws InvalidInputException when {@code fromVersion} is negative
     */
    List<StoredEvent<Object>> load(StreamRef stream, long fromVersion);

    /** The whole stream, in version order; empty when it has no events. */
    default List<StoredEvent<Object>> load(StreamRef stream) {
        return load(stream, 1);
    }

    /**
     * Hands the events of a stream from {@code fromVersion} on to {@code action}, one at a time in version order,
     * without holding the whole stream in memory where the store can avoid it (the Jdbi stores read with a cursor).
     * The command handler folds state this way. This default loads the list and walks it.
     *
     * <pre>{@code
     * long[] total = {0};
     * store.load(StreamRef.of("account", "a-1"), 1, event -> total[0] += ((Deposited) event.data()).amountCents());
     * }</pre>
     *
     * @param fromVersion the first version to hand over; 1 (or 0) for the whole stream
     * @throws InvalidInputException when {@code fromVersion} is negative
     */
    default void load(StreamRef stream, long fromVersion, Consumer<? super StoredEvent<Object>> action) {
        Objects.requireNonNull(action, "action");
        load(stream, fromVersion).forEach(action);
    }

    /** The stream's current version: the version of its last event, 0 when it has none. */
    long streamVersion(StreamRef stream);

    /**
     * Up to {@code limit} events of the global log that come after {@code after}, in log order.
     *
     * <p>A page holds fewer than {@code limit} events only when no more (matching) events are visible after its last
     * one: subscriptions take a short page as "caught up" and wait for new events before reading again. A store that
     * pages internally must fill the page (or return it short only at the end of what it can see).
     *
     * @param after      read events after this position; {@link Position#START} for the beginning
     * @param limit      between 1 and {@link Limits#MAX_READ_LIMIT}
     * @param eventTypes wire names to keep; empty for every type
     * @throws InvalidReadLimitException when {@code limit} is out of range
     */
    List<StoredEvent<Object>> readAll(Position after, int limit, Set<String> eventTypes);

    /** Up to {@code limit} events of any type after {@code after}. See {@link #readAll(Position, int, Set)}. */
    default List<StoredEvent<Object>> readAll(Position after, int limit) {
        return readAll(after, limit, Set.of());
    }

    /**
     * The events an earlier append with {@code idempotencyKey} stored, as a result marked {@code duplicate}, or empty
     * when no append with that key was stored. Nothing is written.
     *
     * <p>The command handler asks before deciding a command that carries an idempotency key, so that a retried
     * command returns its original events even when deciding it again would now fail (a retried "withdraw all" must
     * not be rejected for lack of funds). The default returns empty, which makes the handler decide again and rely
     * on {@link #append(AppendRequest)} recognising the key; stores that keep idempotency keys override it.
     *
     * @throws InvalidIdempotencyKeyException when the key is empty, too long or contains a NUL byte
     */
    default Optional<AppendResult> findIdempotentAppend(String idempotencyKey) {
        checkIdempotencyKey(idempotencyKey);
        return Optional.empty();
    }

    /** Checks an idempotency key as {@link AppendRequest} does; for store implementations. */
    static void checkIdempotencyKey(String idempotencyKey) {
        String problem = Limits.checkIdentifier(idempotencyKey);
        if (problem != null) {
            throw new InvalidIdempotencyKeyException("Idempotency key " + Limits.abbreviate(idempotencyKey) + " "
                    + problem + ". Use a non-empty key of at most " + Limits.MAX_ID_LENGTH
                    + " characters without NUL bytes or invalid Unicode.");
        }
    }

    /**
     * The position of the last event a reader of the global log can see now, or {@link Position#START} when there is
     * none: where a new subscription that should skip the past starts, or what a caught-up check compares with.
     * The default pages through {@link #readAll}; stores override it with a direct lookup.
     */
    default Position latestPosition() {
        Position last = Position.START;
        while (true) {
            List<StoredEvent<Object>> page = readAll(last, Limits.MAX_READ_LIMIT);
            if (page.isEmpty()) {
                return last;
            }
            last = page.get(page.size() - 1).position();
        }
    }

    /**
     * Up to {@code limit} events of streams of {@code streamType} that come after {@code after}, in log order: a
     * category read ("every account event"), for projections and tools that care about one kind of stream. The
     * default filters pages of {@link #readAll}; stores override it with an indexed read.
     *
     * @throws InvalidReadLimitException when {@code limit} is out of range
     */
    default List<StoredEvent<Object>> readStreamType(String streamType, Position after, int limit) {
        Objects.requireNonNull(streamType, "streamType");
        Objects.requireNonNull(after, "after");
        checkReadLimit(limit);
        List<StoredEvent<Object>> found = new ArrayList<>();
        Position from = after;
        while (found.size() < limit) {
            List<StoredEvent<Object>> page = readAll(from, Limits.MAX_READ_LIMIT);
            for (StoredEvent<Object> event : page) {
                if (event.streamType().equals(streamType) && found.size() < limit) {
                    found.add(event);
                }
            }
            if (page.size() < Limits.MAX_READ_LIMIT) {
                return found;
            }
            from = page.get(page.size() - 1).position();
        }
        return found;
    }

    /**
     * The protector this store encrypts {@code @PersonalData} with, if any: a store built on
     * {@code protector.codec(types)}. Command handlers use it to seal snapshots of states folded from personal data
     * under the subjects' keys, so that a forget shreds them too. The in-memory store stores objects and has none.
     */
    default Optional<dev.eskit.gdpr.PersonalDataProtector> personalData() {
        return Optional.empty();
    }

    /** Releases the store's resources. The in-memory store has none. */
    @Override
    default void close() {
    }

    /**
     * A new, empty in-memory store that knows the event types of every registry on the class path. It is a
     * {@link dev.eskit.dcb.DcbEventStore} as well, so DCB deciders run on it too.
     */
    static InMemoryEventStore inMemory() {
        return new InMemoryEventStore(EventTypes.discover());
    }

    /** A new, empty in-memory store that knows {@code types}; also a {@link dev.eskit.dcb.DcbEventStore}. */
    static InMemoryEventStore inMemory(EventTypes types) {
        return new InMemoryEventStore(types);
    }

    /** Checks a read limit; for store implementations. */
    static void checkReadLimit(int limit) {
        if (limit < 1 || limit > Limits.MAX_READ_LIMIT) {
            throw new InvalidReadLimitException("Read limit " + limit + " is out of range. Use a limit between 1 and "
                    + Limits.MAX_READ_LIMIT + " and read again from the last position to page through the log.");
        }
    }

    /** Checks a from-version; for store implementations. */
    static void checkFromVersion(long fromVersion) {
        if (fromVersion < 0) {
            throw new InvalidInputException("fromVersion " + fromVersion
                    + " is negative. Use 1 (or 0) for the whole stream, or the first version you want.");
        }
    }
}
