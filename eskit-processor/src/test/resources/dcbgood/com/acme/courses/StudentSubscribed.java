package com.acme.courses;

import dev.eskit.annotations.Event;
import dev.eskit.annotations.Tag;

@Event
public record StudentSubscribed(@Tag("course") String courseId, @Tag("student") String studentId)
        implements CourseEvent {
}
