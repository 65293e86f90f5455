package dev.eskit.partition;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * The shared table of partition leases and node heartbeats that {@link PartitionedSubscription}s on many nodes use to
 * split the partitions among themselves. Expiry is judged by one clock (the database's), so nodes need no
 * synchronised clocks. The Jdbi module keeps it in tables of the store's schema ({@code JdbiPartitionLeases});
 * {@link #inMemory()} serves one JVM. Implementations are thread-safe.
 */
public interface PartitionLeaseStore {

    /**
     * Records that {@code node} runs {@code subscription} and is alive for {@code ttl}.
     *
     * @return the nodes alive for the subscription now, {@code node} included, sorted
     */
    List<String> heartbeat(String subscription, String node, Duration ttl);

    /**
     * Records that {@code node} runs {@code subscription} split into {@code partitions} partitions and is alive for
     * {@code ttl}, unless the subscription has another partition count: then {@code node} is refused and its
     * heartbeat removed, so that the other nodes never count it when they share the partitions. The first node
     * to record a count sets it for the subscription. {@link PartitionedSubscription} calls this one.
     *
     * <p>The default checks the count in {@link #leases(String)} and then calls
     * {@link #heartbeat(String, String, Duration)}; a store whose nodes run concurrently should do both atomically.
     *
     * @return the nodes alive for the subscription now, {@code node} included, sorted
     * @throws PartitionCountMismatchException when the subscription has another partition count
     */
    default List<String> heartbeat(String subscription, String node, int partitions, Duration ttl) {
        PartitionLease.checkPartition(0, partitions);
        for (PartitionLeaseStatus status : leases(subscription)) {
            if (status.partitions() != partitions) {
                leave(subscription, node);
                throw new PartitionCountMismatchException(subscription, status.partitions(), partitions);
            }
        }
        return heartbeat(subscription, node, ttl);
    }

    /**
     * Claims {@code partition} for {@code node} for {@code ttl} when nobody holds it (it was never claimed, was
     * released, its lease ran out, or {@code node} itself held it), with a fencing token one above the last one.
     *
     * @return the lease, or empty when another node holds it
     * @throws PartitionCountMismatchException when the subscription has a different partition count
     */
    Optional<PartitionLease> tryClaim(String subscription, int partition, int partitions, String node, Duration ttl);

    /**
     * Extends every lease {@code node} holds on {@code subscription} that has not run out, by {@code ttl} from now.
     *
     * @return the leases still held (and extended); a lease missing from the list is lost
     */
    List<PartitionLease> renew(String subscription, String node, Duration ttl);

    /** Gives {@code lease} up so that another node can claim it at once; harmless when it was lost already. */
    void release(PartitionLease lease);

    /** Forgets {@code node}'s heartbeat and releases its leases (a graceful shutdown). */
    void leave(String subscription, String node);

    /** Whether {@code lease} is still held: same owner, same token, not run out. */
    boolean isHeld(PartitionLease lease);

    /** Every partition of {@code subscription} that was ever claimed, by partition; for monitoring. */
    List<PartitionLeaseStatus> leases(String subscription);

    /** A new lease store for the nodes (the {@link PartitionedSubscription}s) of one JVM. */
    static InMemoryPartitionLeaseStore inMemory() {
        return new InMemoryPartitionLeaseStore();
    }
}
