package dev.eskit.command;

import dev.eskit.AppendResult;
import dev.eskit.Decider;
import dev.eskit.EventStore;
import dev.eskit.StoredEvent;
import dev.eskit.StreamRef;
import dev.eskit.gdpr.PersonalDataProtector;
import dev.eskit.store.StreamDataReader;
import java.util.HashSet;
import java.util.Set;
import java.util.UUID;

/**
 * A command handler's loads: the stream folded from its first event, from its snapshot, or, with a {@link StateCache},
 * from the cached state on. It keeps the cache up to date: a state is cached after a load or a successful append,
 * unless its fold saw personal data on a protecting store (or nothing identifies its last event), and dropped when
 * the handler reports a failure.
 *
 * <p>Checked states ({@link Decider#checksStates()}, the cache on by default): a state {@link Decider#isImmutable}
 * accepts is cached and handed out as it is; one it rejects is cached as a private copy
 * ({@link Decider#copyState}) and each command gets a copy of that, so the cached instance never reaches code that
 * could change it; one that cannot be copied is not cached.
 */
final class StateLoader<S, E> {

    /**
     * A folded state, the version it includes, the snapshot it started from ({@code null} for none), the data
     * subjects of the personal data folded into it (tracked only when snapshots need sealing), the id of the event at
     * {@code version} ({@code null} when not read) and whether its fold saw personal data (tracked only with a cache).
     */
    record Loaded<S>(S state, long version, SnapshotKeeper.Restored<S> snapshot, Set<String> subjects,
                     UUID lastEventId, boolean personal) {
    }

    private final EventStore store;
    private final Decider<S, ?, E> decider;
    private final SnapshotKeeper<S> snapshots;
    private final StateCache<S> cache;
    // The store's protector when states are cached: a state folded from personal data is never cached.
    private final PersonalDataProtector protector;
    // Whether each state is asked (Decider.isImmutable) before it is cached, and copied when it is not immutable.
    private final boolean checked;

    /** {@code checked}: share the states {@link Decider#isImmutable} accepts, cache copies of the others. */
    StateLoader(EventStore store, Decider<S, ?, E> decider, SnapshotKeeper<S> snapshots, StateCache<S> cache,
                boolean checked) {
        this.store = store;
        this.decider = decider;
        this.snapshots = snapshots;
        this.cache = cache;
        this.protector = cache == null ? null : store.personalData().orElse(null);
        this.checked = checked;
    }

    /**
     * {@code state} to share between the cache and a command, both ways (what to cache of a folded state, what a
     * command gets of a cached one): the state itself unless the decider's checks find it changeable, then a copy of
     * it, or {@code null} when it cannot be copied (a folded state is then not cached).
     */
    private S shareable(S state) {
        return !checked || decider.isImmutable(state) ? state : decider.copyState(state);
    }

    /**
     * The stream's cached state to decide on before reading the stream, or {@code null}: no cache, no entry, or
     * the stream is read first. Reads nothing.
     */
    Loaded<S> cached(StreamRef stream) {
        StateCache.Entry<S> entry = cache == null ? null : cache.get(stream);
        if (entry == null || entry.readFirst()) {
            return null;
        }
        S state = shareable(entry.state());
        if (state == null && entry.state() != null) {
            return null;
        }
        cache.hit();
        return new Loaded<>(state, entry.version(), entry.snapshot(),
                snapshots == null ? Set.of() : new HashSet<>(), entry.lastEventId(), false);
    }

    /** Whether the stream's cache entry says to append to it as usual (the store would not check it at its head). */
    boolean readsFirst(StreamRef stream) {
        StateCache.Entry<S> entry = cache == null ? null : cache.get(stream);
        return entry != null && entry.readFirst();
    }

