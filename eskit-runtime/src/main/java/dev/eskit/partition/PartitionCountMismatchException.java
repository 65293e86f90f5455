package dev.eskit.partition;

import dev.eskit.InvalidInputException;

/**
 * A node's {@link PartitionedSubscription} has another partition count than the one recorded for the subscription
 * (by the first node that ran it). The node is refused: it records no heartbeat, so the other nodes do not count it
 * and keep every partition, and it claims nothing. Give every node the same count.
 */
public class PartitionCountMismatchException extends InvalidInputException {
    private static final long serialVersionUID = 1L;

    private final String subscription;
    private final int recorded;
    private final int configured;

    /**
     * An exception for {@code subscription}, recorded with {@code recorded} partitions, configured with
     * {@code configured}.
     */
    public PartitionCountMismatchException(String subscription, int recorded, int configured) {
        super("Partitioned subscription \"" + subscription + "\" has " + recorded + " partitions, but this node was"
                + " configured with " + configured + ". Give every node the same count; to change it, stop every"
                + " node, delete the subscription's leases and partition checkpoints and rebuild (see"
                + " docs/subscriptions.md).");
        this.subscription = subscription;
        this.recorded = recorded;
        this.configured = configured;
    }

    /** The subscription's name as the lease store keeps it. */
    public String subscription() {
        return subscription;
    }

    /** The partition count recorded for the subscription. */
    public int recorded() {
        return recorded;
    }

    /** The partition count this node was configured with. */
    public int configured() {
        return configured;
    }
}
