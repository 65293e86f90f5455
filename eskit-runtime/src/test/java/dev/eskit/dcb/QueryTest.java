package dev.eskit.dcb;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.eskit.InvalidInputException;
import dev.eskit.Position;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Tags, query items, queries and append conditions as values. */
class QueryTest {

    private static final Tag C1 = Tag.of("course", "c1");
    private static final Tag S1 = Tag.of("student", "s1");

    @Test
    void tagsAreValidatedAndPrefixedWithAColon() {
        assertEquals("course:c1", C1.value());
        assertEquals("invoice:42", Tag.of("invoice", 42).value());
        assertThrows(InvalidInputException.class, () -> Tag.of(""));
        assertThrows(InvalidInputException.class, () -> Tag.of("a\0b"));
        assertThrows(InvalidInputException.class, () -> Tag.of("x".repeat(257)));
        InvalidInputException nullId = assertThrows(InvalidInputException.class, () -> Tag.of("course", null));
        assertTrue(nullId.getMessage().contains("course"), nullId.getMessage());
    }

    @Test
    void tagListsSkipNullValues() {
        assertEquals(List.of(C1), Tag.list("course", "c1", "student", null));
        assertEquals(List.of(), Tag.list());
    }

    @Test
    void anItemMatchesAnyOfItsTypesAndAllOfItsTags() {
        QueryItem item = QueryItem.types("a.X", "a.Y").withTags(C1, S1);
        assertTrue(item.matches("a.X", List.of(S1, C1, Tag.of("other"))));
        assertTrue(item.matches("a.Y", List.of(C1, S1)));
        assertFalse(item.matches("a.Z", List.of(C1, S1)), "type not listed");
        assertFalse(item.matches("a.X", List.of(C1)), "a tag missing");
        assertTrue(QueryItem.tags(C1).matches("any.Type", List.of(C1)), "no types: any type");
        assertTrue(QueryItem.types("a.X").matches("a.X", List.of()), "no tags: no tag needed");
        assertTrue(QueryItem.any().matches("b.B", List.of()));
    }

    @Test
    void itemsAreSortedAndDeduplicatedSoEqualItemsAreEqual() {
        assertEquals(QueryItem.types("b", "a", "b").withTags(S1, C1), QueryItem.types("a", "b").withTags(C1, S1));
        assertEquals(List.of("a", "b"), QueryItem.types("b", "a").types());
    }

    @Test
    void aQueryOrsItsItemsAndAllMatchesEverything() {
        Query query = Query.of(QueryItem.types("a.X").withTags(C1), QueryItem.types("a.Y"));
        assertTrue(query.matches("a.X", List.of(C1)));
        assertTrue(query.matches("a.Y", List.of()));
        assertFalse(query.matches("a.X", List.of(S1)));
        assertTrue(Query.all().matches("z.Z", List.of()));
        assertTrue(Query.all().isAll());
        assertFalse(query.isAll());
        assertEquals(3, query.or(Query.of(QueryItem.tags(S1))).items().size());
    }

    @Test
    void queriesAndItemsAreBounded() {
        InvalidInputException empty = assertThrows(InvalidInputException.class, () -> Query.of());
        assertTrue(empty.getMessage().contains("Query.all()"), empty.getMessage());
        List<QueryItem> many = new java.util.ArrayList<>();
        for (int i = 0; i <= Query.MAX_ITEMS; i++) {
            many.add(QueryItem.types("t" + i));
        }
        assertThrows(InvalidInputException.class, () -> Query.of(many));
        assertThrows(InvalidInputException.class, () -> QueryItem.types(
                Collections.nCopies(1, "").toArray(String[]::new)));
        List<String> types = new java.util.ArrayList<>();
        for (int i = 0; i <= QueryItem.MAX_ENTRIES; i++) {
            types.add("t" + i);
        }
        assertThrows(InvalidInputException.class, () -> QueryItem.types(types));
    }

    @Test
    void aConditionWithoutPositionOrAtStartMeansAtAll() {
        Query query = Query.all();
        assertNull(AppendCondition.failIfEventsMatch(query).after());
        assertNull(AppendCondition.failIfEventsMatch(query, Position.START).after());
        assertEquals(Position.START, AppendCondition.failIfEventsMatch(query, null).afterOrStart());
        assertEquals(Position.of(4), AppendCondition.failIfEventsMatch(query, Position.of(4)).after());
        assertTrue(AppendCondition.failIfEventsMatch(query).afterPosition().isEmpty());
    }

    @Test
    void aTaggedEventCannotWrapAnother() {
        TaggedEvent inner = TaggedEvent.of("e", C1);
        assertThrows(InvalidInputException.class, () -> TaggedEvent.of(inner, S1));
        assertEquals(inner, TaggedEvent.wrap(inner));
        assertEquals(List.of(C1, S1), TaggedEvent.of("e", S1, C1, S1).tags());
    }
}
