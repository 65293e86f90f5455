package dev.eskit.annotations;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a static method that turns a stored command of schema version {@code from} into version {@code from + 1}:
 * {@code static ObjectNode m(ObjectNode json)}. The processor lists the upcasters of each command, in order, in the
 * generated {@code <Package>CommandTypes} registry; the durable command queue runs them when it reads a command stored
 * with an older version. Every version from 1 to below the command's {@code @Command(version)} needs exactly one.
 *
 * <pre>{@code
 * @CommandUpcast(command = Deposit.class, from = 1)
 * static ObjectNode addReference(ObjectNode v1) { return v1.put("reference", ""); }
 * }</pre>
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.METHOD)
public @interface CommandUpcast {

    /** The command record whose stored versions this method upcasts. */
    Class<?> command();

    /** The stored schema version this method reads, 1 or more and below the current version. */
    int from();
}
