package dev.eskit.annotations;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The method of a {@link Decider} class that returns the state of a stream with no events. It takes no parameters and is static or an instance method; a decider has exactly one.
 *
 * <pre>{@code
 * @InitialState static AccountState initial() { return AccountState.CLOSED; }
 * }</pre>
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.METHOD)
public @interface InitialState {
}
