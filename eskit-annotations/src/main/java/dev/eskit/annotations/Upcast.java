package dev.eskit.annotations;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a static method that upcasts the JSON of an older schema version of an event to the next version.
 *
 * <pre>{@code
 * @Upcast(event = Withdrawn.class, from = 1)  // v1 -> v2 on read
 * static ObjectNode addReason(ObjectNode v1) { return v1.put("reason", "unknown"); }
 * }</pre>
 *
 * <p>Declared for the schema-evolution work; the processor does not read it yet (upcasters can be registered by hand
 * on {@code dev.eskit.codec.EventType} until then).
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.METHOD)
public @interface Upcast {

    /** The event type whose stored JSON this method upcasts. */
    Class<?> event();

    /** The schema version this method reads; it returns version {@code from + 1}. */
    int from();
}
