package dev.eskit.jdbi;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.eskit.ExpectedVersion;
import dev.eskit.Position;
import dev.eskit.StoredEvent;
import dev.eskit.StreamRef;
import dev.eskit.codec.JsonEventCodec;
import dev.eskit.dcb.Query;
import dev.eskit.dcb.QueryItem;
import dev.eskit.dcb.Tag;
import dev.eskit.testkit.dcb.DcbTestEvents;
import dev.eskit.testkit.dcb.DcbTestEvents.CourseDefined;
import dev.eskit.testkit.dcb.DcbTestEvents.Noted;
import dev.eskit.testkit.dcb.DcbTestEvents.StudentSubscribed;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A plain append collects each event's own tags while it encodes, and keeps no tag lists when no event has one: an
 * append whose first events are untagged and later ones tagged must still store every event's tags at its index,
 * through the one-row and the several-rows inserts alike.
 */
class SqlitePlainAppendTagsTest {

    @RegisterExtension
    static final Databases DB = Databases.sqlite();

    @Test
    void tagsOfLaterEventsStayWithTheirEvents() {
        JdbiEventStore store = DB.track(DB.newLocation().builder(JsonEventCodec.create(DcbTestEvents.types())).build());
        StreamRef stream = StreamRef.of("course", "c7");
        store.append(stream, ExpectedVersion.noStream(), List.of(new Noted("a"), new Noted("b"),
                new CourseDefined("c7", 3), new Noted("c"), new StudentSubscribed("c7", "s1")));
        store.append(StreamRef.of("notes", "n"), ExpectedVersion.noStream(), List.of(new Noted("untagged"),
                new Noted("only")));

        List<RawEvent> raw = store.raw().readAll(Position.START, 100, Set.of());
        assertEquals(List.of(List.of(), List.of(), List.of(Tag.of("course", "c7")), List.of(),
                        List.of(Tag.of("course", "c7"), Tag.of("student", "s1")), List.of(), List.of()),
                raw.stream().map(event -> event.tags().stream().sorted((x, y) -> x.toString()
                        .compareTo(y.toString())).toList()).toList());
        assertEquals(List.of(new CourseDefined("c7", 3), new StudentSubscribed("c7", "s1")),
                store.read(Query.of(QueryItem.tags(Tag.of("course", "c7"))), Position.START, 100).stream()
                        .map(StoredEvent::data).toList());
    }
}
