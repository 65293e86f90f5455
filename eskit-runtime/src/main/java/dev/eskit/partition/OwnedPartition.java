package dev.eskit.partition;

import dev.eskit.subscription.Subscription;

/** A partition this node holds: its lease, how long the node trusts it, and the subscription that runs it. */
final class OwnedPartition {
    final PartitionLease lease;
    /** {@link System#nanoTime()} until which the lease is trusted. */
    volatile long trustedUntil;
    volatile boolean lost;
    volatile Subscription subscription;
    /** Whether its current halt was logged (by the coordinator thread only). */
    boolean haltLogged;

    OwnedPartition(PartitionLease lease, long trustedUntil) {
        this.lease = lease;
        this.trustedUntil = trustedUntil;
    }

    /** The partition's guard: asked before every read, handler call and checkpoint save. */
    boolean trusted() {
        return !lost && trustedUntil - System.nanoTime() > 0;
    }
}
