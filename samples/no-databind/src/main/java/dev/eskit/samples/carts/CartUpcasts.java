package dev.eskit.samples.carts;

import dev.eskit.annotations.Upcast;
import dev.eskit.codec.JsonObject;

/** Older versions of the cart's events, upcast on eskit's {@link JsonObject} (jackson-core only, no databind). */
final class CartUpcasts {

    private CartUpcasts() {
    }

    /** The shape {@code ItemAdded} had in version 2, kept for {@link #currencyAdded}. */
    record ItemAddedV2(String cartId, String sku, int quantity, java.math.BigDecimal unitPrice) {
    }

    /**
     * {@code ItemAdded} version 2 had no currency: all prices were euros. Typed (old record in, new record out); the
     * processor generates a codec for {@link ItemAddedV2}, so this runs without databind or reflection too.
     */
    @Upcast(event = CartEvent.ItemAdded.class, from = 2)
    static CartEvent.ItemAdded currencyAdded(ItemAddedV2 v2) {
        return new CartEvent.ItemAdded(v2.cartId(), v2.sku(), v2.quantity(), v2.unitPrice(), "EUR");
    }

    /** {@code ItemAdded} version 1 stored the unit price as {@code "price"}. */
    @Upcast(event = CartEvent.ItemAdded.class, from = 1)
    static JsonObject priceRenamed(JsonObject v1) {
        return v1.rename("price", "unitPrice");
    }
}
