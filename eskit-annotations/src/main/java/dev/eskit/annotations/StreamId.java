package dev.eskit.annotations;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks where a command's stream id comes from, for the generated command routes.
 *
 * <p>Put it on a record component of a command (or event), or on a no-argument method of an interface the command
 * implements:
 * <pre>{@code
 * record Deposit(@StreamId String accountId, long amountCents) implements AccountCommand {}
 * }</pre>
 * or on a method of the {@link Decider} class that takes one command and returns its id (this wins over components):
 * <pre>{@code
 * @StreamId static String streamId(OpenAccount c) { return c.owner() + "-" + c.number(); }
 * }</pre>
 * A value that is not a {@code String} is turned into one with {@code toString()}.
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target({ElementType.RECORD_COMPONENT, ElementType.METHOD})
public @interface StreamId {
}
