package dev.eskit.command;

import dev.eskit.AppendRequest;
import dev.eskit.AppendResult;
import dev.eskit.ConcurrencyException;
import dev.eskit.Decider;
import dev.eskit.EskitException;
import dev.eskit.EventStore;
import dev.eskit.ExpectedVersion;
import dev.eskit.IdempotencyKeyReusedException;
import dev.eskit.StoredEvent;
import dev.eskit.StreamRef;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.locks.LockSupport;

/**
 * Runs commands against one decider: load the whole stream, fold it, decide, append the new events with the loaded
 * version. A conflicting writer makes the append fail with {@link ConcurrencyException}; with a {@link RetryPolicy}
 * the handler reloads and decides again.
 *
 * <pre>{@code
 * CommandHandler<AccountState, AccountCommand, AccountEvent> accounts =
 *     CommandHandler.builder(store, new AccountDecider(), "account").retry(RetryPolicy.attempts(3)).build();
 * CommandResult<AccountState, AccountEvent> result = accounts.handle("a-1", new Deposit("a-1", 500));
 * }</pre>
 *
 * @param <S> the state type
 * @param <C> the command type
 * @param <E> the event type
 */
public final class CommandHandler<S, C, E> {

    private final EventStore store;
    private final Decider<S, C, E> decider;
    private final String streamType;
    private final RetryPolicy retry;
    private final List<CommandMiddleware> middleware;

    private CommandHandler(Builder<S, C, E> builder) {
        this.store = builder.store;
        this.decider = builder.decider;
        this.streamType = builder.streamType;
        this.retry = builder.retry;
        this.middleware = List.copyOf(builder.middleware);
        // Validate the stream type once, up front, with the same rules as every stream.
        StreamRef.of(streamType, "-");
    }

    /** A handler without retries or middleware. */
    public static <S, C, E> CommandHandler<S, C, E> of(EventStore store, Decider<S, C, E> decider, String streamType) {
        return builder(store, decider, streamType).build();
    }

    /** A builder for a handler with retries or middleware. */
    public static <S, C, E> Builder<S, C, E> builder(EventStore store, Decider<S, C, E> decider, String streamType) {
        return new Builder<>(store, decider, streamType);
    }

    /** The stream type this handler writes to. */
    public String streamType() {
        return streamType;
    }

    /** The decider. */
    public Decider<S, C, E> decider() {
        return decider;
    }

    /** Handles {@code command} for stream {@code streamId} with a fresh context. */
    public CommandResult<S, E> handle(String streamId, C command) {
        return handle(streamId, command, CommandContext.create());
    }

    /**
     * Handles {@code command} for stream {@code streamId}.
     *
     * @throws ConcurrencyException when the stream kept changing for every attempt the retry policy allows
     * @throws RuntimeException     whatever the decider throws to reject the command; nothing is written then
     */
    @SuppressWarnings("unchecked")
    public CommandResult<S, E> handle(String streamId, C command, CommandContext context) {
        Objects.requireNonNull(command, "command");
        CommandEnvelope envelope = new CommandEnvelope(StreamRef.of(streamType, streamId), command,
                Objects.requireNonNull(context, "context"));
        if (middleware.isEmpty()) {
            return execute(envelope);
        }
        return (CommandResult<S, E>) proceed(0, envelope);
    }

    private CommandResult<?, ?> proceed(int index, CommandEnvelope envelope) {
        if (index == middleware.size()) {
            return execute(envelope);
        }
        return middleware.get(index).handle(envelope, next -> proceed(index + 1, next));
    }

