package dev.eskit.partition;

import dev.eskit.InvalidInputException;
import dev.eskit.Names;

/**
 * One node's claim on one partition of a partitioned subscription, as granted by a {@link PartitionLeaseStore}. The
 * {@code token} grows by one with every claim of the partition, so it fences: a write that checks the token (see
 * {@link PartitionFence}) fails for a node whose lease was taken over, however late it arrives.
 *
 * @param subscription the partitioned subscription's name
 * @param partition    the partition, from 0 to {@code partitions - 1}
 * @param partitions   how many partitions the subscription has
 * @param owner        the node holding it
 * @param token        the fencing token of this claim
 */
public record PartitionLease(String subscription, int partition, int partitions, String owner, long token) {

    /** Checks the values. */
    public PartitionLease {
        Names.check("Subscription name", subscription);
        Names.check("Node name", owner);
        checkPartition(partition, partitions);
    }

    /**
     * Checks that {@code partition} is one of {@code partitions}.
     *
     * @throws InvalidInputException when it is not
     */
    static void checkPartition(int partition, int partitions) {
        if (partitions < 1 || partitions > PartitionedSubscription.MAX_PARTITIONS) {
            throw new InvalidInputException("partitions " + partitions + " is out of range. Use 1 to "
                    + PartitionedSubscription.MAX_PARTITIONS + ".");
        }
        if (partition < 0 || partition >= partitions) {
            throw new InvalidInputException("Partition " + partition + " is out of range. Use 0 to "
                    + (partitions - 1) + ".");
        }
    }
}
