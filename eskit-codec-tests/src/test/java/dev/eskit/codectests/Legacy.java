package dev.eskit.codectests;

import dev.eskit.annotations.DatabindCodec;
import dev.eskit.annotations.Event;

/** Opted out: jackson-databind reads and writes it (its property is an Object). */
@Event(name = "codec.Legacy")
@DatabindCodec
public record Legacy(String id, Object payload) {
}
