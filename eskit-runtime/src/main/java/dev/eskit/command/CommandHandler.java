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
import dev.eskit.snapshot.SnapshotStore;
import dev.eskit.snapshot.StateCodec;
import dev.eskit.store.HeadAppender;
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
 * warning on the SLF4J logger {@code dev.eskit.command.CommandHandler} and ignored, never failing a
 * command. Snapshots can be limited by age ({@link Builder#snapshotMinAge}), saved off the command path ({@link Builder#snapshotsAsync}),
 * rebuilt ({@link #rebuildSnapshot}) and invalidated ({@link #invalidateSnapshots}). On a store that protects personal
 * data, a snapshot of a state folded from personal data is sealed under the keys of every data subject in it, so that
 * forgetting one of them shreds the snapshot as well (see {@code docs/gdpr.md}).
 *
 * <p>With {@link Builder#cacheStates(int) a state cache} (on by default for a decider whose states are proven
 * immutable, {@link Decider#immutableStates()}, or checked one by one, {@link Decider#checksStates()}; off otherwise),
 * the handler keeps recently used streams' folded states in memory and loads only the events appended after the
 * cached version, so that a warm stream costs one short read instead of a whole fold, and other nodes' appends are
 * still seen; on a {@link HeadAppender} store a warm command decides first and appends only if the stream's last
 * event is still the cached one, without that read. Checked states that are changeable are cached as private copies
 * ({@link Decider#copyState}); any other cached state is shared as it is and must be immutable.
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

    /**
     * How many streams' states a handler caches when its decider's states are proven immutable
     * ({@link Decider#immutableStates()}) and {@link Builder#cacheStates(int)} is not called.
     */
    public static final int DEFAULT_CACHED_STREAMS = 10_000;

    private final EventStore store;
    private final Decider<S, C, E> decider;
    private final String streamType;
    private final Retry retry;
    private final List<CommandMiddleware> middleware;
    private final SnapshotKeeper<S> snapshots;
    private final StateLoader<S, E> states;
    // The store's appends at a known last event, when it has them and states are cached: a warm command then decides
    // on its cached state and appends in one round trip, without reading the stream first.
    private final HeadAppender heads;

    private CommandHandler(Builder<S, C, E> builder) {
        this.store = builder.store;
        this.decider = builder.decider;
        this.streamType = builder.streamType;
        this.retry = builder.retry;
        this.middleware = List.copyOf(builder.middleware);
        // A tenant's handler keeps its snapshots under its own streams, whatever store it was given.
        this.snapshots = builder.snapshots == null ? null : new SnapshotKeeper<>(
                dev.eskit.tenancy.TenantScope.adopt(builder.store, builder.snapshots), builder.stateCodec,
                builder.snapshotEvery, builder.snapshotMinAge, builder.snapshotExecutor, builder.clock,
                builder.store.personalData());
        int cachedStreams = builder.cachedStreams >= 0 ? builder.cachedStreams
                : decider.immutableStates() || decider.checksStates() ? DEFAULT_CACHED_STREAMS : 0;
        // On by default through the decider's checks: only the states it finds immutable are cached. Asked for
        // (cacheStates(n)), every state is: the caller vouches for them.
        boolean checked = builder.cachedStreams < 0 && !decider.immutableStates() && decider.checksStates();
        this.states = new StateLoader<>(store, decider, snapshots,
                cachedStreams == 0 ? null : new StateCache<>(cachedStreams), checked);
        this.heads = cachedStreams > 0 && store instanceof HeadAppender appender && appender.appendsAtHead()
                ? appender : null;
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
        StateLoader.Loaded<S> missedHead = null;
        StateLoader.Loaded<S> cached = heads != null && idempotencyKey == null ? states.cached(stream) : null;
        if (cached != null) {
            List<E> decided = decideOnCache(cached, command);
            if (decided != null) {
                CommandResult<S, E> result = appendAtHead(stream, cached, decided, envelope);
                if (result != null) {
                    return result;
                }
                states.movedOn();
                missedHead = cached;
            }
        }
        for (int attempt = 1; ; attempt++) {
            StateLoader.Loaded<S> loaded = states.load(stream, missedHead);
            missedHead = null;
            S state = loaded.state();
            long version = loaded.version();
            // A decider's rejection leaves a cached state as it is: the loaded state is a fact, whatever was decided.
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
                AppendResult appended = appendChecked(stream, loaded, request);
                if (appended.duplicate()) {
                    return duplicate(stream, idempotencyKey, appended);
                }
                return committed(stream, loaded, decided, appended);
            } catch (ConcurrencyException conflict) {
                states.drop(stream);
                if (attempt >= retry.maxAttempts()) {
                    throw conflict;
                }
                LockSupport.parkNanos(retry.pauseAfter(attempt).toNanos());
                if (Thread.interrupted()) {
                    Thread.currentThread().interrupt();
                    throw conflict;
                }
            } catch (RuntimeException | Error failure) {
                // Archived, tombstoned, outcome unknown, a fold that throws: nothing is known about the stream now.
                states.drop(stream);
                throw failure;
            }
        }
    }

    /**
     * The append after a read: with a state cache on a {@link HeadAppender} store, at the last event read, so that a
     * stream deleted and written again up to the version read, between the read and the append, is not mistaken for
     * the one read. When that writes nothing the stream is read again: if it moved, that is a conflict; if it is still
     * as read (a closed stream, or an append the store will not check that way, after which the stream is read first
     * and appended to as usual from then on), the append goes the usual way, which says why or writes it.
     */
    private AppendResult appendChecked(StreamRef stream, StateLoader.Loaded<S> loaded, AppendRequest request) {
        java.util.UUID head = loaded.lastEventId();
        // Personal data is never cached, so a stream the store declines could not be marked read-first: as usual.
        if (heads == null || request.idempotencyKey() != null || head == null || loaded.version() < 1
                || loaded.personal() || states.readsFirst(stream)) {
            return store.append(request);
        }
        Optional<AppendResult> appended = heads.appendAtHead(request, head);
        if (appended.isPresent()) {
            return appended.get();
        }
        StateLoader.Loaded<S> again = states.load(stream, loaded);
        if (again.version() == loaded.version() && head.equals(again.lastEventId())) {
            return store.append(request);
        }
        throw again.version() == loaded.version()
                ? ConcurrencyException.writtenAgain(stream, request.expected(), again.version())
                : new ConcurrencyException(stream, request.expected(), again.version());
    }

    /**
     * The decision on a cached state ({@link HeadAppender}), or {@code null} when it is a rejection or no events: those
     * must rest on the stream as it is now, so the caller reads it and decides again.
     */
    private List<E> decideOnCache(StateLoader.Loaded<S> cached, C command) {
        try {
            List<E> decided = decider.decide(cached.state(), command);
            return decided == null || decided.isEmpty() ? null : decided;
        } catch (RuntimeException rejected) {
            return null;
        }
    }

    /**
     * Appends events decided on a cached state, only if the stream's last event is still the cached one. Returns
     * {@code null} when the stream moved on (nothing was written): the caller reads it and decides again; that is
     * not an attempt of the retry policy.
     */
    private CommandResult<S, E> appendAtHead(StreamRef stream, StateLoader.Loaded<S> cached, List<E> decided,
                                             CommandEnvelope envelope) {
        AppendRequest request = new AppendRequest(stream, ExpectedVersion.exactly(cached.version()), decided,
                envelope.context().eventMetadata(), null);
        try {
            Optional<AppendResult> appended = heads.appendAtHead(request, cached.lastEventId());
            return appended.isEmpty() ? null : committed(stream, cached, decided, appended.get());
        } catch (RuntimeException | Error failure) {
            states.drop(stream);
            throw failure;
        }
    }

    /** After a successful append: the new state folded, a snapshot saved when due, the cache updated. */
    private CommandResult<S, E> committed(StreamRef stream, StateLoader.Loaded<S> loaded, List<E> decided,
                                          AppendResult appended) {
        S next = decider.fold(loaded.state(), decided);
        long newVersion = appended.streamVersion();
        SnapshotKeeper.Restored<S> snapshot = loaded.snapshot();
        if (snapshots != null) {
            for (StoredEvent<Object> event : appended.events()) {
                snapshots.track(loaded.subjects(), event);
            }
            snapshot = snapshots.afterCommand(stream, newVersion, next, loaded.snapshot(), loaded.subjects());
        }
        states.appended(stream, loaded, appended, next, snapshot);
        return new CommandResult<>(next, typed(appended.events()), newVersion);
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
        StateLoader.Loaded<S> loaded = states.load(stream, null);
        return new CommandResult<>(loaded.state(), typed(previous.events()), loaded.version());
    }

    /**
     * Folds the whole stream from its first event, ignoring its snapshot, and saves a new snapshot of the result now
     * (also when snapshots are saved asynchronously): after a snapshot was invalidated, or to warm a stream up.
     *
     * <pre>{@code
     * accounts.rebuildSnapshot("a-1");
     * }</pre>
     *
     * @return the version the new snapshot includes; 0 when the stream has no events (nothing is saved)
     * @throws IllegalStateException when the handler was built without snapshots
     */
    public long rebuildSnapshot(String streamId) {
        StreamRef stream = StreamRef.of(streamType, streamId);
        StateLoader.Loaded<S> loaded = states.fold(stream, false);
        if (loaded.version() == 0) {
            return 0;
        }
        if (!requireSnapshots().save(stream, loaded.version(), loaded.state(), loaded.subjects())) {
            throw new EskitException("The snapshot of " + stream + " could not be saved; see the warning logged by"
                    + " dev.eskit.command.CommandHandler.");
        }
        return loaded.version();
    }

    /**
     * Deletes every snapshot of this handler's stream type (after a change the state codec's schema does not show, for
     * example); the next command of each stream folds from its first event and saves a new one.
     *
     * @return how many snapshots were deleted
     * @throws IllegalStateException when the handler was built without snapshots
     */
    public long invalidateSnapshots() {
        return requireSnapshots().store().deleteAll(streamType);
    }

    private SnapshotKeeper<S> requireSnapshots() {
        if (snapshots == null) {
            throw new IllegalStateException("This handler of \"" + streamType + "\" has no snapshots. Configure"
                    + " them with builder.snapshots(store, codec, everyN).");
        }
        return snapshots;
    }

    /** Checks a state cache size; shared with {@link CommandBus.Builder#cacheStates}. */
    static int checkCachedStreams(int maxStreams) {
        if (maxStreams < 0) {
            throw new InvalidInputException("State cache size " + maxStreams + " is negative. Use the number of"
                    + " streams whose states to keep in memory (such as 10000), or 0 for no cache.");
        }
        return maxStreams;
    }

    /**
     * What this handler's state cache holds and has done since the handler was built (hits, misses, streams moved
     * on by other writers, evictions); empty when the handler has no cache (see {@link Builder#cacheStates(int)}).
     *
     * <pre>{@code
     * handler.stateCache().ifPresent(stats -> log.info("state cache hit ratio {}", stats.hitRatio()));
     * }</pre>
     */
    public Optional<StateCacheStats> stateCache() {
        return Optional.ofNullable(states.stats());
    }

    /** How many streams' states are cached now; for tests. */
    int cachedStreams() {
        return states.cachedStreams();
    }

    /**
     * The events as the handler's event type: the same list (an {@link AppendResult}'s list is immutable, so
     * {@link CommandResult} keeps it without a copy), not a copy per command.
     */
    @SuppressWarnings("unchecked")
    private List<StoredEvent<E>> typed(List<StoredEvent<Object>> events) {
        return (List<StoredEvent<E>>) (List<?>) events;
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
        private java.time.Duration snapshotMinAge = java.time.Duration.ZERO;
        private java.util.concurrent.Executor snapshotExecutor;
        private java.time.Clock clock = java.time.Clock.systemUTC();
        // -1: as the decider's states allow (DEFAULT_CACHED_STREAMS when they are immutable, else none).
        private int cachedStreams = -1;

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

        /**
         * Saves a new snapshot only when the one a command started from is at least {@code value} old (default: no
         * minimum), on top of the every-N rule: a busy stream then writes at most one snapshot per {@code value}.
         *
         * <pre>{@code
         * builder.snapshots(jdbiStore.snapshots(), codec, 100).snapshotMinAge(Duration.ofMinutes(1))
         * }</pre>
         *
         * @throws InvalidInputException when {@code value} is negative
         */
        public Builder<S, C, E> snapshotMinAge(java.time.Duration value) {
            if (value == null || value.isNegative()) {
                throw new InvalidInputException("Snapshot minimum age " + value + " is null or negative. Use"
                        + " Duration.ZERO for none, or a positive duration such as Duration.ofMinutes(1).");
            }
            this.snapshotMinAge = value;
            return this;
        }

        /**
         * Saves snapshots on {@code executor}, off the command path: a command returns once its events are appended,
         * and the snapshot is encoded and written afterwards (at most one save per stream at a time; a save that fails
         * or is refused is logged and only makes later loads longer). States must be immutable values, as deciders'
         * states are: the saved state is encoded on another thread.
         *
         * <pre>{@code
         * builder.snapshots(jdbiStore.snapshots(), codec, 100).snapshotsAsync(Executors.newSingleThreadExecutor())
         * }</pre>
         */
        public Builder<S, C, E> snapshotsAsync(java.util.concurrent.Executor executor) {
            this.snapshotExecutor = Objects.requireNonNull(executor, "executor");
            return this;
        }

        /**
         * Keeps the folded states of up to {@code maxStreams} recently used streams in memory, so that
         * a command loads only the events appended after its stream's cached version instead of the whole stream.
         * On a store that is a {@link HeadAppender} (the Jdbi store, the in-memory store) a warm command is
         * decided on the cached state first and appended only if the stream's last event is still the cached one,
         * in the append's own round trip; otherwise nothing is written and the command is read and decided again
         * (not a retry attempt). Rejections and empty decisions are always checked against the stream. Either way
         * appends by other nodes (or other handlers) are always seen; the cached state is replaced after each
         * successful append and dropped after a version conflict or any failure to load or append. The least
         * recently used streams are evicted past {@code maxStreams}; each handler has its own cache.
         *
         * <p>The default is {@link #DEFAULT_CACHED_STREAMS} streams for a decider whose states are proven immutable
         * ({@link Decider#immutableStates()}: generated deciders whose state type the annotation processor can prove
         * deeply immutable) or checked one by one ({@link Decider#checksStates()}: then a state
         * {@link Decider#isImmutable} rejects is cached as a private copy, {@link Decider#copyState}, and each
         * command gets a copy of it; one that cannot be copied is not cached), and no cache otherwise;
         * {@code cacheStates(0)} turns the cache off.
         *
         * <p>Asked for with this method, the cache keeps every state as it is, checked or not: states must then be
         * immutable values (as a decider's states are meant to be), because a cached state is handed to later
         * commands, on any thread, as it is. On a store that protects personal data, a state whose fold saw an
         * event of a type with {@code @PersonalData} is never cached, so that a forgotten subject's data is not kept
         * in memory. A cached state is used before a snapshot; snapshots are saved as without a cache.
         *
         * <pre>{@code
         * CommandHandler.builder(store, new AccountDecider(), "account").cacheStates(10_000).build();
         * }</pre>
         *
         * @param maxStreams how many streams to keep, 0 for no cache
         * @throws InvalidInputException when {@code maxStreams} is negative
         */
        public Builder<S, C, E> cacheStates(int maxStreams) {
            this.cachedStreams = checkCachedStreams(maxStreams);
            return this;
        }

        /** The clock snapshots are timed with (default: the system clock); for tests of the minimum age. */
        public Builder<S, C, E> clock(java.time.Clock value) {
            this.clock = Objects.requireNonNull(value, "clock");
            return this;
        }

        /** Builds the handler. */
        public CommandHandler<S, C, E> build() {
            return new CommandHandler<>(this);
        }
    }
}
