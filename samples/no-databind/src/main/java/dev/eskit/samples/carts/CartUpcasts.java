package dev.eskit.samples.carts;

import dev.eskit.annotations.Upcast;
import dev.eskit.codec.JsonObject;

/** Older versions of the cart's events, upcast on eskit's {@link JsonObject} (jackson-core only, no databind). */
final class CartUpcasts {

    private CartUpcasts() {
    }

    /** {@code ItemAdded} version 1 stored the unit price as {@code "price"}. */
    @Upcast(event = CartEvent.ItemAdded.class, from = 1)
    static JsonObject priceRenamed(JsonObject v1) {
        return v1.rename("price", "unitPrice");
    }
}
