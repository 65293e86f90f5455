package dev.eskit.samples.dcb.courses;

import dev.eskit.annotations.Tag;

/**
 * Changes a course's capacity; it may not drop below the number of subscribed students.
 *
 * @param courseId the course
 * @param capacity the new capacity
 */
public record ChangeCourseCapacity(@Tag("course") String courseId, int capacity) {
}
