package com.acme.courses;

import dev.eskit.annotations.Event;
import dev.eskit.annotations.Tag;

@Event
public record CourseDefined(@Tag("course") String courseId, int capacity) implements CourseEvent {
}
