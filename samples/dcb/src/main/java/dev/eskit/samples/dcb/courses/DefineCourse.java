package dev.eskit.samples.dcb.courses;

import dev.eskit.annotations.Tag;

/**
 * Defines a new course.
 *
 * @param courseId the course; must not exist yet
 * @param capacity at least 1
 */
public record DefineCourse(@Tag("course") String courseId, int capacity) {
}
