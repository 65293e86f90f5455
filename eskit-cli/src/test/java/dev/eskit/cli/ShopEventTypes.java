package dev.eskit.cli;

import dev.eskit.codec.EventType;
import dev.eskit.codec.EventTypeRegistry;
import java.util.List;
import java.util.Map;

/**
 * The test application's event types, discovered through META-INF/services as a generated registry would be:
 * {@code shop.Ordered} is at schema version 2 (version 1 had no currency), {@code shop.Shipped} at 1.
 */
public final class ShopEventTypes implements EventTypeRegistry {

    /** An order was placed. */
    public record Ordered(String orderId, long cents, String currency) {
    }

    /** An order was shipped. */
    public record Shipped(String orderId) {
    }

    @Override
    public List<EventType<?>> eventTypes() {
        return List.of(
                new EventType<>("shop.Ordered", Ordered.class, 2, List.of(),
                        Map.of(1, node -> node.put("currency", "EUR"))),
                EventType.of("shop.Shipped", Shipped.class));
    }
}
