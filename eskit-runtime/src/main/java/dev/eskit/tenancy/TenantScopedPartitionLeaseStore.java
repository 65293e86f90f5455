package dev.eskit.tenancy;

import dev.eskit.partition.PartitionLease;
import dev.eskit.partition.PartitionLeaseStatus;
import dev.eskit.partition.PartitionLeaseStore;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One tenant's view of a shared {@link PartitionLeaseStore}: partitioned subscription {@code orders} of tenant
 * {@code acme} heartbeats, claims and renews as {@code acme::orders}, so two tenants' subscriptions of the same name
 * split their partitions independently and never hold or release each other's leases. The leases it hands out name
 * the subscription as the shared store keeps it ({@code acme::orders}), so a database fence
 * ({@link dev.eskit.partition.PartitionFence}) checks the right row; a lease of another tenant given to the view is
 * refused with {@link InvalidTenantException} and changes nothing.
 *
 * <p>A {@link dev.eskit.partition.PartitionedSubscription} built on a tenant's event store uses this view of whatever
 * lease store it is given.
 */
public final class TenantScopedPartitionLeaseStore implements PartitionLeaseStore {

    private final TenantScope scope;
    private final PartitionLeaseStore shared;

    TenantScopedPartitionLeaseStore(TenantScope scope, PartitionLeaseStore shared) {
        this.scope = scope;
        this.shared = Objects.requireNonNull(shared, "shared");
    }

    /** The tenant's scope. */
    public TenantScope scope() {
        return scope;
    }

    private String name(String subscription) {
        return scope.name("Subscription name", subscription);
    }

    private PartitionLease own(PartitionLease lease) {
        Objects.requireNonNull(lease, "lease");
        if (!scope.owns(lease.subscription())) {
            throw new InvalidTenantException("The lease on partition " + lease.partition() + " of \""
                    + dev.eskit.Limits.abbreviate(lease.subscription()) + "\" is not tenant \"" + scope.tenant()
                    + "\"'s. Release and check only leases this tenant's view handed out.");
        }
        return lease;
    }

    private PartitionLease checked(PartitionLease lease) {
        if (!scope.owns(lease.subscription())) {
            throw new IllegalStateException("A shared lease store handed the lease of \"" + lease.subscription()
                    + "\" to tenant \"" + scope.tenant() + "\". Nothing of another tenant is returned; check the"
                    + " store implementation.");
        }
        return lease;
    }

    @Override
    public List<String> heartbeat(String subscription, String node, Duration ttl) {
        return shared.heartbeat(name(subscription), node, ttl);
    }

    @Override
    public List<String> heartbeat(String subscription, String node, int partitions, Duration ttl) {
        return shared.heartbeat(name(subscription), node, partitions, ttl);
    }

    @Override
    public Optional<PartitionLease> tryClaim(String subscription, int partition, int partitions, String node,
                                             Duration ttl) {
        return shared.tryClaim(name(subscription), partition, partitions, node, ttl).map(this::checked);
    }

    @Override
    public List<PartitionLease> renew(String subscription, String node, Duration ttl) {
        return shared.renew(name(subscription), node, ttl).stream().map(this::checked).toList();
    }

    @Override
    public void release(PartitionLease lease) {
        shared.release(own(lease));
    }

    @Override
    public void leave(String subscription, String node) {
        shared.leave(name(subscription), node);
    }

    @Override
    public boolean isHeld(PartitionLease lease) {
        return shared.isHeld(own(lease));
    }

    @Override
    public List<PartitionLeaseStatus> leases(String subscription) {
        return shared.leases(name(subscription));
    }

    @Override
    public String toString() {
        return "TenantScopedPartitionLeaseStore[" + scope.tenant() + "]";
    }
}
