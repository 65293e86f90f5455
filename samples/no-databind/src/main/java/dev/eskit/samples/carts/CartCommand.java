package dev.eskit.samples.carts;

import dev.eskit.annotations.StreamId;
import java.math.BigDecimal;
import java.time.Instant;

/** What a shopper asks of a cart. */
public sealed interface CartCommand {

    /** Put an item into the cart. */
    record AddItem(@StreamId String cartId, String sku, int quantity, BigDecimal unitPrice) implements CartCommand {
    }

    /** Pay; the receipt goes to {@code email}, personal data of customer {@code customerId}. */
    record CheckOut(@StreamId String cartId, String customerId, String email, Instant at) implements CartCommand {
    }
}
