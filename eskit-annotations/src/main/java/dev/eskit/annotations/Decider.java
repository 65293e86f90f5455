package dev.eskit.annotations;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a class whose {@link InitialState}, {@link Decide} and {@link Evolve} methods form a decider for one stream
 * type. The processor generates, next to class {@code X}, {@code XDecider} (an implementation of
 * {@code dev.eskit.Decider} with generated dispatch and the command routes) and {@code XSpec} (a Given/When/Then
 * fixture).
 *
 * <pre>{@code
 * @Decider(stream = "account")
 * final class Account {
 *   @InitialState static AccountState initial() { return AccountState.CLOSED; }
 *   @Decide static Deposited deposit(AccountState s, Deposit c) { ... }
 *   @Evolve static AccountState deposited(AccountState s, Deposited e) { ... }
 * }
 * }</pre>
 *
 * <p>The decider's state type is the return type of its {@link InitialState} method. Its command type is the one
 * sealed interface every {@link Decide} parameter implements (or the parameter type itself when there is one
 * command); declare it with {@link #commands()} when the commands share no sealed interface. The event type is
 * found the same way from the {@link Evolve} parameters and {@link Decide} return types, or declared with
 * {@link #events()}.
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.TYPE)
public @interface Decider {

    /** The stream type of this decider's streams, such as {@code "account"}: 1 to 256 characters, no NUL. */
    String stream();

    /** The command type {@code C}; {@code Object.class} (the default) means: infer it from the decide methods. */
    Class<?> commands() default Object.class;

    /** The event type {@code E}; {@code Object.class} (the default) means: infer it from the handler methods. */
    Class<?> events() default Object.class;
}
