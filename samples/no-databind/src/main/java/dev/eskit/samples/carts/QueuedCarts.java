package dev.eskit.samples.carts;

import dev.eskit.Metadata;
import dev.eskit.StoredEvent;
import dev.eskit.StreamRef;
import dev.eskit.command.CommandBus;
import dev.eskit.command.CommandContext;
import dev.eskit.command.CommandTypes;
import dev.eskit.command.queue.CommandQueue;
import dev.eskit.command.queue.QueueResult;
import dev.eskit.command.queue.QueueStatus;
import dev.eskit.command.queue.QueuedCommand;
import dev.eskit.jdbi.JdbiEventStore;
import dev.eskit.jdbi.command.JdbiCommandQueueStore;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import org.jdbi.v3.core.Jdbi;

/**
 * The durable command queue of the no-databind sample: commands stored in the same SQLite file (table
 * {@code eskit_command_queue}) by {@link JdbiCommandQueueStore}, their payloads written by generated codecs (the
 * checkout's {@code @PersonalData} email encrypted), their metadata as JSON without jackson-databind, and run by a
 * worker through the bus.
 */
final class QueuedCarts {

    private QueuedCarts() {
    }

    /**
     * What the queue did.
     *
     * @param statuses       the final status of each queued command, in enqueue order
     * @param events         the queued cart's events, appended by the worker
     * @param eventMetadata  the metadata of the checkout's event (the queued command's, personal extras opened)
     * @param storedCheckout the checkout's payload as the queue stored it before it ran (its email encrypted)
     * @param metadata       the checkout's metadata as read back from the queue table after it ran (ip sealed)
     */
    record Run(List<QueueStatus> statuses, List<Object> events, Metadata eventMetadata, String storedCheckout,
               Metadata metadata) {
    }

    /** Enqueues an item and a checkout for cart {@code cartId} of {@code customer}, runs them, and reads them back. */
    static Run run(JdbiEventStore store, String url, CommandBus bus, String cartId, String customer) {
        JdbiCommandQueueStore queueStore = JdbiCommandQueueStore.create(Jdbi.create(url), store);
        // Not started: runOnce() runs the claimable commands on this thread (a batch job); start() runs workers.
        try (CommandQueue queue = CommandQueue.builder(queueStore, bus, CommandTypes.discover()).partitionByStream()
                .build()) {
            CommandContext context = CommandContext.of(Metadata.empty().withInitiator(customer)
                    .withCorrelationId("order-" + cartId).with("ip", "198.51.100.4").with("channel", "mobile"));
            String item = queue.enqueue(new CartCommand.AddItem(cartId, "kettle", 1, new BigDecimal("30.00")));
            String checkout = queue.enqueue(new CartCommand.CheckOut(cartId, customer, "bo@example.com",
                    Instant.parse("2026-12-02T10:00:00Z")), context);
            String stored = queue.find(checkout).orElseThrow().payload();
            queue.runOnce();
            List<QueueStatus> statuses = List.of(item, checkout).stream()
                    .map(id -> queue.find(id).flatMap(QueuedCommand::outcome).map(QueueResult::status).orElseThrow())
                    .toList();
            Metadata metadata = queue.find(checkout).orElseThrow().metadata();
            List<StoredEvent<Object>> events = store.load(StreamRef.of("cart", cartId));
            return new Run(statuses, events.stream().map(StoredEvent::data).toList(),
                    events.get(events.size() - 1).metadata(), stored, metadata);
        }
    }
}
