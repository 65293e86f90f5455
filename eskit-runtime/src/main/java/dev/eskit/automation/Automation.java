package dev.eskit.automation;

import dev.eskit.StoredEvent;
import java.util.List;

/**
 * Turns an event into commands: the reaction part of a process ("when an order is placed, reserve the stock"). Run it
 * with {@link Automations#subscription}; each command is sent through a {@link dev.eskit.command.CommandBus} with the
 * event's correlation id and the event's id as causation id.
 *
 * <pre>{@code
 * Automation reserve = event -> event.data() instanceof OrderPlaced placed
 *     ? List.of(new ReserveStock(placed.sku(), placed.quantity()))
 *     : List.of();
 * }</pre>
 */
@FunctionalInterface
public interface Automation {

    /**
     * The commands {@code event} causes, in the order to send them; empty for none. It should decide from the event
     * alone, so that a redelivered event causes the same commands (which are then recognised as duplicates).
     *
     * @throws Exception to have the event retried and, after the last attempt, dead-lettered
     */
    List<?> react(StoredEvent<Object> event) throws Exception;
}
