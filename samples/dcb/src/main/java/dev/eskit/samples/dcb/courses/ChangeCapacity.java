package dev.eskit.samples.dcb.courses;

import dev.eskit.annotations.DcbDecider;
import dev.eskit.annotations.Decide;
import dev.eskit.annotations.Evolve;
import dev.eskit.annotations.InitialState;
import dev.eskit.annotations.QueryItem;
import dev.eskit.samples.dcb.RejectedException;
import java.util.List;

/** Changes a course's capacity, never below its subscriptions: the boundary is everything tagged with the course. */
@DcbDecider(query = @QueryItem(types = {CourseDefined.class, CourseCapacityChanged.class, StudentSubscribed.class},
        tags = "course"))
final class ChangeCapacity {

    /** Whether the course exists, its capacity and how many students it has. */
    record Course(boolean exists, int capacity, int students) {
    }

    private ChangeCapacity() {
    }

    @InitialState
    static Course initial() {
        return new Course(false, 0, 0);
    }

    @Decide
    static List<CourseCapacityChanged> decide(Course course, ChangeCourseCapacity command) {
        if (!course.exists()) {
            throw new RejectedException("Course " + command.courseId() + " does not exist.");
        }
        if (command.capacity() < course.students()) {
            throw new RejectedException("Course " + command.courseId() + " has " + course.students()
                    + " students; its capacity cannot drop to " + command.capacity() + ".");
        }
        if (command.capacity() == course.capacity()) {
            return List.of();
        }
        return List.of(new CourseCapacityChanged(command.courseId(), command.capacity()));
    }

    @Evolve
    static Course defined(Course course, CourseDefined event) {
        return new Course(true, event.capacity(), course.students());
    }

    @Evolve
    static Course changed(Course course, CourseCapacityChanged event) {
        return new Course(true, event.capacity(), course.students());
    }

    @Evolve
    static Course subscribed(Course course, StudentSubscribed event) {
        return new Course(course.exists(), course.capacity(), course.students() + 1);
    }
}
