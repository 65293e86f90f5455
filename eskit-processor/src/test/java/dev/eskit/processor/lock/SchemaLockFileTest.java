package dev.eskit.processor.lock;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.eskit.processor.model.EventShape;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** The text form of the lock: sorted, parseable back, and strict about what it does not understand. */
class SchemaLockFileTest {

    private static EventShape shape(String name, int version, Map<String, String> components) {
        return new EventShape(name, version, "a." + name, new TreeMap<>(components));
    }

    @Test
    void rendersSortedAndParsesBackToTheSameLock() throws Exception {
        SchemaLock lock = SchemaLock.of(List.of(
                shape("b.Second", 2, Map.of("z", "int", "a", "java.lang.String")),
                shape("a.First", 1, Map.of("x", "java.util.Map<java.lang.String, a.Money>"))));
        String text = lock.render();
        assertTrue(text.indexOf("event a.First") < text.indexOf("event b.Second"), text);
        assertTrue(text.contains("event b.Second version 2 class a.b.Second\n  a: java.lang.String\n  z: int\n"),
                text);
        assertEquals(lock.events(), SchemaLock.parse(text).events());
        assertEquals(text, SchemaLock.parse(text).render());
    }

    @Test
    void windowsLineEndingsParse() throws Exception {
        SchemaLock lock = SchemaLock.parse("# c\r\nevent a.B version 3 class x.B\r\n  id: long\r\n");
        assertEquals(3, lock.events().get("a.B").version());
        assertEquals(Map.of("id", "long"), lock.events().get("a.B").components());
    }

    @Test
    void malformedLinesDuplicatesAndBadVersionsAreRejectedWithTheirLine() {
        assertTrue(assertThrows(SchemaLock.InvalidLockException.class, () -> SchemaLock.parse(
                "event a.B version 1 class x.B\n=======\n")).getMessage().startsWith("line 2 "));
        assertTrue(assertThrows(SchemaLock.InvalidLockException.class, () -> SchemaLock.parse(
                "event a.B version one class x.B\n")).getMessage().contains("\"one\""));
        assertTrue(assertThrows(SchemaLock.InvalidLockException.class, () -> SchemaLock.parse(
                "event a.B version 1\n")).getMessage().startsWith("line 1 "));
        assertTrue(assertThrows(SchemaLock.InvalidLockException.class, () -> SchemaLock.parse(
                "event a.B version 1 class x.B\nevent a.B version 2 class x.B\n")).getMessage()
                .contains("listed twice"));
        assertTrue(assertThrows(SchemaLock.InvalidLockException.class, () -> SchemaLock.parse(
                "  id: long\n")).getMessage().startsWith("line 1 "));
    }

    @Test
    void changesNameAddedRemovedAndChangedComponents() {
        EventShape before = shape("a.B", 1, Map.of("id", "long", "name", "java.lang.String"));
        EventShape after = shape("a.B", 1, Map.of("id", "int", "title", "java.lang.String"));
        assertEquals(List.of("\"id\" changed from long to int", "\"name\" removed", "\"title\" added"),
                SchemaLock.changes(before, after));
        assertEquals(List.of(), SchemaLock.changes(before, before));
    }
}
