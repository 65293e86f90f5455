package com.acme.courses;

import dev.eskit.annotations.Tag;

public record SubscribeStudent(@Tag("course") String courseId, @Tag("student") String studentId) {
}
