package bad;

import dev.eskit.annotations.*;

@Event(version = 3)
record Withdrawn(String id, long amount, String reason) {
}

final class WithdrawnUpcasts {
    record WithdrawnV1(String id, long amount) {
    }

    /** The intermediate shape version 2 had: a property generated codecs cannot write. */
    record WithdrawnV2(String id, long amount, java.util.Map<Integer, String> notes) {
    }

    @Upcast(event = Withdrawn.class, from = 1)
    static WithdrawnV2 addNotes(WithdrawnV1 v1) {
        return new WithdrawnV2(v1.id(), v1.amount(), java.util.Map.of());
    }

    @Upcast(event = Withdrawn.class, from = 2)
    static Withdrawn toReason(WithdrawnV2 v2) {
        return new Withdrawn(v2.id(), v2.amount(), "unknown");
    }
}
