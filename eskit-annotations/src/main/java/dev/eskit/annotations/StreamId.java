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
 *
 * <p>In Kotlin, put it on a constructor property of a command class ({@code data class Deposit(@StreamId val
 * accountId: String)}, where Kotlin applies it to the constructor parameter, hence the {@code PARAMETER} target; the
 * route calls the property's getter), or on a property getter ({@code @get:StreamId val accountId: String}). On any
 * other parameter it means nothing.
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target({ElementType.RECORD_COMPONENT, ElementType.METHOD, ElementType.PARAMETER})
public @interface StreamId {
}
