package dev.eskit.samples.dcb.courses;

/** The events of the course domain. */
public sealed interface CourseEvent permits CourseDefined, CourseCapacityChanged, StudentSubscribed {
}
