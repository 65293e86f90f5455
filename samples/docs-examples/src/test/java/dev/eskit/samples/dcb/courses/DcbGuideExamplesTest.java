package dev.eskit.samples.dcb.courses;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.eskit.EventStore;
import dev.eskit.ExpectedVersion;
import dev.eskit.Position;
import dev.eskit.StoredEvent;
import dev.eskit.StreamRef;
import dev.eskit.codec.EventTypes;
import dev.eskit.command.RetryPolicy;
import dev.eskit.dcb.AppendCondition;
import dev.eskit.dcb.AppendConditionFailedException;
import dev.eskit.dcb.DcbCommandHandler;
import dev.eskit.dcb.DcbCommandResult;
import dev.eskit.dcb.Query;
import dev.eskit.dcb.QueryItem;
import dev.eskit.dcb.Tag;
import dev.eskit.jdbi.JdbiEventStore;
import dev.eskit.samples.dcb.courses.Subscribe.Enrolment;
import dev.eskit.store.InMemoryEventStore;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The examples of docs/dcb.md, over the courses of {@code samples/dcb} (its {@code @DcbDecider Subscribe} is the
 * page's), on a temporary SQLite file. Lives in the sample's package to name the package-private {@code Enrolment}.
 */
class DcbGuideExamplesTest {

    @Test
    void aConditionalAppendFailsWhenAMatchingEventArrivedAfterTheRead(@TempDir Path dir) {
        try (JdbiEventStore store = JdbiEventStore.sqlite("jdbc:sqlite:" + dir.resolve("dcb.db"), EventTypes.discover())) {
            store.append(StreamRef.of("course", "c1"), ExpectedVersion.noStream(), List.of(new CourseDefined("c1", 10)));

            // As on the page:
            Query boundary = Query.of(
                QueryItem.types("courses.CourseDefined", "courses.CourseCapacityChanged", "courses.StudentSubscribed")
                    .withTags(Tag.of("course", "c1")),
                QueryItem.types("courses.StudentSubscribed").withTags(Tag.of("student", "s7")));

            List<StoredEvent<Object>> events = store.read(boundary);
            Position read = events.isEmpty() ? null : events.get(events.size() - 1).position();
            // ... fold and decide ...
            store.append(List.of(new StudentSubscribed("c1", "s7")), AppendCondition.failIfEventsMatch(boundary, read));

            // The same condition again: the subscription just appended matches it.
            assertThrows(AppendConditionFailedException.class, () -> store.append(
                    List.of(new StudentSubscribed("c1", "s7")), AppendCondition.failIfEventsMatch(boundary, read)));
            assertEquals(2, store.read(boundary).size());
        }
    }

    @Test
    void theGeneratedDeciderRunsThroughTheHandlerAndQueriesByTheCommandsTags() {
        InMemoryEventStore store = (InMemoryEventStore) EventStore.inMemory();   // a DcbEventStore
        store.append(StreamRef.of("course", "c1"), ExpectedVersion.noStream(),
                List.of(new CourseDefined("c1", 1)));

        // As on the page:
        DcbCommandHandler<Enrolment, SubscribeStudent, CourseEvent> subscribe =
            DcbCommandHandler.of(store, new SubscribeDecider(), RetryPolicy.attempts(10));
        DcbCommandResult<Enrolment> result = subscribe.handle(new SubscribeStudent("c1", "s7"));

        assertEquals(1, result.events().size());
        assertEquals(new StudentSubscribed("c1", "s7"), result.events().get(0).data());
        assertEquals(Set.of("s7"), result.state().studentsOf().get("c1"));
        assertThrows(RuntimeException.class, () -> subscribe.handle(new SubscribeStudent("c1", "s8")));   // full

        // The generated query is the page's:
        assertEquals(Query.of(
            new QueryItem(List.of("courses.CourseDefined", "courses.CourseCapacityChanged", "courses.StudentSubscribed"),
                          List.of(Tag.of("course", "c1"))),
            new QueryItem(List.of("courses.StudentSubscribed"), List.of(Tag.of("student", "s7")))),
            new SubscribeDecider().query(new SubscribeStudent("c1", "s7")));
    }
}
