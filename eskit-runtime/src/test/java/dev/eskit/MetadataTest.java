package dev.eskit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MetadataTest {

    private static Map<String, String> extras(int count) {
        Map<String, String> extras = new LinkedHashMap<>();
        for (int i = 0; i < count; i++) {
            extras.put("key-" + i, "value-" + i);
        }
        return extras;
    }

    @Test
    void oneHundredExtrasAreAllowed() {
        assertEquals(100, new Metadata(null, null, null, null, extras(100)).extras().size());
    }

    @Test
    void moreThanOneHundredExtrasAreRejected() {
        MetadataTooLargeException error = assertThrows(MetadataTooLargeException.class,
                () -> new Metadata(null, null, null, null, extras(101)));
        assertTrue(error.getMessage().contains("101"), error.getMessage());
    }

    @Test
    void exactlySixtyFourKibibytesIsAllowedAndOneByteMoreIsNot() {
        // "k" (1 byte) + value; the value is made of 2-byte characters plus filler so the UTF-8 size is exact.
        String twoByte = "é".repeat(30_000);
        String exact = twoByte + "x".repeat(Limits.MAX_METADATA_BYTES - 1 - 60_000);
        assertEquals(Limits.MAX_METADATA_BYTES, 1 + exact.getBytes(java.nio.charset.StandardCharsets.UTF_8).length);
        new Metadata(null, null, null, null, Map.of("k", exact));
        assertThrows(MetadataTooLargeException.class,
                () -> new Metadata(null, null, null, null, Map.of("k", exact + "x")));
    }

    @Test
    void theSizeLimitCountsEveryFieldAndKey() {
        String half = "a".repeat(Limits.MAX_METADATA_BYTES / 2);
        new Metadata(half, null, null, null, Map.of());
        assertThrows(MetadataTooLargeException.class, () -> new Metadata(half, half, "x", null, Map.of()));
        assertThrows(MetadataTooLargeException.class,
                () -> new Metadata(null, null, half, null, Map.of(half, "v")));
    }

    @Test
    void multiByteCharactersCountAsTheirUtf8Size() {
        // 22,000 characters of 3 bytes each: well under the limit in chars, over it in bytes.
        assertThrows(MetadataTooLargeException.class,
                () -> new Metadata("日".repeat(22_000), null, null, null, Map.of()));
    }

    @Test
    void emptyOrNullKeysAndNullValuesAreRejected() {
        Map<String, String> emptyKey = Map.of("", "v");
        assertThrows(InvalidInputException.class, () -> new Metadata(null, null, null, null, emptyKey));
        Map<String, String> nullKey = new HashMap<>();
        nullKey.put(null, "v");
        assertThrows(InvalidInputException.class, () -> new Metadata(null, null, null, null, nullKey));
        Map<String, String> nullValue = new HashMap<>();
        nullValue.put("k", null);
        InvalidInputException error = assertThrows(InvalidInputException.class,
                () -> new Metadata(null, null, null, null, nullValue));
        assertTrue(error.getMessage().contains("\"k\""), error.getMessage());
    }

    @Test
    void extrasAreCopiedInOrderAndUnmodifiable() {
        Map<String, String> source = new LinkedHashMap<>();
        source.put("z", "1");
        source.put("a", "2");
        Metadata metadata = new Metadata(null, null, null, null, source);
        source.put("later", "3");
        assertEquals(List.of("z", "a"), List.copyOf(metadata.extras().keySet()));
        assertThrows(UnsupportedOperationException.class, () -> metadata.extras().put("x", "y"));
    }

    @Test
    void nullExtrasBecomeEmpty() {
        assertEquals(Map.of(), new Metadata("c", null, null, null, null).extras());
    }

    @Test
    void withersReplaceOneFieldAndKeepTheRest() {
        Metadata metadata = Metadata.correlatedBy("c").withCausationId("k").withInitiator("i").withOriginator("o")
                .with("a", "1").with("a", "2").with("b", "3");
        assertEquals(new Metadata("c", "k", "i", "o", Map.of("a", "2", "b", "3")), metadata);
        assertEquals("c2", metadata.withCorrelationId("c2").correlationId());
        assertEquals("k", metadata.withCorrelationId("c2").causationId());
    }

    @Test
    void withRejectsTheHundredAndFirstExtra() {
        Metadata full = new Metadata(null, null, null, null, extras(100));
        assertThrows(MetadataTooLargeException.class, () -> full.with("one-more", "v"));
        assertEquals(100, full.with("key-0", "replaced").extras().size());
    }

    @Test
    void emptyMetadataIsEmpty() {
        assertSame(Metadata.empty(), Metadata.empty());
        assertTrue(Metadata.empty().isEmpty());
        assertTrue(new Metadata(null, null, null, null, Map.of()).isEmpty());
        assertFalse(Metadata.correlatedBy("c").isEmpty());
        assertFalse(Metadata.empty().with("k", "v").isEmpty());
        assertNull(Metadata.empty().correlationId());
    }
}
