package dev.eskit.annotations;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a class whose {@link InitialState}, {@link Decide} and {@link Evolve} methods decide over a Dynamic
 * Consistency Boundary instead of one stream: the state is folded from the events that match {@link #query()}, and
 * the new events are appended on condition that no event matching the same query arrived meanwhile.
 *
 * <pre>{@code
 * @DcbDecider(query = {
 *     @QueryItem(types = {CourseDefined.class, CourseCapacityChanged.class, StudentSubscribed.class}, tags = "course"),
 *     @QueryItem(types = StudentSubscribed.class, tags = "student")})
 * final class Subscribe {
 *   @InitialState static SubscriptionState initial() { ... }
 *   @Decide static StudentSubscribed decide(SubscriptionState s, SubscribeStudent c) { ... }
 *   @Evolve static SubscriptionState evolve(SubscriptionState s, CourseDefined e) { ... }
 * }
 * }</pre>
 *
 * <p>The processor generates {@code XDecider} (a {@code dev.eskit.dcb.DcbDecider} whose {@code query(command)} binds
 * the item tags to the command's {@link Tag} components) and {@code XSpec}, and fails the build when the query does
 * not cover an event type the decider evolves (an under-locked boundary), when a query item names an event that
 * cannot carry its tags, or when a command has no {@link Tag} component for a tag prefix of the query.
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.TYPE)
public @interface DcbDecider {

    /** The boundary: items OR-ed together; at least one. */
    QueryItem[] query();

    /** The command type {@code C}; {@code Object.class} (the default) means: infer it from the decide methods. */
    Class<?> commands() default Object.class;

    /** The event type {@code E}; {@code Object.class} (the default) means: infer it from the handler methods. */
    Class<?> events() default Object.class;
}
