package com.acme.bank;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.eskit.annotations.Upcast;

final class WithdrawnUpcasts {

    /** Version 2 of Withdrawn, kept for the typed upcaster. */
    record WithdrawnV2(String accountId, long amountCents, String note) {
    }

    private WithdrawnUpcasts() {
    }

    @Upcast(event = Withdrawn.class, from = 1)
    static ObjectNode addNote(ObjectNode v1) {
        return v1.put("note", "");
    }

    @Upcast(event = Withdrawn.class, from = 2)
    static Withdrawn noteToReason(WithdrawnV2 v2) {
        return new Withdrawn(v2.accountId(), v2.amountCents(), v2.note().isEmpty() ? "unknown" : v2.note());
    }
}
