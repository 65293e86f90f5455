package dev.eskit.tenancy;

import dev.eskit.StreamAdmin;
import dev.eskit.StreamRef;
import dev.eskit.StreamStatus;
import java.util.Objects;

/** One tenant's stream administration on a shared store: it reaches the tenant's streams only. */
final class TenantScopedStreamAdmin implements StreamAdmin {

    private final TenantScope scope;
    private final StreamAdmin shared;

    TenantScopedStreamAdmin(TenantScope scope, StreamAdmin shared) {
        this.scope = scope;
        this.shared = Objects.requireNonNull(shared, "shared");
    }

    TenantScope scope() {
        return scope;
    }

    @Override
    public StreamStatus status(StreamRef stream) {
        return shared.status(scope.stream(stream));
    }

    @Override
    public void archive(StreamRef stream) {
        shared.archive(scope.stream(stream));
    }

    @Override
    public void restore(StreamRef stream) {
        shared.restore(scope.stream(stream));
    }

    @Override
    public void tombstone(StreamRef stream) {
        shared.tombstone(scope.stream(stream));
    }

    @Override
    public void tombstone(StreamRef stream, String reason) {
        shared.tombstone(scope.stream(stream), reason);
    }

    @Override
    public java.util.Optional<dev.eskit.Tombstone> tombstoneOf(StreamRef stream) {
        return shared.tombstoneOf(scope.stream(stream)).map(found -> new dev.eskit.Tombstone(
                scope.unscoped(found.stream()), found.reason(), found.at()));
    }

    @Override
    public long delete(StreamRef stream) {
        return shared.delete(scope.stream(stream));
    }
}
