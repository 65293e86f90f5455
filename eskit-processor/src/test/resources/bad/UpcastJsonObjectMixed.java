package bad;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.eskit.annotations.*;
import dev.eskit.codec.JsonObject;

@Event(version = 2)
record Withdrawn(String id, long amount, String reason) {
}

final class WithdrawnUpcasts {
    @Upcast(event = Withdrawn.class, from = 1)
    static ObjectNode addReason(JsonObject v1) {
        return null;
    }
}
