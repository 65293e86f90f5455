package dev.eskit.samples.dcb.courses;

import dev.eskit.annotations.Tag;

/**
 * Subscribes a student to a course.
 *
 * @param courseId  the course
 * @param studentId the student
 */
public record SubscribeStudent(@Tag("course") String courseId, @Tag("student") String studentId) {
}
