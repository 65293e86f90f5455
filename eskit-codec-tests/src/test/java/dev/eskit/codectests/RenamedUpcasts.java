package dev.eskit.codectests;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.eskit.annotations.Upcast;

/** Version 1 had no reason. */
final class RenamedUpcasts {
    private RenamedUpcasts() {
    }

    @Upcast(event = Renamed.class, from = 1)
    static ObjectNode addReason(ObjectNode v1) {
        return v1.put("reason", "unknown");
    }
}
