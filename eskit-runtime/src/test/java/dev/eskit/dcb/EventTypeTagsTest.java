package dev.eskit.dcb;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.eskit.codec.EventType;
import dev.eskit.codec.EventTypes;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The tag extractor on {@link EventType}: optional, and the old constructors still work. */
class EventTypeTagsTest {

    record Subscribed(String courseId, String studentId) {
    }

    @Test
    void typesWithoutAnExtractorHaveNoTags() {
        EventType<Subscribed> type = new EventType<>("t.Subscribed", Subscribed.class, 1, List.of(), Map.of());
        assertEquals(List.of(), type.tagsOf(new Subscribed("c", "s")));
        assertEquals(List.of(), EventType.of("t.Subscribed", Subscribed.class).tagsOf(new Subscribed("c", "s")));
    }

    @Test
    void withTagsKeepsEverythingElseAndExtracts() {
        EventType<Subscribed> plain = new EventType<>("t.Subscribed", Subscribed.class, 2, List.of("t.Old"),
                Map.of(1, node -> node));
        EventType<Subscribed> tagged = plain.withTags(e -> Tag.list("course", e.courseId(), "student", e.studentId()));
        assertEquals(plain.name(), tagged.name());
        assertEquals(plain.version(), tagged.version());
        assertEquals(plain.aliases(), tagged.aliases());
        assertEquals(plain.upcasters(), tagged.upcasters());
        assertEquals(List.of(Tag.of("course:c"), Tag.of("student:s")), tagged.tagsOf(new Subscribed("c", "s")));
        assertEquals(List.of(Tag.of("course:c")), tagged.tagsOf(new Subscribed("c", null)));
        assertThrows(ClassCastException.class, () -> tagged.tagsOf("not a Subscribed"));
    }

    @Test
    void theBuilderRegistersAnExtractor() {
        EventTypes types = EventTypes.builder()
                .add("t.Subscribed", Subscribed.class, e -> List.of(Tag.of("course", e.courseId())))
                .build();
        assertEquals(List.of(Tag.of("course:c1")),
                types.byClass(Subscribed.class).tagsOf(new Subscribed("c1", "s1")));
    }
}
