package dev.eskit.tenancy;

import dev.eskit.StreamRef;
import dev.eskit.snapshot.Snapshot;
import dev.eskit.snapshot.SnapshotStore;
import java.util.Objects;
import java.util.Optional;

/** One tenant's snapshots in a shared {@link SnapshotStore}, keyed by the stream as the shared store keeps it. */
final class TenantScopedSnapshotStore implements SnapshotStore {

    private final TenantScope scope;
    private final SnapshotStore shared;

    TenantScopedSnapshotStore(TenantScope scope, SnapshotStore shared) {
        this.scope = scope;
        this.shared = Objects.requireNonNull(shared, "shared");
    }

    TenantScope scope() {
        return scope;
    }

    @Override
    public Optional<Snapshot> load(StreamRef stream) {
        return shared.load(scope.stream(stream)).map(found -> new Snapshot(scope.unscoped(found.stream()),
                found.version(), found.schema(), found.data(), found.timestamp()));
    }

    @Override
    public void save(Snapshot snapshot) {
        shared.save(new Snapshot(scope.stream(snapshot.stream()), snapshot.version(), snapshot.schema(),
                snapshot.data(), snapshot.timestamp()));
    }

    @Override
    public void delete(StreamRef stream) {
        shared.delete(scope.stream(stream));
    }

    /** Deletes the tenant's snapshots of {@code streamType}. */
    @Override
    public long deleteAll(String streamType) {
        return shared.deleteAll(scope.name("Stream type", streamType));
    }

    /** Refused: a tenant's view deletes its snapshots one stream type at a time ({@link #deleteAll(String)}). */
    @Override
    public long deleteAll() {
        throw new UnsupportedOperationException("A tenant's snapshot view does not delete every snapshot at once."
                + " Call deleteAll(streamType) for each of the tenant's stream types.");
    }
}
