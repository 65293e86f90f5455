package dev.eskit.tenancy;

import dev.eskit.Position;
import dev.eskit.subscription.CheckpointStore;
import java.util.Objects;
import java.util.Optional;

/**
 * One tenant's view of a shared {@link CheckpointStore}: subscription {@code balances} of tenant {@code acme} is kept
 * as {@code acme::balances}, so two tenants' subscriptions of one name never share a checkpoint. Pair it with a
 * {@link TenantScopedEventStore} of the same tenant.
 */
public final class TenantScopedCheckpointStore implements CheckpointStore {

    private final CheckpointStore shared;
    private final TenantScope scope;

    private TenantScopedCheckpointStore(CheckpointStore shared, TenantId tenant) {
        this.shared = Objects.requireNonNull(shared, "shared");
        this.scope = TenantScope.of(Objects.requireNonNull(tenant, "tenant"));
    }

    /** The view of {@code tenant} on {@code shared}; a view of {@code tenant} is returned as it is. */
    public static TenantScopedCheckpointStore of(CheckpointStore shared, TenantId tenant) {
        if (shared instanceof TenantScopedCheckpointStore view && view.scope.tenant().equals(tenant)) {
            return view;
        }
        return new TenantScopedCheckpointStore(shared, tenant);
    }

    TenantScope scope() {
        return scope;
    }

    private String scoped(String name) {
        return scope.name("Subscription name", name);
    }

    @Override
    public Optional<Position> load(String name) {
        return shared.load(scoped(name));
    }

    @Override
    public void save(String name, Position position) {
        shared.save(scoped(name), position);
    }

    @Override
    public void delete(String name) {
        shared.delete(scoped(name));
    }
}
