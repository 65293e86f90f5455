package dev.eskit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class StreamRefTest {

    @Test
    void anyCharacterButNulIsAllowed() {
        for (String id : new String[] {"a-b", "a/b/c", "3f1c6c1e-8f5d-4c7a-9a55-1b5cf6f7e0a1", "ünï 名前 🚀", " "}) {
            assertEquals(id, StreamRef.of("type/sub", id).id());
        }
    }

    @Test
    void twoHundredFiftySixCharactersAreAllowed() {
        StreamRef ref = StreamRef.of("t".repeat(256), "i".repeat(256));
        assertEquals(256, ref.type().length());
        assertEquals(256, ref.id().length());
    }

    @Test
    void emptyOrNullPartsAreRejected() {
        assertThrows(InvalidStreamException.class, () -> StreamRef.of("", "1"));
        assertThrows(InvalidStreamException.class, () -> StreamRef.of(null, "1"));
        assertThrows(InvalidStreamException.class, () -> StreamRef.of("account", ""));
        assertThrows(InvalidStreamException.class, () -> StreamRef.of("account", null));
    }

    @Test
    void partsLongerThanTheLimitAreRejectedWithTheirLength() {
        InvalidStreamException type = assertThrows(InvalidStreamException.class,
                () -> StreamRef.of("t".repeat(257), "1"));
        assertTrue(type.getMessage().contains("257 characters"), type.getMessage());
        assertTrue(type.getMessage().contains("at most 256"), type.getMessage());
        InvalidStreamException id = assertThrows(InvalidStreamException.class,
                () -> StreamRef.of("account", "i".repeat(300)));
        assertTrue(id.getMessage().contains("\"account\""), id.getMessage());
        assertTrue(id.getMessage().contains("300 characters"), id.getMessage());
    }

    @Test
    void nulBytesAreRejectedAndShownEscaped() {
        InvalidStreamException error = assertThrows(InvalidStreamException.class,
                () -> StreamRef.of("account", "a\0b"));
        assertTrue(error.getMessage().contains("NUL"), error.getMessage());
        assertTrue(error.getMessage().contains("a\\0b"), error.getMessage());
        assertThrows(InvalidStreamException.class, () -> StreamRef.of("\0", "1"));
    }

    @Test
    void equalityIsByTypeAndId() {
        assertEquals(StreamRef.of("a", "1"), new StreamRef("a", "1"));
        assertNotEquals(StreamRef.of("a", "1"), StreamRef.of("b", "1"));
        assertNotEquals(StreamRef.of("a/b", "c"), StreamRef.of("a", "b/c"));
        assertEquals("account/a-1", StreamRef.of("account", "a-1").toString());
    }
}
