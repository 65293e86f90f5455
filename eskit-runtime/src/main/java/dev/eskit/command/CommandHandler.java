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
import dev.eskit.store.StreamDataReader;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
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
 * <p>With {@link Builder#cacheStates(int) a state cache} (off by default), the handler keeps recently used streams'
 * folded states in memory and loads only the events appended after the cached version, so that a warm stream costs
 * one short read instead of a whole fold, and other nodes' appends are still seen. States must then be immutable.
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
    private final SnapshotKeeper<S> snapshots;
    private final StateCache<S> cache;
    // The store's protector when states are cached: a state folded from personal data is never cached.
    private final dev.eskit.gdpr.PersonalDataProtector protector;

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
        this.cache = builder.cachedStreams == 0 ? null : new StateCache<>(builder.cachedStreams);
        this.protector = cache == null ? null : builder.store.personalData().orElse(null);
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
                AppendResult appended = store.append(request);
                if (appended.duplicate()) {
                    return duplicate(stream, idempotencyKey, appended);
                }
                S next = decider.fold(state, decided);
                long newVersion = appended.streamVersion();
                SnapshotKeeper.Restored<S> snapshot = loaded.snapshot;
                if (snapshots != null) {
                    for (StoredEvent<Object> event : appended.events()) {
                        snapshots.track(loaded.subjects, event);
                    }
                    snapshot = snapshots.afterCommand(stream, newVersion, next, loaded.snapshot, loaded.subjects);
                }
                if (cache != null) {
                    cacheAppended(stream, loaded, appended, next, snapshot);
                }
                return new CommandResult<>(next, typed(appended.events()), newVersion);
            } catch (ConcurrencyException conflict) {
                uncache(stream);
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
                uncache(stream);
                throw failure;
            }
        }
    }

    private void uncache(StreamRef stream) {
        if (cache != null) {
            cache.remove(stream);
        }
    }

    /** Caches the state after a successful append, unless its fold saw personal data. */
    private void cacheAppended(StreamRef stream, Loaded<S> loaded, AppendResult appended, S next,
                               SnapshotKeeper.Restored<S> snapshot) {
        boolean personal = loaded.personal;
        for (StoredEvent<Object> event : appended.events()) {
            personal |= isPersonal(event);
        }
        if (personal) {
            cache.remove(stream);
            return;
        }
        StoredEvent<Object> last = appended.events().get(appended.events().size() - 1);
        cache.put(stream, new StateCache.Entry<>(next, last.version(), last.id(), stateless(snapshot)));
    }

    private boolean isPersonal(StoredEvent<Object> event) {
        return protector != null && protector.appliesTo(event.eventType());
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

    /**
     * A folded state, the version it includes, the snapshot it started from ({@code null} for none), the data
     * subjects of the personal data folded into it (tracked only when snapshots need sealing), the id of the event at
     * {@code version} ({@code null} when not read) and whether its fold saw personal data (tracked only with a cache).
     */
    private record Loaded<S>(S state, long version, SnapshotKeeper.Restored<S> snapshot, Set<String> subjects,
                             UUID lastEventId, boolean personal) {
    }

    private Loaded<S> loadState(StreamRef stream) {
        if (cache == null) {
            return loadState(stream, true);
        }
        try {
            StateCache.Entry<S> cached = cache.get(stream);
            Loaded<S> loaded = cached == null ? null : loadAfter(stream, cached);
            if (loaded == null) {
                loaded = loadState(stream, true);
            }
            if (loaded.personal || loaded.lastEventId == null) {
                // Nothing to check the next load against (no events, or all of them in the snapshot), or personal data.
                cache.remove(stream);
            } else if (cached == null || loaded.version > cached.version()) {
                cache.put(stream, new StateCache.Entry<>(loaded.state, loaded.version, loaded.lastEventId,
                        stateless(loaded.snapshot)));
            }
            return loaded;
        } catch (RuntimeException | Error failure) {
            cache.remove(stream);
            throw failure;
        }
    }

    /**
     * Folds the events after a cached state onto it; {@code null} when the stream no longer holds the event the
     * state was folded up to (it was deleted, and perhaps started again): the caller then folds from the start.
     * The load starts at the cached version itself, so that event's id is compared before anything is folded.
     */
    @SuppressWarnings("unchecked")
    private Loaded<S> loadAfter(StreamRef stream, StateCache.Entry<S> cached) {
        Object[] folded = {cached.state()};
        long[] last = {cached.version()};
        UUID[] lastId = {cached.lastEventId()};
        // 0: the cached event not seen yet, 1: seen and the same, -1: the stream changed under the cache
        int[] matched = {0};
        boolean[] personal = {false};
        Set<String> subjects = snapshots == null ? Set.of() : new HashSet<>();
        StreamDataReader.IdentifiedDataAction fold = (eventVersion, id, data) -> {
            if (matched[0] == 0) {
                matched[0] = eventVersion == cached.version() && id.equals(cached.lastEventId()) ? 1 : -1;
            } else if (matched[0] > 0) {
                folded[0] = decider.evolve((S) folded[0], (E) data);
                last[0] = eventVersion;
                lastId[0] = id;
            }
        };
        if (needsStoredEvents()) {
            store.load(stream, cached.version(), event -> {
                fold.accept(event.version(), event.id(), event.data());
                if (matched[0] > 0 && event.version() > cached.version()) {
                    personal[0] |= isPersonal(event);
                    if (snapshots != null) {
                        snapshots.track(subjects, event);
                    }
                }
            });
        } else {
            // Ids, versions and data suffice: a store that can skip the metadata does.
            StreamDataReader.loadWithIds(store, stream, cached.version(), fold);
        }
        if (matched[0] != 1) {
            cache.remove(stream);
            return null;
        }
        return new Loaded<>((S) folded[0], last[0], cached.snapshot(), subjects, lastId[0], personal[0]);
    }

    /**
     * Whether a load must hand over whole stored events: to track the data subjects of snapshots, or to see which
     * events of a protecting store hold personal data.
     */
    private boolean needsStoredEvents() {
        return protector != null || (snapshots != null && snapshots.tracksSubjects());
    }

    /** The snapshot's version and time without its state, for a cache entry that must not hold a second state. */
    private static <S> SnapshotKeeper.Restored<S> stateless(SnapshotKeeper.Restored<S> snapshot) {
        return snapshot == null || snapshot.state() == null ? snapshot
                : new SnapshotKeeper.Restored<>(null, snapshot.version(), snapshot.takenAt(), Set.of());
    }

    @SuppressWarnings("unchecked")
    private Loaded<S> loadState(StreamRef stream, boolean fromSnapshot) {
        S state = decider.initialState();
        long version = 0;
        SnapshotKeeper.Restored<S> restored = snapshots != null && fromSnapshot ? snapshots.read(stream) : null;
        // Subjects are only ever read with snapshots.
        Set<String> subjects = snapshots == null ? Set.of() : new HashSet<>();
        boolean personal = false;
        if (restored != null) {
            state = restored.state();
            version = restored.version();
            subjects.addAll(restored.subjects());
            // A snapshot that does not say whose data it holds may hold anyone's: not cached on a protecting store.
            personal = protector != null && (!restored.subjects().isEmpty() || !snapshots.tracksSubjects());
        }
        boolean track = snapshots != null && snapshots.tracksSubjects();
        // Folded as the events stream in: memory stays bounded whatever the stream's length.
        Object[] folded = {state};
        long[] last = {version};
        UUID[] lastId = {null};
        boolean[] sawPersonal = {personal};
        long from = version == 0 ? 1 : version + 1;
        if (cache != null && !needsStoredEvents()) {
            // A cache needs each event's id: a store that can skip the metadata hands ids and data over alone.
            StreamDataReader.loadWithIds(store, stream, from, (eventVersion, id, data) -> {
                folded[0] = decider.evolve((S) folded[0], (E) data);
                last[0] = eventVersion;
                lastId[0] = id;
            });
        } else if (track || cache != null) {
            // A cache on a protecting store needs each event's type, snapshots tracking subjects its subjects.
            store.load(stream, from, event -> {
                folded[0] = decider.evolve((S) folded[0], (E) event.data());
                last[0] = event.version();
                lastId[0] = event.id();
                sawPersonal[0] |= isPersonal(event);
                if (track) {
                    snapshots.track(subjects, event);
                }
            });
        } else {
            // The fold needs each event's data and version only: a store that can skip the metadata does.
            StreamDataReader.load(store, stream, from, (eventVersion, data) -> {
                folded[0] = decider.evolve((S) folded[0], (E) data);
                last[0] = eventVersion;
            });
        }
        return new Loaded<>((S) folded[0], last[0], restored, subjects, lastId[0], sawPersonal[0]);
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
        Loaded<S> loaded = loadState(stream, false);
        if (loaded.version == 0) {
            return 0;
        }
        if (!requireSnapshots().save(stream, loaded.version, loaded.state, loaded.subjects)) {
            throw new EskitException("The snapshot of " + stream + " could not be saved; see the warning logged by"
                    + " dev.eskit.command.CommandHandler.");
        }
        return loaded.version;
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

    /** How many streams' states are cached now; for tests. */
    int cachedStreams() {
        return cache == null ? 0 : cache.size();
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
        private java.time.Duration snapshotMinAge = java.time.Duration.ZERO;
        private java.util.concurrent.Executor snapshotExecutor;
        private java.time.Clock clock = java.time.Clock.systemUTC();
        private int cachedStreams;

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
         * Keeps the folded states of up to {@code maxStreams} recently used streams in memory (default: off), so that
         * a command loads only the events appended after its stream's cached version instead of the whole stream.
         * The store is still asked on every command, so appends by other nodes (or other handlers) are always seen;
         * the cached state is replaced after each successful append and dropped after a version conflict or any
         * failure to load or append. The least recently used streams are evicted past {@code maxStreams}; each
         * handler has its own cache.
         *
         * <p>States must be immutable values (as a decider's states are meant to be): a cached state is handed to
         * later commands, on any thread, as it is. On a store that protects personal data, a state whose fold saw an
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
