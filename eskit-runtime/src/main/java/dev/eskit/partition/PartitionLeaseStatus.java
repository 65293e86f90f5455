package dev.eskit.partition;

import java.time.Instant;
import java.util.Optional;

/**
 * What a {@link PartitionLeaseStore} knows about one partition, for monitoring (see
 * {@link PartitionLeaseStore#leases(String)}).
 *
 * @param partition  the partition
 * @param partitions how many partitions the subscription has
 * @param owner      the node that holds or last held it; empty when it was released or never claimed
 * @param token      the fencing token of the latest claim (0 before the first)
 * @param expiresAt  when the lease runs out (by the store's clock); in the past when nobody holds it
 */
public record PartitionLeaseStatus(int partition, int partitions, Optional<String> owner, long token,
                                   Instant expiresAt) {

    /** Whether a node holds it at {@code now}. */
    public boolean heldAt(Instant now) {
        return owner.isPresent() && expiresAt.isAfter(now);
    }
}
