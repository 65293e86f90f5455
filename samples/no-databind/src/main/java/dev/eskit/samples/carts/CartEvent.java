package dev.eskit.samples.carts;

import dev.eskit.annotations.Event;
import java.math.BigDecimal;
import java.time.Instant;

/** What happens to a cart. */
public sealed interface CartEvent {

    /** An item was put into the cart. */
    @Event
    record ItemAdded(String cartId, String sku, int quantity, BigDecimal unitPrice) implements CartEvent {
    }

    /** The cart was paid for. */
    @Event
    record CheckedOut(String cartId, Instant at, BigDecimal total) implements CartEvent {
    }
}
