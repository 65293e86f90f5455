package dev.eskit.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.eskit.EventEncodingException;
import dev.eskit.Metadata;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Found by {@code CodecPropertiesTest}: a string with a lone UTF-16 surrogate was encoded (as a map key) into JSON that
 * no reader accepts back. Encoding refuses it now, so nothing unreadable is written; whole characters still pass.
 */
class LoneSurrogateTest {

    record Tagged(String text, List<String> tags, Map<String, Long> counts) {
    }

    private final JsonEventCodec codec = JsonEventCodec.create(EventTypes.builder().add("t.Tagged", Tagged.class)
            .build());

    @Test
    void aLoneSurrogateAnywhereIsRefusedOnWrite() {
        for (Tagged bad : List.of(new Tagged("cut \ud83d", List.of(), Map.of()),
                new Tagged("ok", List.of("\ude00 low"), Map.of()),
                new Tagged("ok", List.of(), Map.of("key \ud83d", 1L)),
                new Tagged("ok", List.of(), Map.of("\ude00", 1L)))) {
            EventEncodingException error = assertThrows(EventEncodingException.class, () -> codec.encode(bad));
            assertTrue(error.getMessage().contains("lone UTF-16 surrogate"), error.getMessage());
        }
    }

    @Test
    void wholeCharactersAndEscapesStillRoundTrip() {
        Tagged good = new Tagged("emoji \ud83d\ude00 \\ud83d quote \" backslash \\", List.of("\ud83d\ude00"),
                Map.of("\ud83d\ude00 key \\u", 2L));
        EncodedEvent encoded = codec.encode(good);
        assertEquals(good, codec.decode(encoded.type(), encoded.schemaVersion(), encoded.data()));
    }

    @Test
    void metadataWithALoneSurrogateIsRefused() {
        assertThrows(EventEncodingException.class,
                () -> codec.encodeMetadata(Metadata.empty().with("note", "cut \ud83d")));
        Metadata whole = Metadata.empty().with("note", "whole \ud83d\ude00");
        assertEquals(whole, codec.decodeMetadata(codec.encodeMetadata(whole)));
    }
}
