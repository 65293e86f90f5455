package dev.eskit.codectests;

import dev.eskit.annotations.Event;

/** A record with a getter databind writes as a property of its own ("total"). */
@Event(name = "codec.Priced")
public record Priced(long unitCents, int quantity) {

    /** Not a component: databind writes it, generated codecs skip it on read. */
    public long getTotal() {
        return unitCents * quantity;
    }
}
