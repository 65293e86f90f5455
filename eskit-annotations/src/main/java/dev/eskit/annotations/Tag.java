package dev.eskit.annotations;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Tags events by a record component, for Dynamic Consistency Boundary queries: the tag is the prefix, a colon and the
 * component's value ({@code "course:c1"}). The processor generates a reflection-free tag extractor into the event
 * type registry; a {@code null} value gives no tag.
 *
 * <pre>{@code
 * @Event
 * record StudentSubscribed(@Tag("course") String courseId, @Tag("student") String studentId) {}
 * }</pre>
 *
 * <p>On a command record, the component supplies the tag value of a {@link DcbDecider}'s query items that name the
 * same prefix ({@link QueryItem#tags()}).
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.RECORD_COMPONENT)
public @interface Tag {

    /**
     * The tag prefix, such as {@code "course"}: 1 to 64 characters of letters, digits, {@code '_'}, {@code '-'} and
     * {@code '.'}.
     */
    String value();
}
