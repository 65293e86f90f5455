package dev.eskit.samples.carts;

import dev.eskit.annotations.DataSubject;
import dev.eskit.annotations.PersonalData;
import dev.eskit.annotations.StreamId;
import java.math.BigDecimal;
import java.time.Instant;

/** What a shopper asks of a cart. */
public sealed interface CartCommand {

    /** Put an item into the cart. */
    record AddItem(@StreamId String cartId, String sku, int quantity, BigDecimal unitPrice) implements CartCommand {
    }

    /**
     * Pay; the receipt goes to {@code email}, personal data of customer {@code customerId}: encrypted in the command
     * log (bound to the command id) by the generated {@code CartsCommandPersonalData}, without jackson-databind.
     */
    record CheckOut(@StreamId String cartId, @DataSubject String customerId, @PersonalData String email, Instant at)
            implements CartCommand {
    }
}
