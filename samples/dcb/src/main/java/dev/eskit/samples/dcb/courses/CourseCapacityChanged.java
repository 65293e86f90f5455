package dev.eskit.samples.dcb.courses;

import dev.eskit.annotations.Event;
import dev.eskit.annotations.Tag;

/**
 * A course's capacity changed. Tagged {@code course:<id>}.
 *
 * @param courseId the course
 * @param capacity the new capacity
 */
@Event
public record CourseCapacityChanged(@Tag("course") String courseId, int capacity) implements CourseEvent {
}
