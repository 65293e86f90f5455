package dev.eskit.samples.carts;

import dev.eskit.annotations.DataSubject;
import dev.eskit.annotations.Event;
import dev.eskit.annotations.PersonalData;
import java.math.BigDecimal;
import java.time.Instant;

/** What happens to a cart. */
public sealed interface CartEvent {

    /**
     * An item was put into the cart. Version 1 called the price {@code "price"}; {@link CartUpcasts#priceRenamed}
     * reads it without jackson-databind. Version 2 had no currency; {@link CartUpcasts#currencyAdded}, a typed
     * upcaster, reads it into {@link CartUpcasts.ItemAddedV2} through a generated codec.
     */
    @Event(version = 3)
    record ItemAdded(String cartId, String sku, int quantity, BigDecimal unitPrice, String currency)
            implements CartEvent {
    }

    /**
     * The cart was paid for. {@code email} is personal data of {@code customerId}: stored encrypted under that
     * customer's key, read as {@code "[erased]"} once the customer is forgotten.
     */
    @Event
    record CheckedOut(String cartId, @DataSubject String customerId, @PersonalData String email, Instant at,
                      BigDecimal total) implements CartEvent {
    }
}
