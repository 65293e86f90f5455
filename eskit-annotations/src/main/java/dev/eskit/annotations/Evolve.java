package dev.eskit.annotations;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * A method of a {@link Decider} class that applies one event type to the state. It takes {@code (State state, Event event)} and returns the new state. Static or instance; not private.
 *
 * <pre>{@code
 * @Evolve static AccountState deposited(AccountState s, Deposited e) { return s.plus(e.amountCents()); }
 * }</pre>
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.METHOD)
public @interface Evolve {
}
