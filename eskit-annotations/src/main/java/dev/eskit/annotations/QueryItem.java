package dev.eskit.annotations;

import java.lang.annotation.Documented;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * One item of a {@link DcbDecider}'s query: events of any of {@link #types()} (any type when empty) that carry a tag
 * for every prefix in {@link #tags()} (no tag needed when empty). The tag values come from the command's
 * {@link Tag}-annotated components with the same prefixes.
 *
 * <pre>{@code
 * @QueryItem(types = {CourseDefined.class, StudentSubscribed.class}, tags = "course")
 * }</pre>
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target({})
public @interface QueryItem {

    /** The {@code @Event} records the item matches; empty for every type. */
    Class<?>[] types() default {};

    /** Tag prefixes whose tags (valued from the command) an event must all carry; empty for none. */
    String[] tags() default {};
}