    @SuppressWarnings("unchecked")
    private CommandResult<S, E> execute(CommandEnvelope envelope) {
        // Unchecked: middleware that swaps the command for one of another type fails inside the decider.
        C command = (C) envelope.command();
        StreamRef stream = envelope.stream();
        String idempotencyKey = envelope.context().idempotencyKey();
        if (idempotencyKey != null) {
            // A retried command returns what it did the first time, even if deciding it again would now fail.
            Optional<AppendResult> previous = store.findIdempotentAppend(idempotencyKey);
            if (previous.isPresent()) {
                return duplicate(stream, idempotencyKey, previous.get());
            }
        }
        for (int attempt = 1; ; attempt++) {
            List<StoredEvent<Object>> history = store.load(stream);
            S state = decider.initialState();
            for (StoredEvent<Object> event : history) {
                state = decider.evolve(state, (E) event.data());
            }
            long version = history.isEmpty() ? 0 : history.get(history.size() - 1).version();
            List<E> decided = decider.decide(state, command);
            if (decided == null) {
                throw new EskitException("The decider returned null for " + command.getClass().getName()
                        + ". Return an empty list when a command causes no events.");
            }
            if (decided.isEmpty()) {
                return new CommandResult<>(state, List.of(), version);
            }
            AppendRequest request = new AppendRequest(stream, ExpectedVersion.exactly(version), decided,
                    envelope.context().eventMetadata(), envelope.context().idempotencyKey());
            try {
                AppendResult appended = store.append(request);
                if (appended.duplicate()) {
                    return duplicate(stream, idempotencyKey, appended);
                }
                return new CommandResult<>(decider.fold(state, decided), typed(appended.events()),
                        appended.streamVersion());
            } catch (ConcurrencyException conflict) {
                if (attempt >= retry.maxAttempts()) {
                    throw conflict;
                }
                LockSupport.parkNanos(retry.backoff(attempt + 1).toNanos());
                if (Thread.interrupted()) {
                    Thread.currentThread().interrupt();
                    throw conflict;
                }
            }
        }
    }

    /**
     * The result of a retried idempotent command: the events of the first attempt, with the state and version the
     * stream has now.
     */
    @SuppressWarnings("unchecked")
    private CommandResult<S, E> duplicate(StreamRef stream, String idempotencyKey, AppendResult previous) {
        StreamRef original = previous.events().get(0).stream();
        if (!original.equals(stream)) {
            throw new IdempotencyKeyReusedException("Idempotency key \"" + idempotencyKey
                    + "\" was first used for stream " + original + ", not " + stream
                    + ". Use a key that identifies one command on one stream.");
        }
        List<StoredEvent<Object>> history = store.load(stream);
        S state = decider.initialState();
        for (StoredEvent<Object> event : history) {
            state = decider.evolve(state, (E) event.data());
        }
        long version = history.isEmpty() ? 0 : history.get(history.size() - 1).version();
        return new CommandResult<>(state, typed(previous.events()), version);
    }

    @SuppressWarnings("unchecked")
    private List<StoredEvent<E>> typed(List<StoredEvent<Object>> events) {
        List<StoredEvent<E>> typed = new ArrayList<>(events.size());
        for (StoredEvent<Object> event : events) {
            typed.add((StoredEvent<E>) (StoredEvent<?>) event);
        }
        return typed;
    }

    /**
     * Options for a {@link CommandHandler}.
     *
     * @param <S> the state type
     * @param <C> the command type
     * @param <E> the event type
     */
    public static final class Builder<S, C, E> {
        private final EventStore store;
        private final Decider<S, C, E> decider;
        private final String streamType;
        private RetryPolicy retry = RetryPolicy.none();
        private final List<CommandMiddleware> middleware = new ArrayList<>();

        private Builder(EventStore store, Decider<S, C, E> decider, String streamType) {
            this.store = Objects.requireNonNull(store, "store");
            this.decider = Objects.requireNonNull(decider, "decider");
            this.streamType = Objects.requireNonNull(streamType, "streamType");
        }

        /** Retries on concurrency conflicts (default: none). */
        public Builder<S, C, E> retry(RetryPolicy value) {
            this.retry = Objects.requireNonNull(value, "retry");
            return this;
        }

        /** Adds middleware; the first added runs outermost. */
        public Builder<S, C, E> middleware(CommandMiddleware value) {
            this.middleware.add(Objects.requireNonNull(value, "middleware"));
            return this;
        }

        /** Adds middleware in order. */
        public Builder<S, C, E> middleware(List<? extends CommandMiddleware> values) {
            values.forEach(this::middleware);
            return this;
        }

        /** Builds the handler. */
        public CommandHandler<S, C, E> build() {
            return new CommandHandler<>(this);
        }
    }
}
