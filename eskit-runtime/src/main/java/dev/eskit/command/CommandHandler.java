package dev.eskit.command;

import dev.eskit.AppendRequest;
import dev.eskit.AppendResult;
import dev.eskit.ConcurrencyException;
import dev.eskit.Decider;
import dev.eskit.EskitException;
import dev.eskit.EventStore;
import dev.eskit.ExpectedVersion;
import dev.eskit.IdempotencyKeyReusedException;
import dev.eskit.InvalidInputException;
import dev.eskit.Retry;
import dev.eskit.StoredEvent;
import dev.eskit.StreamRef;
import dev.eskit.snapshot.Snapshot;
import dev.eskit.snapshot.SnapshotStore;
import dev.eskit.snapshot.StateCodec;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.locks.LockSupport;

/**
 * Runs commands against one decider: load the whole stream, fold it, decide, append the new events with the loaded
 * version. A conflicting writer makes the append fail with {@link ConcurrencyException}; with a {@link Retry}
 * the handler reloads and decides again.
 *
 * <p>With {@link Builder#snapshots(SnapshotStore, StateCodec, int) snapshots}, loading starts from the stream's latest
 * snapshot (when its schema matches the state codec's) and reads only the events after it; a new snapshot is saved
 * once a command has taken the stream {@code everyN} or more events past the snapshot it started from. A snapshot of
 * another schema is ignored (and replaced by the next one saved); one that cannot be read or saved is logged as a
 * warning on the {@code dev.eskit.command.CommandHandler} {@link System.Logger} and ignored, never failing a command.
 *
 * <pre>{@code
 * CommandHandler<AccountState, AccountCommand, AccountEvent> accounts =
 *     CommandHandler.builder(store, new AccountDecider(), "account").retry(Retry.attempts(3)).build();
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
    private final Retry retry;
    private final List<CommandMiddleware> middleware;
    private final SnapshotStore snapshots;
    private final StateCodec<S> stateCodec;
    private final long snapshotEvery;

    private static final System.Logger LOG = System.getLogger(CommandHandler.class.getName());

    private CommandHandler(Builder<S, C, E> builder) {
        this.store = builder.store;
        this.decider = builder.decider;
        this.streamType = builder.streamType;
        this.retry = builder.retry;
        this.middleware = List.copyOf(builder.middleware);
        // A tenant's handler keeps its snapshots under its own streams, whatever store it was given.
        this.snapshots = builder.snapshots == null ? null
                : dev.eskit.tenancy.TenantScope.adopt(builder.store, builder.snapshots);
        this.stateCodec = builder.stateCodec;
        this.snapshotEvery = builder.snapshotEvery;
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
            Loaded<S> loaded = loadState(stream);
            S state = loaded.state;
            long version = loaded.version;
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
                S next = decider.fold(state, decided);
                long newVersion = appended.streamVersion();
                if (snapshots != null && newVersion - loaded.snapshotVersion >= snapshotEvery) {
                    saveSnapshot(stream, newVersion, next);
                }
                return new CommandResult<>(next, typed(appended.events()), newVersion);
            } catch (ConcurrencyException conflict) {
                if (attempt >= retry.maxAttempts()) {
                    throw conflict;
                }
                LockSupport.parkNanos(retry.pauseAfter(attempt).toNanos());
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
        Loaded<S> loaded = loadState(stream);
        return new CommandResult<>(loaded.state, typed(previous.events()), loaded.version);
    }

    /** A folded state, the version it includes, and the version of the snapshot it started from (0 for none). */
    private record Loaded<S>(S state, long version, long snapshotVersion) {
    }

    @SuppressWarnings("unchecked")
    private Loaded<S> loadState(StreamRef stream) {
        S state = decider.initialState();
        long version = 0;
        if (snapshots != null) {
            Restored<S> restored = readSnapshot(stream);
            if (restored != null) {
                state = restored.state;
                version = restored.version;
            }
        }
        long snapshotVersion = version;
        // Folded as the events stream in: memory stays bounded whatever the stream's length.
        Object[] folded = {state};
        long[] last = {version};
        store.load(stream, version == 0 ? 1 : version + 1, event -> {
            folded[0] = decider.evolve((S) folded[0], (E) event.data());
            last[0] = event.version();
        });
        return new Loaded<>((S) folded[0], last[0], snapshotVersion);
    }

    private record Restored<S>(S state, long version) {
    }

    /** The stream's snapshot when it exists, has the current schema and can be read; otherwise {@code null}. */
    private Restored<S> readSnapshot(StreamRef stream) {
        Optional<Snapshot> found;
        try {
            found = snapshots.load(stream);
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "The snapshot of " + stream + " cannot be loaded; folding the"
                    + " stream from its first event instead. Check the snapshot store.", e);
            return null;
        }
        if (found.isEmpty()) {
            return null;
        }
        Snapshot snapshot = found.get();
        if (!snapshot.schema().equals(stateCodec.schema())) {
            // The state's shape changed since: expected after a deployment, and the next snapshot replaces it.
            LOG.log(System.Logger.Level.DEBUG, () -> "Ignoring the snapshot of " + stream + " with schema "
                    + snapshot.schema() + "; the current schema is " + stateCodec.schema() + ".");
            return null;
        }
        try {
            return new Restored<>(stateCodec.decode(snapshot.data()), snapshot.version());
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "The snapshot of " + stream + " at version " + snapshot.version()
                    + " cannot be read and is ignored; the stream is folded from its first event and the next"
                    + " snapshot replaces it. Cause: " + e.getMessage(), e);
            return null;
        }
    }

    private void saveSnapshot(StreamRef stream, long version, S state) {
        try {
            snapshots.save(new Snapshot(stream, version, stateCodec.schema(), stateCodec.encode(state),
                    Instant.now()));
        } catch (RuntimeException e) {
            // The events are committed; a missing snapshot only makes the next load longer.
            LOG.log(System.Logger.Level.WARNING, "The snapshot of " + stream + " at version " + version
                    + " cannot be saved; loads keep folding from the previous snapshot. Cause: " + e.getMessage(), e);
        }
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
        private Retry retry = Retry.none();
        private final List<CommandMiddleware> middleware = new ArrayList<>();
        private SnapshotStore snapshots;
        private StateCodec<S> stateCodec;
        private long snapshotEvery;

        private Builder(EventStore store, Decider<S, C, E> decider, String streamType) {
            this.store = Objects.requireNonNull(store, "store");
            this.decider = Objects.requireNonNull(decider, "decider");
            this.streamType = Objects.requireNonNull(streamType, "streamType");
        }

        /** Retries on concurrency conflicts (default: none), such as {@code Retry.attempts(3)}. */
        public Builder<S, C, E> retry(Retry value) {
            this.retry = Objects.requireNonNull(value, "retry");
            return this;
        }

        /**
         * Same as {@link #retry(Retry)} with {@code value.toRetry()}.
         *
         * @deprecated use {@link #retry(Retry)}
         */
        @Deprecated
        public Builder<S, C, E> retry(RetryPolicy value) {
            return retry(Objects.requireNonNull(value, "retry").toRetry());
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

        /**
         * Loads from snapshots in {@code store} and saves a new one whenever a command takes the stream
         * {@code everyN} or more events past the snapshot it was loaded from.
         *
         * <pre>{@code
         * builder.snapshots(jdbiStore.snapshots(), StateCodec.json(AccountState.class), 500)
         * }</pre>
         *
         * @throws InvalidInputException when {@code everyN} is below 1
         */
        public Builder<S, C, E> snapshots(SnapshotStore store, StateCodec<S> codec, int everyN) {
            if (everyN < 1) {
                throw new InvalidInputException("Snapshot interval " + everyN + " is below 1. Take a snapshot every"
                        + " 1 or more events (a few hundred is typical).");
            }
            this.snapshots = Objects.requireNonNull(store, "store");
            this.stateCodec = Objects.requireNonNull(codec, "codec");
            this.snapshotEvery = everyN;
            return this;
        }

        /** Builds the handler. */
        public CommandHandler<S, C, E> build() {
            return new CommandHandler<>(this);
        }
    }
}
