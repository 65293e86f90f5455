package dev.eskit.partition;

/**
 * Checks, inside a transactional partition's transaction and just before it saves the checkpoint, that the node
 * still holds its lease with the same fencing token, so that a node that lost a partition can never commit effects
 * for it. A database fence also locks the lease row until the transaction ends, so no other node can claim the
 * partition in between (the Jdbi module's {@code JdbiPartitionLeases#fence()}).
 *
 * @param <T> the transaction object of the subscription's {@link dev.eskit.subscription.Transactor}
 */
@FunctionalInterface
public interface PartitionFence<T> {

    /**
     * Returns when {@code lease} is still held; throws (rolling the transaction back) otherwise.
     *
     * @throws PartitionLostException when the lease is no longer held
     * @throws Exception              when the check itself fails (the transaction is rolled back and retried)
     */
    void check(T transaction, PartitionLease lease) throws Exception;

    /**
     * A fence that asks {@code leases} outside the transaction: right for stores without a shared database (the
     * in-memory one), weaker than a database fence, because the lease can run out between the check and the commit.
     */
    static <T> PartitionFence<T> outside(PartitionLeaseStore leases) {
        return (transaction, lease) -> {
            if (!leases.isHeld(lease)) {
                throw new PartitionLostException(lease);
            }
        };
    }
}
