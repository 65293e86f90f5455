package dev.eskit.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import dev.eskit.EventDecodingException;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@link JsonObject} and {@link Upcaster#streaming} chains, in {@link StreamingEventCodec} and {@link JsonEventCodec}. */
class StreamingUpcasterTest {

    /** v1 {"id","amount"} -> v2 renames amount to cents -> v3 is v2 (a no-op step that drops "note"). */
    private static final EventTypes TYPES = EventTypes.builder()
            .add(new EventType<>("t.Renamed", StreamingEventCodecTest.Renamed.class, 3, List.of(),
                    Map.of(1, Upcaster.streaming(v1 -> v1.rename("amount", "cents")),
                            2, Upcaster.streaming(v2 -> {
                                v2.remove("note");
                                return v2;
                            })))
                    .withCodec(StreamingEventCodecTest.RENAMED))
            .build();

    private static byte[] utf8(String json) {
        return json.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void aStreamingChainUpcastsInEveryCodecAndFormat() {
        StreamingEventCodecTest.Renamed expected = new StreamingEventCodecTest.Renamed("a", 7);
        byte[] v1 = utf8("{\"id\":\"a\",\"amount\":7}");
        assertEquals(expected, StreamingEventCodec.json(TYPES).decode("t.Renamed", 1, v1));
        assertEquals(expected, JsonEventCodec.create(TYPES).decode("t.Renamed", 1, v1));
        assertEquals(expected, StreamingEventCodec.json(TYPES).decode("t.Renamed", 2,
                utf8("{\"id\":\"a\",\"note\":\"x\",\"cents\":7}")));
        byte[] cborV1 = JsonObjectsCbor.v1();
        assertEquals(expected, StreamingEventCodec.cbor(TYPES).decode("t.Renamed", 1, cborV1));
        assertEquals(expected, JsonEventCodec.create(TYPES).forFormat("cbor").decode("t.Renamed", 1, cborV1));
    }

    @Test
    void aStepReturningNullOrTrailingDataFailsWithTheEventName() {
        EventTypes broken = EventTypes.builder()
                .add(new EventType<>("t.Renamed", StreamingEventCodecTest.Renamed.class, 2, List.of(),
                        Map.of(1, Upcaster.streaming(v1 -> null))).withCodec(StreamingEventCodecTest.RENAMED))
                .build();
        EventDecodingException nulled = assertThrows(EventDecodingException.class,
                () -> StreamingEventCodec.json(broken).decode("t.Renamed", 1, utf8("{\"id\":\"a\"}")));
        assertTrue(nulled.getMessage().contains("t.Renamed"), nulled.getMessage());
        assertThrows(EventDecodingException.class,
                () -> StreamingEventCodec.json(TYPES).decode("t.Renamed", 1, utf8("{\"id\":\"a\",\"amount\":7} 1")));
        EventDecodingException gap = assertThrows(EventDecodingException.class, () -> StreamingEventCodec.json(
                EventTypes.builder().add(new EventType<>("t.Renamed", StreamingEventCodecTest.Renamed.class, 2,
                        List.of(), Map.of()).withCodec(StreamingEventCodecTest.RENAMED)).build())
                .decode("t.Renamed", 1, utf8("{\"id\":\"a\"}")));
        assertTrue(gap.getMessage().contains("no upcaster turns version 1 into 2"), gap.getMessage());
    }

    @Test
    void jsonObjectKeepsOrderValuesAndNumbersExactly() throws IOException {
        String json = "{\"s\":\"x\",\"i\":1,\"l\":12345678901,\"big\":123456789012345678901234567890,"
                + "\"d\":0.1000000000000000055511151231257827,\"t\":true,\"n\":null,\"a\":[1,{\"k\":[]}],\"o\":{}}";
        JsonObject object;
        try (JsonParser in = new JsonFactory().createParser(json)) {
            in.nextToken();
            object = JsonObject.read(in);
        }
        assertEquals(json, object.toString());
        assertEquals(new BigDecimal("0.1000000000000000055511151231257827"), object.getNumber("d"));
        assertTrue(object.has("n"));
        assertEquals(List.of("s", "i", "l", "big", "d", "t", "n", "a", "o"), List.copyOf(object.names()));
        object.rename("i", "j").put("new", List.of("v")).remove("o");
        assertEquals(List.of("s", "j", "l", "big", "d", "t", "n", "a", "new"), List.copyOf(object.names()));
        assertThrows(IllegalArgumentException.class, () -> object.rename("s", "j"));
        assertThrows(IllegalArgumentException.class, () -> object.put("when", java.time.Instant.EPOCH));
        assertThrows(IllegalStateException.class, () -> object.getString("j"));
    }

    /** CBOR bytes of version 1, written through the CBOR factory. */
    private static final class JsonObjectsCbor {
        static byte[] v1() {
            return new JsonObject().put("id", "a").put("amount", 7).toBytes(CborFormat.factory());
        }
    }
}
