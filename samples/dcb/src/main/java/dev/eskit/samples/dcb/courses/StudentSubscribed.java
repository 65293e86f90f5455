package dev.eskit.samples.dcb.courses;

import dev.eskit.annotations.Event;
import dev.eskit.annotations.Tag;

/**
 * A student subscribed to a course. Tagged {@code course:<id>} and {@code student:<id>}, so it belongs to both
 * boundaries.
 *
 * @param courseId  the course
 * @param studentId the student
 */
@Event
public record StudentSubscribed(@Tag("course") String courseId, @Tag("student") String studentId)
        implements CourseEvent {
}
