package dev.eskit.snapshot;

import dev.eskit.StreamRef;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/** Snapshots in a map. */
final class InMemorySnapshotStore implements SnapshotStore {
    private final ConcurrentMap<StreamRef, Snapshot> snapshots = new ConcurrentHashMap<>();

    @Override
    public Optional<Snapshot> load(StreamRef stream) {
        return Optional.ofNullable(snapshots.get(Objects.requireNonNull(stream, "stream")));
    }

    @Override
    public void save(Snapshot snapshot) {
        snapshots.merge(snapshot.stream(), snapshot,
                (saved, offered) -> offered.version() >= saved.version() ? offered : saved);
    }

    @Override
    public void delete(StreamRef stream) {
        snapshots.remove(Objects.requireNonNull(stream, "stream"));
    }
}
