package dev.eskit.partition;

import dev.eskit.subscription.SubscriptionException;

/**
 * A node tried to act on a partition whose lease it no longer holds (it expired or another node claimed it): the
 * transaction is rolled back and the node stops handling the partition. Nothing to fix: the partition's new owner
 * carries on from the last committed checkpoint.
 */
public class PartitionLostException extends SubscriptionException {

    /** An exception naming the lease that was lost. */
    public PartitionLostException(PartitionLease lease) {
        super("Node \"" + lease.owner() + "\" no longer holds partition " + lease.partition() + " of \""
                + lease.subscription() + "\" (fencing token " + lease.token() + "); rolling back. Another node"
                + " carries on from the last committed checkpoint.");
    }
}
