package bad;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.eskit.annotations.*;

@Event(version = 3)
record Withdrawn(String id, long amount, String reason) {
}

record WithdrawnV1(String id, long amount) {
}

final class WithdrawnUpcasts {
    @Upcast(event = Withdrawn.class, from = 1)
    static Withdrawn toCurrent(WithdrawnV1 v1) {
        return new Withdrawn(v1.id(), v1.amount(), "unknown");
    }

    @Upcast(event = Withdrawn.class, from = 2)
    static ObjectNode same(ObjectNode v2) {
        return v2;
    }
}
