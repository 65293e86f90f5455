package dev.eskit.tenancy;

import dev.eskit.leader.LeaderElection;
import dev.eskit.leader.Leadership;
import java.util.Objects;
import java.util.Optional;

/**
 * One tenant's view of a shared {@link LeaderElection}: role {@code mailer} is elected as {@code <tenant>::mailer}, so
 * two tenants' roles of the same name run once per tenant, never once for both. The leadership handed back names the
 * role as the tenant knows it.
 */
final class TenantScopedLeaderElection implements LeaderElection {

    private final TenantScope scope;
    private final LeaderElection shared;

    TenantScopedLeaderElection(TenantScope scope, LeaderElection shared) {
        this.scope = scope;
        this.shared = Objects.requireNonNull(shared, "shared");
    }

    TenantScope scope() {
        return scope;
    }

    @Override
    public Optional<Leadership> tryAcquire(String name) {
        String stored = scope.name("Leadership name", name);
        return shared.tryAcquire(stored).map(held -> new Leadership() {
            @Override
            public String name() {
                return scope.unscoped(held.name());
            }

            @Override
            public boolean isHeld() {
                return held.isHeld();
            }

            @Override
            public void close() {
                held.close();
            }
        });
    }

    /** Does nothing: the shared election belongs to whoever created it. */
    @Override
    public void close() {
    }
}
