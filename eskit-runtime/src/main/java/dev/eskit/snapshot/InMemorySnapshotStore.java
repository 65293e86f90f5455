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

    @Override
    public long deleteAll(String streamType) {
        Objects.requireNonNull(streamType, "streamType");
        long[] deleted = {0};
        snapshots.keySet().removeIf(stream -> {
            boolean match = stream.type().equals(streamType);
            deleted[0] += match ? 1 : 0;
            return match;
        });
        return deleted[0];
    }

    @Override
    public long deleteAll() {
        long deleted = 0;
        for (StreamRef stream : snapshots.keySet()) {
            deleted += snapshots.remove(stream) != null ? 1 : 0;
        }
        return deleted;
    }
}
