package dev.eskit.samples.dcb.courses;

import dev.eskit.annotations.DcbDecider;
import dev.eskit.annotations.Decide;
import dev.eskit.annotations.Evolve;
import dev.eskit.annotations.InitialState;
import dev.eskit.annotations.QueryItem;
import dev.eskit.samples.dcb.RejectedException;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * Subscribes a student to a course that has room, at most {@link #MAX_COURSES} courses per student. The boundary is
 * the course's definition, capacity changes and subscriptions, plus the student's subscriptions: a concurrent
 * subscription to the same course or by the same student makes one of the two appends fail and retry.
 */
@DcbDecider(query = {
        @QueryItem(types = {CourseDefined.class, CourseCapacityChanged.class, StudentSubscribed.class},
                tags = "course"),
        @QueryItem(types = StudentSubscribed.class, tags = "student")})
final class Subscribe {

    /** Most courses one student may take. */
    static final int MAX_COURSES = 3;

    /**
     * What the boundary's events say: capacities by course, and subscriptions both ways (an event may be about the
     * command's course, its student, or both).
     */
    record Enrolment(Map<String, Integer> capacity, Map<String, Set<String>> studentsOf,
                     Map<String, Set<String>> coursesOf) {
    }

    private Subscribe() {
    }

    @InitialState
    static Enrolment initial() {
        return new Enrolment(Map.of(), Map.of(), Map.of());
    }

    @Decide
    static StudentSubscribed decide(Enrolment state, SubscribeStudent command) {
        Integer capacity = state.capacity().get(command.courseId());
        if (capacity == null) {
            throw new RejectedException("Course " + command.courseId() + " does not exist.");
        }
        Set<String> students = state.studentsOf().getOrDefault(command.courseId(), Set.of());
        if (students.contains(command.studentId())) {
            throw new RejectedException("Student " + command.studentId() + " is in course " + command.courseId()
                    + " already.");
        }
        if (students.size() >= capacity) {
            throw new RejectedException("Course " + command.courseId() + " is full (" + capacity + ").");
        }
        if (state.coursesOf().getOrDefault(command.studentId(), Set.of()).size() >= MAX_COURSES) {
            throw new RejectedException("Student " + command.studentId() + " has " + MAX_COURSES + " courses already.");
        }
        return new StudentSubscribed(command.courseId(), command.studentId());
    }

    @Evolve
    static Enrolment defined(Enrolment state, CourseDefined event) {
        return withCapacity(state, event.courseId(), event.capacity());
    }

    @Evolve
    static Enrolment changed(Enrolment state, CourseCapacityChanged event) {
        return withCapacity(state, event.courseId(), event.capacity());
    }

    @Evolve
    static Enrolment subscribed(Enrolment state, StudentSubscribed event) {
        return new Enrolment(state.capacity(), add(state.studentsOf(), event.courseId(), event.studentId()),
                add(state.coursesOf(), event.studentId(), event.courseId()));
    }

    private static Enrolment withCapacity(Enrolment state, String courseId, int capacity) {
        Map<String, Integer> capacities = new HashMap<>(state.capacity());
        capacities.put(courseId, capacity);
        return new Enrolment(capacities, state.studentsOf(), state.coursesOf());
    }

    private static Map<String, Set<String>> add(Map<String, Set<String>> map, String key, String value) {
        Map<String, Set<String>> copy = new HashMap<>(map);
        Set<String> values = new HashSet<>(copy.getOrDefault(key, Set.of()));
        values.add(value);
        copy.put(key, values);
        return copy;
    }
}
