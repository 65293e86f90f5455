package dev.eskit.command;

import dev.eskit.StoredEvent;
import dev.eskit.StreamRef;
import dev.eskit.gdpr.PersonalDataProtector;
import dev.eskit.snapshot.Snapshot;
import dev.eskit.snapshot.SnapshotStore;
import dev.eskit.snapshot.StateCodec;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A command handler's snapshots: reading them, the every-N and minimum-age policy, sealing states folded from personal
 * data under their subjects' keys, and saving off the command path. Problems are logged, never thrown at a command.
 *
 * <p>When the event store protects personal data ({@link dev.eskit.EventStore#personalData()}) and the state codec
 * does not encrypt by itself, every snapshot records the data subjects of the events folded into it; a snapshot with
 * subjects is sealed under all of their keys, so that forgetting any of them shreds it (the next command then folds
 * from the first event). The schema gets a suffix ({@code +pd0} without subjects, {@code +pds} sealed), so snapshots
 * written before protection was turned on, which do not know their subjects, are ignored and replaced.
 */
final class SnapshotKeeper<S> {

    // The SLF4J logger under the handler's name, as CommandHandler logged before this class was split out of it.
    private static final Logger LOG = LoggerFactory.getLogger(CommandHandler.class);
    private static final String TRACKED = "+pd0";
    private static final String SEALED = "+pds";

    private final SnapshotStore store;
    private final StateCodec<S> codec;
    private final long everyN;
    private final Duration minAge;
    private final Executor async;
    private final Clock clock;
    private final PersonalDataProtector protector;
    private final Set<StreamRef> saving = ConcurrentHashMap.newKeySet();

    SnapshotKeeper(SnapshotStore store, StateCodec<S> codec, long everyN, Duration minAge, Executor async, Clock clock,
                   Optional<PersonalDataProtector> protector) {
        this.store = store;
        this.codec = codec;
        this.everyN = everyN;
        this.minAge = minAge;
        this.async = async;
        this.clock = clock;
        this.protector = PersonalDataProtector.encrypts(codec) ? null : protector.orElse(null);
    }

    /** A state read from a snapshot, the version it includes, when it was taken and the subjects it holds. */
    record Restored<S>(S state, long version, Instant takenAt, Set<String> subjects) {
    }

    /** Whether the data subjects of folded events must be tracked (the store protects personal data). */
    boolean tracksSubjects() {
        return protector != null;
    }

    /** Adds the data subjects whose personal data {@code event} holds to {@code subjects}. */
    void track(Set<String> subjects, StoredEvent<?> event) {
        if (protector != null) {
            subjects.addAll(protector.subjectsOf(event));
        }
    }

    /** The stream's snapshot when it exists, has the current schema and can be read; otherwise {@code null}. */
    Restored<S> read(StreamRef stream) {
        Optional<Snapshot> found;
        try {
            found = store.load(stream);
        } catch (RuntimeException e) {
            LOG.warn("The snapshot of " + stream + " cannot be loaded; folding the"
                    + " stream from its first event instead. Check the snapshot store.", e);
            return null;
        }
        if (found.isEmpty()) {
            return null;
        }
        Snapshot snapshot = found.get();
        try {
            if (protector == null) {
                if (!snapshot.schema().equals(codec.schema())) {
                    ignored(stream, snapshot);
                    return null;
                }
                return new Restored<>(codec.decode(snapshot.data()), snapshot.version(), snapshot.timestamp(),
                        Set.of());
            }
            if (snapshot.schema().equals(codec.schema() + TRACKED)) {
                return new Restored<>(codec.decode(snapshot.data()), snapshot.version(), snapshot.timestamp(),
                        Set.of());
            }
            if (!snapshot.schema().equals(codec.schema() + SEALED)) {
                ignored(stream, snapshot);
                return null;
            }
            Optional<PersonalDataProtector.OpenedSnapshot> opened = protector.openSnapshot(codec.schema(),
                    snapshot.data());
            if (opened.isEmpty()) {
                LOG.atDebug().setMessage(() -> "The snapshot of " + stream + " holds personal data of a"
                        + " forgotten subject; folding from the first event.").log();
                return null;
            }
            return new Restored<>(codec.decode(opened.get().state()), snapshot.version(), snapshot.timestamp(),
                    opened.get().subjects());
        } catch (RuntimeException e) {
            LOG.warn("The snapshot of " + stream + " at version " + snapshot.version()
                    + " cannot be read and is ignored; the stream is folded from its first event and the next"
                    + " snapshot replaces it. Cause: " + e.getMessage(), e);
            return null;
        }
    }

    private void ignored(StreamRef stream, Snapshot snapshot) {
        // The state's shape changed since (or protection was turned on): the next snapshot replaces it.
        LOG.atDebug().setMessage(() -> "Ignoring the snapshot of " + stream + " with schema "
                + snapshot.schema() + "; the current schema is " + codec.schema() + ".").log();
    }

    /**
     * Saves a snapshot after a command took the stream to {@code version}, when the policy asks for one: at least
     * every-N events past the snapshot the command started from, and that snapshot at least the minimum age old.
     *
     * @return the stream's snapshot after this (without its state): the one saved or handed to the executor now, else
     *         {@code from}; what a cached state remembers instead of reading the snapshot again
     */
    Restored<S> afterCommand(StreamRef stream, long version, S state, Restored<S> from, Set<String> subjects) {
        long snapshotVersion = from == null ? 0 : from.version();
        if (version - snapshotVersion < everyN) {
            return from;
        }
        if (from != null && !minAge.isZero()
                && Duration.between(from.takenAt(), clock.instant()).compareTo(minAge) < 0) {
            return from;
        }
        Restored<S> saved = new Restored<>(null, version, clock.instant(), Set.of());
        if (async == null) {
            return save(stream, version, state, subjects) ? saved : from;
        }
        if (!saving.add(stream)) {
            return from; // a save of this stream is still running; the next command offers a newer one
        }
        Set<String> copy = Set.copyOf(subjects);
        try {
            async.execute(() -> {
                try {
                    save(stream, version, state, copy);
                } finally {
                    saving.remove(stream);
                }
            });
        } catch (RejectedExecutionException e) {
            saving.remove(stream);
            LOG.warn("The snapshot of " + stream + " at version " + version
                    + " was not saved: the snapshot executor refused it (" + e + ").");
            return from;
        }
        return saved;
    }

    /** Writes a snapshot now; returns whether it was saved. */
    boolean save(StreamRef stream, long version, S state, Set<String> subjects) {
        try {
            byte[] data = codec.encode(state);
            String schema = codec.schema();
            if (protector != null) {
                if (subjects.isEmpty()) {
                    schema += TRACKED;
                } else {
                    data = protector.sealSnapshot(new TreeSet<>(subjects), codec.schema(), data);
                    schema += SEALED;
                }
            }
            store.save(new Snapshot(stream, version, schema, data, clock.instant()));
            return true;
        } catch (RuntimeException e) {
            // The events are committed; a missing snapshot only makes the next load longer.
            LOG.warn("The snapshot of " + stream + " at version " + version
                    + " cannot be saved; loads keep folding from the previous snapshot. Cause: " + e.getMessage(), e);
            return false;
        }
    }

    /** The snapshot store. */
    SnapshotStore store() {
        return store;
    }
}
