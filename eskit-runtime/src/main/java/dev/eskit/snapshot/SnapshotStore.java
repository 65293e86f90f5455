package dev.eskit.snapshot;

import dev.eskit.StreamRef;
import java.util.Optional;

/** Keeps the latest snapshot of each stream. Implementations are thread-safe. */
public interface SnapshotStore {

    /** The latest snapshot of {@code stream}, or empty. */
    Optional<Snapshot> load(StreamRef stream);

    /** Saves {@code snapshot}, replacing an older one of the same stream; a snapshot older than the saved one is ignored. */
    void save(Snapshot snapshot);

    /** Deletes the snapshot of {@code stream}, if any. */
    void delete(StreamRef stream);

    /**
     * Deletes the snapshots of every stream of {@code streamType} (invalidates them): the next command of each stream
     * folds from its first event and saves a new one.
     *
     * @return how many were deleted
     * @throws UnsupportedOperationException when the store cannot enumerate its snapshots (the default)
     */
    default long deleteAll(String streamType) {
        throw new UnsupportedOperationException(getClass().getName() + " cannot delete snapshots by stream type."
                + " Delete them stream by stream with delete(stream), or use a store that implements deleteAll.");
    }

    /**
     * Deletes every snapshot of every stream type.
     *
     * @return how many were deleted
     * @throws UnsupportedOperationException when the store cannot enumerate its snapshots (the default)
     */
    default long deleteAll() {
        throw new UnsupportedOperationException(getClass().getName() + " cannot delete all snapshots. Delete them"
                + " stream by stream with delete(stream), or use a store that implements deleteAll.");
    }

    /** A new, empty in-memory snapshot store. */
    static SnapshotStore inMemory() {
        return new InMemorySnapshotStore();
    }
}
