package dev.eskit.samples.dcb.courses;

import dev.eskit.annotations.Event;
import dev.eskit.annotations.Tag;

/**
 * A course was defined. Tagged {@code course:<id>}.
 *
 * @param courseId the course
 * @param capacity how many students it takes
 */
@Event
public record CourseDefined(@Tag("course") String courseId, int capacity) implements CourseEvent {
}
