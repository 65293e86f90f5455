package dev.eskit.projection;

import dev.eskit.StoredEvent;
import java.util.Set;

/**
 * A projection's dispatch table: its name, the event types it wants, and a method that applies one stored event.
 * The annotation processor generates one for each {@code @Projection} class ({@code BalancesHandlers} for
 * {@code Balances}); a subscription reads the global log filtered by {@link #eventTypes()} and calls
 * {@link #handle(StoredEvent)} for each event, in order.
 *
 * <pre>{@code
 * ProjectionHandler handler = new BalancesHandlers(balances);
 * for (StoredEvent<Object> event : store.readAll(Position.START, 1000, handler.eventTypes())) {
 *     handler.handle(event);
 * }
 * }</pre>
 */
public interface ProjectionHandler {

    /** The projection's name, stable across releases (subscriptions key their checkpoints by it). */
    String name();

    /** The wire names of the event types this projection handles; the store can filter on them. */
    Set<String> eventTypes();

    /**
     * Applies one stored event. Events of types the projection does not handle are ignored.
     *
     * @throws RuntimeException whatever the projection's handler method throws
     */
    void handle(StoredEvent<?> event);
}
