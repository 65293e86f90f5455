package bad;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.eskit.annotations.*;

@Event(version = 3)
record Withdrawn(String id, long amount, String reason, String currency) {
}

final class WithdrawnUpcasts {
    @Upcast(event = Withdrawn.class, from = 1)
    static ObjectNode addReason(ObjectNode v1) {
        return v1.put("reason", "unknown");
    }

    @Upcast(event = Withdrawn.class, from = 3)
    static ObjectNode addCurrency(ObjectNode v2) {
        return v2.put("currency", "EUR");
    }
}
