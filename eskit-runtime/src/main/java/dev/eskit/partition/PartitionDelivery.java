package dev.eskit.partition;

import dev.eskit.Position;
import dev.eskit.subscription.EventHandler;
import dev.eskit.subscription.Subscription;
import dev.eskit.subscription.TransactionalHandler;
import dev.eskit.subscription.Transactor;

/** How a partition's subscription gets its events: a plain or a transactional handler, given only its own events. */
@FunctionalInterface
interface PartitionDelivery {

    /** Sets the handler of {@code builder}, the subscription of {@code partition}. */
    void install(Subscription.Builder builder, PartitionedSubscription owner, int partition, OwnedPartition current);

    static PartitionDelivery plain(EventHandler handler) {
        return (builder, owner, partition, current) -> builder.handler(event -> {
            // Events of other partitions are skipped; the position still moves past them.
            if (owner.partitionOf(event) == partition) {
                handler.handle(event);
            }
        });
    }

    static <T> PartitionDelivery transactional(Transactor<T> transactor, PartitionFence<T> fence,
                                               TransactionalHandler<T> handler) {
        return (builder, owner, partition, current) -> builder.transactional(
                new FencedTransactor<>(transactor, fence, current.lease), (transaction, event) -> {
                    if (owner.partitionOf(event) == partition) {
                        handler.handle(transaction, event);
                    }
                });
    }

    /** Checks the fencing token inside the transaction before each checkpoint save. */
    final class FencedTransactor<T> implements Transactor<T> {
        private final Transactor<T> delegate;
        private final PartitionFence<T> fence;
        private final PartitionLease lease;

        FencedTransactor(Transactor<T> delegate, PartitionFence<T> fence, PartitionLease lease) {
            this.delegate = delegate;
            this.fence = fence;
            this.lease = lease;
        }

        @Override
        public void inTransaction(Work<T> work) throws Exception {
            delegate.inTransaction(work);
        }

        @Override
        public void saveCheckpoint(T transaction, String checkpoint, Position position) throws Exception {
            fence.check(transaction, lease);
            delegate.saveCheckpoint(transaction, checkpoint, position);
        }

        @Override
        public boolean saveCheckpoint(T transaction, String checkpoint, Position expected, Position position)
                throws Exception {
            fence.check(transaction, lease);
            return delegate.saveCheckpoint(transaction, checkpoint, expected, position);
        }
    }
}
