package bad;

import dev.eskit.annotations.*;

@Event(version = 2)
record Withdrawn(String id, long amount, String reason) {
}

final class WithdrawnUpcasts {
    /** The old shape holds a type generated codecs cannot read (and databind would need reflection for). */
    record WithdrawnV1(String id, long amount, Object note) {
    }

    @Upcast(event = Withdrawn.class, from = 1)
    static Withdrawn addReason(WithdrawnV1 v1) {
        return new Withdrawn(v1.id(), v1.amount(), String.valueOf(v1.note()));
    }
}
