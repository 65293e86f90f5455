package dev.eskit.annotations;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Optional on a command record that a {@code @Decider} or {@code @DcbDecider} handles: gives the command another wire
 * name or a schema version. Without it a command is {@code "<last package segment>.<SimpleName>"}, version 1. The
 * durable command queue stores a command with its name and version, so a command whose shape changes while old ones
 * still wait in the queue needs a new version and a {@link CommandUpcast} from the old one; the schema lock
 * ({@code -Aeskit.schemaLock}) records every command's shape and fails the build when it changes without a new version.
 *
 * <pre>{@code
 * @Command(version = 2)
 * public record Deposit(String accountId, long amountCents, String reference) {}
 *
 * @CommandUpcast(command = Deposit.class, from = 1)
 * static ObjectNode addReference(ObjectNode v1) { return v1.put("reference", ""); }
 * }</pre>
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.TYPE)
public @interface Command {

    /** The wire name; empty (the default) means the last package segment, a dot and the simple name. */
    String name() default "";

    /** The current schema version, 1 or more. Raise it by one for each incompatible change of the record's shape. */
    int version() default 1;
}
