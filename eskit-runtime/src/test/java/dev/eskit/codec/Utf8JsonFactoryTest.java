package dev.eskit.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The direct UTF-8 parser keeps the copied factory's limits and still reads what Jackson's detection reads. */
class Utf8JsonFactoryTest {

    private final JsonFactory limited = JsonFactory.builder().streamReadConstraints(StreamReadConstraints.builder()
            .maxStringLength(10).maxNestingDepth(3).build()).build();
    private final JsonFactory factory = Utf8JsonFactory.of(limited);

    private String lastText(byte[] data) throws Exception {
        String text = null;
        try (JsonParser in = factory.createParser(data)) {
            for (JsonToken token = in.nextToken(); token != null; token = in.nextToken()) {
                if (token == JsonToken.VALUE_STRING) {
                    text = in.getText();
                }
            }
        }
        return text;
    }

    @Test
    void readLimitsOfTheCopiedFactoryHold() {
        assertEquals(Utf8JsonFactory.class, factory.getClass());
        assertThrows(StreamConstraintsException.class,
                () -> lastText("{\"a\":\"01234567890123456789\"}".getBytes(StandardCharsets.UTF_8)));
        assertThrows(StreamConstraintsException.class,
                () -> lastText("[[[[[1]]]]]".getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void otherEncodingsAndByteOrderMarksGoThroughJacksonsDetection() throws Exception {
        assertEquals("é", lastText("{\"x\":\"é\"}".getBytes(StandardCharsets.UTF_8)));
        assertEquals("é", lastText("{\"x\":\"é\"}".getBytes(StandardCharsets.UTF_16)));
        assertEquals("b", lastText(new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF, '[', '"', 'b', '"', ']'}));
        assertEquals(null, lastText("1".getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void otherFormatsAreLeftAlone() {
        JsonFactory cbor = CborFormat.factory();
        assertSame(cbor, Utf8JsonFactory.of(cbor));
        assertSame(factory, Utf8JsonFactory.of(factory));
    }
}
