package dev.eskit.samples.bank;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.eskit.annotations.Upcast;

/** How stored {@link Withdrawn} events of older schema versions become the current version. */
final class WithdrawnUpcasts {

    private WithdrawnUpcasts() {
    }

    /** Version 1 had no reason. */
    @Upcast(event = Withdrawn.class, from = 1)
    static ObjectNode addReason(ObjectNode v1) {
        return v1.put("reason", "unknown");
    }
}
