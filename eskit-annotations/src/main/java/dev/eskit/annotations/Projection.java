package dev.eskit.annotations;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a class whose {@link Handle} methods build a read model from events. The processor generates, next to class
 * {@code P}, {@code PHandlers}, a {@code dev.eskit.projection.ProjectionHandler} that dispatches each stored event to
 * the right method and lists the wire names it handles (so a subscription can filter at the store).
 *
 * <pre>{@code
 * @Projection(name = "balances")
 * final class Balances {
 *   @Handle void on(Deposited e) { ... }
 * }
 * }</pre>
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.TYPE)
public @interface Projection {

    /**
     * The projection's name, which a subscription uses for its checkpoint; empty (the default) means the simple class
     * name. Keep it stable: renaming it makes the projection start again from the beginning.
     */
    String name() default "";
}
