package dev.eskit.codec;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.eskit.EventDecodingException;
import dev.eskit.EventEncodingException;
import dev.eskit.Metadata;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@link StreamingEventCodec} and {@link JsonEventCodec} over a hand-written {@link ValueCodec}. */
class StreamingEventCodecTest {

    record Renamed(String id, long cents) {
    }

    record Plain(String id) {
    }

    /** What the processor would generate for {@link Renamed}, by hand and lenient: enough for the codec paths. */
    static final ValueCodec<Renamed> RENAMED = new ValueCodec<>() {
        @Override
        public void write(JsonGenerator out, Renamed value) throws IOException {
            out.writeStartObject();
            out.writeStringField("id", value.id());
            out.writeNumberField("cents", value.cents());
            out.writeEndObject();
        }

        @Override
        public Renamed read(JsonParser in) throws IOException {
            Codecs.expect(in, JsonToken.START_OBJECT, "an object");
            String id = null;
            long cents = 0;
            while (in.nextToken() == JsonToken.FIELD_NAME) {
                String field = in.currentName();
                in.nextToken();
                if (field.equals("id")) {
                    id = Codecs.readString(in);
                } else if (field.equals("cents")) {
                    cents = Codecs.readLong(in);
                } else {
                    throw Codecs.unknownProperty(in, "Renamed", field, "id, cents");
                }
            }
            return new Renamed(id, cents);
        }
    };

    private static final EventTypes TYPES = EventTypes.builder()
            .add(new EventType<>("t.Renamed", Renamed.class, 2, List.of(),
                    Map.of(1, node -> node.put("cents", node.remove("amount").asLong()))).withCodec(RENAMED))
            .add("t.Plain", Plain.class)
            .build();

    @Test
    void jsonIsWhatJsonEventCodecWrites() {
        Renamed event = new Renamed("a", 5);
        byte[] streaming = StreamingEventCodec.json(TYPES).encode(event).data();
        assertArrayEquals(JsonEventCodec.create(TYPES).encode(event).data(), streaming);
        assertEquals("{\"id\":\"a\",\"cents\":5}", new String(streaming, StandardCharsets.UTF_8));
        assertEquals(event, JsonEventCodec.create(TYPES).decode("t.Renamed", 2, streaming));
    }

    @Test
    void anEventTheReaderWouldRefuseIsNotEncoded() {
        Renamed huge = new Renamed("x".repeat(20_000_001), 1);
        EventEncodingException e = assertThrows(EventEncodingException.class,
                () -> StreamingEventCodec.json(TYPES).encode(huge));
        assertTrue(e.getMessage().contains("t.Renamed"), e.getMessage());
    }

    @Test
    void cborRoundTripsAndIsNotJson() {
        StreamingEventCodec codec = StreamingEventCodec.cbor(TYPES);
        EncodedEvent encoded = codec.encode(new Renamed("a", 5));
        assertTrue((encoded.data()[0] & 0xff) >= 0xa0, "a CBOR map");
        assertEquals(new Renamed("a", 5), codec.decode("t.Renamed", 2, encoded.data()));
    }

    @Test
    void olderVersionsAreUpcastThenReadByTheGeneratedCodec() {
        byte[] v1 = "{\"id\":\"a\",\"amount\":7}".getBytes(StandardCharsets.UTF_8);
        assertEquals(new Renamed("a", 7), StreamingEventCodec.json(TYPES).decode("t.Renamed", 1, v1));
        assertEquals(new Renamed("a", 7), JsonEventCodec.create(TYPES).decode("t.Renamed", 1, v1));
    }

    @Test
    void typesWithoutAGeneratedCodecAreRefusedWithAFix() {
        StreamingEventCodec codec = StreamingEventCodec.json(TYPES);
        assertTrue(assertThrows(EventEncodingException.class, () -> codec.encode(new Plain("p"))).getMessage()
                .contains("use JsonEventCodec"));
        assertTrue(assertThrows(EventDecodingException.class,
                () -> codec.decode("t.Plain", 1, "{}".getBytes(StandardCharsets.UTF_8))).getMessage()
                .contains("has no generated codec"));
    }

    @Test
    void strictErrorsNameTheTypeAndTrailingContentFails() {
        StreamingEventCodec codec = StreamingEventCodec.json(TYPES);
        String unknown = assertThrows(EventDecodingException.class, () -> codec.decode("t.Renamed", 2,
                "{\"id\":\"a\",\"x\":1}".getBytes(StandardCharsets.UTF_8))).getMessage();
        assertTrue(unknown.contains("Unknown property \"x\" in Renamed"), unknown);
        String trailing = assertThrows(EventDecodingException.class, () -> codec.decode("t.Renamed", 2,
                "{\"id\":\"a\",\"cents\":1}]".getBytes(StandardCharsets.UTF_8))).getMessage();
        assertTrue(trailing.contains("t.Renamed"), trailing);
    }

    @Test
    void metadataIsTheSameJsonAsJsonEventCodecs() {
        Metadata metadata = new Metadata("c", "d", "me", null, Map.of("k", "v"));
        byte[] streaming = StreamingEventCodec.cbor(TYPES).encodeMetadata(metadata);
        assertArrayEquals(JsonEventCodec.create(TYPES).encodeMetadata(metadata), streaming);
        assertEquals(metadata, StreamingEventCodec.json(TYPES).decodeMetadata(streaming));
        assertEquals(Metadata.empty(), StreamingEventCodec.json(TYPES).decodeMetadata(null));
    }
}
