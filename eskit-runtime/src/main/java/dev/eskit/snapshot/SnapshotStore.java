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

    /** A new, empty in-memory snapshot store. */
    static SnapshotStore inMemory() {
        return new InMemorySnapshotStore();
    }
}
