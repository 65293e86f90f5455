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
    private final String prefix;

    private TenantScopedCheckpointStore(CheckpointStore shared, TenantId tenant) {
        this.shared = Objects.requireNonNull(shared, "shared");
        this.prefix = Objects.requireNonNull(tenant, "tenant").value() + Tenancy.SEPARATOR;
    }

    /** The view of {@code tenant} on {@code shared}. */
    public static TenantScopedCheckpointStore of(CheckpointStore shared, TenantId tenant) {
        return new TenantScopedCheckpointStore(shared, tenant);
    }

    private String scoped(String name) {
        dev.eskit.Names.check("Subscription name", name);
        return prefix + name;
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
