package dev.eskit.samples.dcb.courses;

import dev.eskit.annotations.DcbDecider;
import dev.eskit.annotations.Decide;
import dev.eskit.annotations.Evolve;
import dev.eskit.annotations.InitialState;
import dev.eskit.annotations.QueryItem;
import dev.eskit.samples.dcb.RejectedException;

/**
 * Defines a course once: the boundary is the course's definition. It folds only {@link CourseDefined}, so it declares
 * that as its event type (a decider of the sealed {@link CourseEvent} would have to evolve every course event).
 */
@DcbDecider(query = @QueryItem(types = CourseDefined.class, tags = "course"), events = CourseDefined.class)
final class Define {

    private Define() {
    }

    @InitialState
    static Boolean initial() {
        return false;
    }

    @Decide
    static CourseDefined decide(Boolean exists, DefineCourse command) {
        if (exists) {
            throw new RejectedException("Course " + command.courseId() + " exists already.");
        }
        if (command.capacity() < 1) {
            throw new RejectedException("A course needs a capacity of at least 1.");
        }
        return new CourseDefined(command.courseId(), command.capacity());
    }

    @Evolve
    static Boolean defined(Boolean exists, CourseDefined event) {
        return true;
    }
}
