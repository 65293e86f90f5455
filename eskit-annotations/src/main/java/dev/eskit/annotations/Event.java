package dev.eskit.annotations;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a record (or, in Kotlin, a data class) as an event type: the processor lists it, with its wire name and schema version, in the generated
 * {@code <Package>EventTypes} registry of its package.
 *
 * <pre>{@code
 * @Event                                        // wire name "bank.Deposited"
 * public record Deposited(@StreamId String accountId, long amountCents) implements AccountEvent {}
 *
 * @Event(name = "bank.Withdrawn", version = 2)
 * public record Withdrawn(@StreamId String accountId, long amountCents, String reason) implements AccountEvent {}
 * }</pre>
 *
 * <p>The type must be a non-generic record that generated code in its package can reach; in Kotlin, a final class
 * whose public constructor declares every property ({@code data class Deposited(val accountId: String, val
 * amountCents: Long)}), compiled through kapt. Wire names must be unique
 * across a compilation (aliases included).
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.TYPE)
public @interface Event {

    /**
     * The wire name stored with each event. Empty (the default) means the last segment of the package, a dot and the
     * simple name: {@code com.acme.bank.Deposited} is stored as {@code "bank.Deposited"}. Once events are stored under
     * a name, keep it (or list the old name in {@link #aliases()}).
     */
    String name() default "";

    /** The current schema version, 1 or more. Raise it by one for each incompatible change of the record's shape. */
    int version() default 1;

    /** Former wire names; stored events under these names decode as this type. */
    String[] aliases() default {};
}
