package com.acme.courses;

import dev.eskit.annotations.DcbDecider;
import dev.eskit.annotations.Decide;
import dev.eskit.annotations.Evolve;
import dev.eskit.annotations.InitialState;
import dev.eskit.annotations.QueryItem;
import java.util.List;

@DcbDecider(query = {
        @QueryItem(types = {CourseDefined.class, CourseCapacityChanged.class, StudentSubscribed.class},
                tags = "course"),
        @QueryItem(types = StudentSubscribed.class, tags = "student")})
final class Subscribe {

    record State(int capacity, int subscribed, int studentCourses) {
    }

    @InitialState
    static State initial() {
        return new State(0, 0, 0);
    }

    @Decide
    static List<CourseEvent> decide(State state, SubscribeStudent command) {
        if (state.subscribed() >= state.capacity() || state.studentCourses() >= 3) {
            throw new IllegalStateException("full");
        }
        return List.of(new StudentSubscribed(command.courseId(), command.studentId()));
    }

    @Evolve
    static State defined(State state, CourseDefined event) {
        return new State(event.capacity(), state.subscribed(), state.studentCourses());
    }

    @Evolve
    static State changed(State state, CourseCapacityChanged event) {
        return new State(event.capacity(), state.subscribed(), state.studentCourses());
    }

    @Evolve
    static State subscribed(State state, StudentSubscribed event) {
        return new State(state.capacity(), state.subscribed() + 1, state.studentCourses() + 1);
    }
}
