package bad;

import dev.eskit.annotations.*;

@Event(version = 2)
record Withdrawn(String id, long amount, String reason) {
}

final class WithdrawnUpcasts {
    @Upcast(event = Withdrawn.class, from = 1)
    static Withdrawn addReason(String v1) {
        return new Withdrawn(v1, 0, "unknown");
    }
}
