package dev.eskit.subscription;

import dev.eskit.StoredEvent;

/**
 * Handles one event of the global log for a {@link Subscription}. It is called on the subscription's thread, one event
 * at a time, in log order.
 *
 * <p>Delivery is at least once: after a crash the events after the last saved checkpoint are handled again, so a
 * handler should be idempotent (or store its own position with its effects). An exception makes the subscription retry
 * the event with backoff and then move it to the dead-letter queue; an {@link Error} stops the subscription.
 *
 * <pre>{@code
 * EventHandler handler = event -> {
 *     if (event.data() instanceof Deposited d) {
 *         balances.merge(d.accountId(), d.amountCents(), Long::sum);
 *     }
 * };
 * }</pre>
 */
@FunctionalInterface
public interface EventHandler {

    /**
     * Handles {@code event}.
     *
     * @throws Exception to have the event retried and, after the last attempt, dead-lettered
     */
    void handle(StoredEvent<Object> event) throws Exception;
}
