package com.acme.courses;

public sealed interface CourseEvent permits CourseDefined, CourseCapacityChanged, StudentSubscribed {
}
