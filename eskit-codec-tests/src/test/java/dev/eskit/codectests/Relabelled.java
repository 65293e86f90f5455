package dev.eskit.codectests;

import dev.eskit.annotations.Event;
import dev.eskit.annotations.Upcast;

/** Version 1 counted in an int and had no label; a typed upcaster reads it through generated codecs. */
@Event(name = "codec.Relabelled", version = 2)
public record Relabelled(String id, long count, String label, java.util.UUID ref) {

    /** The shape version 1 stored. */
    public record V1(String id, int count, java.util.UUID ref) {
    }

    /** Version 1 to 2, typed: old record in, new record out. */
    @Upcast(event = Relabelled.class, from = 1)
    public static Relabelled fromV1(V1 old) {
        return new Relabelled(old.id(), old.count(), "none", old.ref());
    }
}