    /**
     * The stream's current state: from the cache when it holds the stream, else from its snapshot or first event.
     * {@code missedHead}: the cached state an append at its last event was just tried on and wrote nothing for, else
     * {@code null}; when the stream turns out to be still exactly at that event, the store refused for another
     * reason (tags, say), so from now on this stream is read first.
     */
    Loaded<S> load(StreamRef stream, Loaded<S> missedHead) {
        if (cache == null) {
            return fold(stream, true);
        }
        try {
            StateCache.Entry<S> cached = cache.get(stream);
            Loaded<S> warm = cached == null ? null : loadAfter(stream, cached);
            if (warm != null) {
                cache.hit();
            } else {
                cache.miss();
            }
            Loaded<S> loaded = warm != null ? warm : fold(stream, true);
            if (loaded.personal() || loaded.lastEventId() == null) {
                // Personal data, or nothing to check the next load against (no events, or all in the snapshot).
                cache.remove(stream);
            } else if (warm == null || warm.version() > cached.version()) {
                S kept = shareable(loaded.state());
                if (kept == null && loaded.state() != null) {
                    // A changeable state the decider cannot copy.
                    cache.remove(stream);
                } else {
                    cache.put(stream, new StateCache.Entry<>(kept, loaded.version(), loaded.lastEventId(),
                            stateless(loaded.snapshot())));
                }
            } else if (missedHead != null && cached.version() == missedHead.version()
                    && cached.lastEventId().equals(missedHead.lastEventId())) {
                cache.put(stream, new StateCache.Entry<>(cached.state(), cached.version(), cached.lastEventId(),
                        cached.snapshot(), true));
            }
            return loaded;
        } catch (RuntimeException | Error failure) {
            cache.remove(stream);
            throw failure;
        }
    }

    /** Caches the state after a successful append, unless its fold saw personal data. */
    void appended(StreamRef stream, Loaded<S> loaded, AppendResult appended, S next,
                  SnapshotKeeper.Restored<S> snapshot) {
        if (cache == null) {
            return;
        }
        boolean personal = loaded.personal();
        for (StoredEvent<Object> event : appended.events()) {
            personal |= isPersonal(event);
        }
        S kept = personal ? null : shareable(next);
        if (kept == null && (personal || next != null)) {
            cache.remove(stream);
            return;
        }
        StoredEvent<Object> last = appended.events().get(appended.events().size() - 1);
        cache.put(stream, new StateCache.Entry<>(kept, last.version(), last.id(), stateless(snapshot)));
    }

    /** Forgets the stream's cached state: after a conflict or any failure, nothing is known about the stream. */
    void drop(StreamRef stream) {
        if (cache != null) {
            cache.remove(stream);
        }
    }

    /** How many streams' states are cached now. */
    int cachedStreams() {
        return cache == null ? 0 : cache.size();
    }

    /** Counts a warm append that wrote nothing because the stream had moved on. */
    void movedOn() {
        if (cache != null) {
            cache.movedOn();
        }
    }

    /** The cache's figures, or {@code null} without a cache. */
    StateCacheStats stats() {
        return cache == null ? null : cache.stats();
    }

    private boolean isPersonal(StoredEvent<Object> event) {
        return protector != null && protector.appliesTo(event.eventType());
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

    /**
     * Folds the events after a cached state onto it; {@code null} when the stream no longer holds the event the
     * state was folded up to (it was deleted, and perhaps started again): the caller then folds from the start.
     * The load starts at the cached version itself, so that event's id is compared before anything is folded.
     */
    @SuppressWarnings("unchecked")
    private Loaded<S> loadAfter(StreamRef stream, StateCache.Entry<S> cached) {
        S start = shareable(cached.state());
        if (start == null && cached.state() != null) {
            cache.remove(stream);
            return null;
        }
        Object[] folded = {start};
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

    /** Folds the stream from its snapshot (when {@code fromSnapshot} and there is one) or its first event. */
    @SuppressWarnings("unchecked")
    Loaded<S> fold(StreamRef stream, boolean fromSnapshot) {
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
}
