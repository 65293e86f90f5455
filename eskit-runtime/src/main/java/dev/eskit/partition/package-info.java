/**
 * Partitioned subscriptions: {@link dev.eskit.partition.PartitionedSubscription} splits one subscription into N
 * partitions by a key (the stream by default, so each stream's events stay in order), each with its own checkpoint,
 * and spreads the partitions over the application nodes with leases ({@link dev.eskit.partition.PartitionLeaseStore})
 * that carry fencing tokens. See {@code docs/subscriptions.md} and "Scaling out" in {@code docs/operations.md}.
 */
package dev.eskit.partition;
