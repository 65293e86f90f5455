package dev.eskit.samples.dcb.courses;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.eskit.StoredEvent;
import dev.eskit.command.RetryPolicy;
import dev.eskit.dcb.DcbCommandHandler;
import dev.eskit.dcb.DcbEventStore;
import dev.eskit.dcb.Query;
import dev.eskit.dcb.QueryItem;
import dev.eskit.dcb.Tag;
import dev.eskit.samples.dcb.RejectedException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Course subscriptions with a capacity that changes, on every store. */
class CoursesTest {

    @TempDir
    Path dir;

    static java.util.stream.Stream<org.junit.jupiter.params.provider.Arguments> stores() {
        return dev.eskit.samples.dcb.Stores.all();
    }

    private record Courses(DcbEventStore store, DcbCommandHandler<Boolean, DefineCourse, CourseDefined> define,
                           DcbCommandHandler<ChangeCapacity.Course, ChangeCourseCapacity, CourseEvent> change,
                           DcbCommandHandler<Subscribe.Enrolment, SubscribeStudent, CourseEvent> subscribe) {
        static Courses on(DcbEventStore store) {
            RetryPolicy retry = RetryPolicy.attempts(50);
            return new Courses(store, DcbCommandHandler.of(store, new DefineDecider(), retry),
                    DcbCommandHandler.of(store, new ChangeCapacityDecider(), retry),
                    DcbCommandHandler.of(store, new SubscribeDecider(), retry));
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("stores")
    void subscriptionsFollowACapacityThatChanges(String name, Function<Path, DcbEventStore> factory) {
        try (DcbEventStore store = factory.apply(dir)) {
            Courses courses = Courses.on(store);
            courses.define().handle(new DefineCourse("math", 2));
            assertThrows(RejectedException.class, () -> courses.define().handle(new DefineCourse("math", 5)));
            courses.subscribe().handle(new SubscribeStudent("math", "ann"));
            courses.subscribe().handle(new SubscribeStudent("math", "bob"));
            RejectedException full = assertThrows(RejectedException.class,
                    () -> courses.subscribe().handle(new SubscribeStudent("math", "cid")));
            assertTrue(full.getMessage().contains("full"), full.getMessage());
            courses.change().handle(new ChangeCourseCapacity("math", 3));
            courses.subscribe().handle(new SubscribeStudent("math", "cid"));
            RejectedException below = assertThrows(RejectedException.class,
                    () -> courses.change().handle(new ChangeCourseCapacity("math", 2)));
            assertTrue(below.getMessage().contains("has 3 students"), below.getMessage());
            assertEquals(0, courses.change().handle(new ChangeCourseCapacity("math", 3)).events().size(),
                    "an unchanged capacity appends nothing");
            assertEquals(3, store.read(Query.of(QueryItem.types("courses.StudentSubscribed")
                    .withTags(Tag.of("course", "math")))).size());
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("stores")
    void aStudentTakesEachCourseOnceAndAtMostThree(String name, Function<Path, DcbEventStore> factory) {
        try (DcbEventStore store = factory.apply(dir)) {
            Courses courses = Courses.on(store);
            for (String course : List.of("a", "b", "c", "d")) {
                courses.define().handle(new DefineCourse(course, 10));
            }
            courses.subscribe().handle(new SubscribeStudent("a", "ann"));
            assertThrows(RejectedException.class, () -> courses.subscribe().handle(new SubscribeStudent("a", "ann")));
            courses.subscribe().handle(new SubscribeStudent("b", "ann"));
            courses.subscribe().handle(new SubscribeStudent("c", "ann"));
            RejectedException limit = assertThrows(RejectedException.class,
                    () -> courses.subscribe().handle(new SubscribeStudent("d", "ann")));
            assertTrue(limit.getMessage().contains("3 courses"), limit.getMessage());
            courses.subscribe().handle(new SubscribeStudent("d", "bob"));
            assertThrows(RejectedException.class, () -> courses.subscribe().handle(new SubscribeStudent("x", "bob")),
                    "no such course");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("stores")
    void racingSubscriptionsNeverOverfillACourse(String name, Function<Path, DcbEventStore> factory)
            throws Exception {
        try (DcbEventStore store = factory.apply(dir)) {
            Courses courses = Courses.on(store);
            courses.define().handle(new DefineCourse("popular", 5));
            int students = 12;
            ExecutorService pool = Executors.newFixedThreadPool(6);
            try {
                CountDownLatch start = new CountDownLatch(1);
                List<Future<Boolean>> results = new ArrayList<>();
                for (int s = 0; s < students; s++) {
                    String student = "s" + s;
                    results.add(pool.submit(() -> {
                        start.await();
                        try {
                            courses.subscribe().handle(new SubscribeStudent("popular", student));
                            return true;
                        } catch (RejectedException full) {
                            return false;
                        }
                    }));
                }
                start.countDown();
                int admitted = 0;
                for (Future<Boolean> result : results) {
                    admitted += result.get(120, TimeUnit.SECONDS) ? 1 : 0;
                }
                assertEquals(5, admitted);
            } finally {
                pool.shutdownNow();
            }
            List<StoredEvent<Object>> subscribed = store.read(Query.of(
                    QueryItem.types("courses.StudentSubscribed").withTags(Tag.of("course", "popular"))));
            assertEquals(5, subscribed.size());
        }
    }

    @Test
    void theSubscriptionRulesReadAsASpec() {
        SubscribeSpec.given(new CourseDefined("math", 1), new StudentSubscribed("art", "ann"))
                .when(new SubscribeStudent("math", "ann"))
                .then(new StudentSubscribed("math", "ann"));
        SubscribeSpec.given(new CourseDefined("math", 1), new StudentSubscribed("math", "bob"))
                .when(new SubscribeStudent("math", "ann"))
                .thenError(RejectedException.class, "Course math is full (1).");
        SubscribeSpec.given(new CourseDefined("math", 1), new StudentSubscribed("math", "bob"),
                        new CourseCapacityChanged("math", 2))
                .when(new SubscribeStudent("math", "ann"))
                .then(new StudentSubscribed("math", "ann"));
    }

    @Test
    void theGeneratedQueryBindsTheCommandsTags() {
        assertEquals(Query.of(
                QueryItem.types("courses.CourseDefined", "courses.CourseCapacityChanged", "courses.StudentSubscribed")
                        .withTags(Tag.of("course", "math")),
                QueryItem.types("courses.StudentSubscribed").withTags(Tag.of("student", "ann"))),
                new SubscribeDecider().query(new SubscribeStudent("math", "ann")));
    }
}
