package dev.eskit.annotations;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a static method that turns a stored event of schema version {@code from} into version {@code from + 1}. The
 * processor wires the upcasters of each event into a chain in the generated {@code <Package>EventTypes} registry, and
 * the codec runs the chain whenever an older stored version is read. Two forms:
 *
 * <pre>{@code
 * // JSON form: the stored JSON tree in, the next version's tree out.
 * @Upcast(event = Withdrawn.class, from = 1)
 * static ObjectNode addReason(ObjectNode v1) { return v1.put("reason", "unknown"); }
 *
 * // Typed form: a record kept for the old shape in, the next version (a record, or ObjectNode) out.
 * record WithdrawnV2(String accountId, long amountCents, String note) {}
 * @Upcast(event = Withdrawn.class, from = 2)
 * static Withdrawn noteToReason(WithdrawnV2 v2) { return new Withdrawn(v2.accountId(), v2.amountCents(), v2.note()); }
 * }</pre>
 *
 * <p>Every version from 1 to below the event's current {@code @Event(version)} needs exactly one upcaster; gaps,
 * duplicates and versions out of range fail the build. See {@code docs/schema-evolution.md}.
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.METHOD)
public @interface Upcast {

    /** The {@code @Event} record whose stored versions this method upcasts. */
    Class<?> event();

    /** The stored schema version this method reads, 1 or more and below the current version; it returns {@code from + 1}. */
    int from();
}
