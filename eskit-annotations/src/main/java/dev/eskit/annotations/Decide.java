package dev.eskit.annotations;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * A method of a {@link Decider} class that decides one command type. It takes {@code (State state, Command command)} or {@code (Command command)} and returns one event, a {@code List<? extends E>} or an {@code Optional<? extends E>}; it throws a runtime exception to reject the command. Static or instance; not private.
 *
 * <pre>{@code
 * @Decide static List<AccountEvent> open(AccountState s, OpenAccount c) { ... }
 * }</pre>
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.METHOD)
public @interface Decide {
}
