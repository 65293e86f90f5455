package dev.eskit.annotations;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * A method of a {@link Projection} class that handles one event type. It takes {@code (Event event)} or {@code (Event event, StoredEvent<Event> stored)} and returns {@code void}. Static or instance; not private. The parameter type must be an {@link Event} record.
 *
 * <pre>{@code
 * @Handle void on(Deposited e) { balances.merge(e.accountId(), e.amountCents(), Long::sum); }
 * }</pre>
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.METHOD)
public @interface Handle {
}
