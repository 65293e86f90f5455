package dev.eskit.docs.bank;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.eskit.annotations.Upcast;

/** docs/annotations.md, {@code @Upcast}: one JSON step and one typed step. */
final class WithdrawnUpcasts {
    private WithdrawnUpcasts() {
    }

    @Upcast(event = Withdrawn.class, from = 1)                  // JSON form
    static ObjectNode addNote(ObjectNode v1) { return v1.put("note", ""); }

    /** The shape of version 2, kept for the typed step. */
    record WithdrawnV2(String accountId, long amountCents, String note) {}   // the shape of version 2, kept for this

    @Upcast(event = Withdrawn.class, from = 2)                  // typed form: old record -> next version
    static Withdrawn noteToReason(WithdrawnV2 v2) {
        return new Withdrawn(v2.accountId(), v2.amountCents(), v2.note().isEmpty() ? "unknown" : v2.note());
    }
}
