package dev.eskit.codectests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.eskit.EventDecodingException;
import dev.eskit.codec.EventTypes;
import dev.eskit.codec.JsonEventCodec;
import dev.eskit.codec.StreamingEventCodec;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * A typed {@code @Upcast} (old record in, new record out) runs on generated codecs: the processor registers it with the
 * codecs of both records, so StreamingEventCodec upcasts without databind's tree or reflection, and JsonEventCodec
 * reads the same.
 */
class TypedUpcastTest {

    private static final EventTypes TYPES = EventTypes.of(new CodectestsEventTypes());

    private static byte[] json(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void theProcessorRegistersTheTypedUpcasterWithGeneratedCodecs() {
        String step = TYPES.byName("codec.Relabelled").upcasters().get(1).toString();
        assertTrue(step.contains("generated codecs"), step);
        assertTrue(step.startsWith("Upcaster.streaming("), step);
    }

    @Test
    void bothCodecsUpcastVersionOneAlikeAndTheOldRecordIsReadLeniently() {
        Relabelled expected = new Relabelled("r-1", 7, "none", null);
        for (Object codec : new Object[] {StreamingEventCodec.json(TYPES), JsonEventCodec.create(TYPES)}) {
            dev.eskit.codec.EventCodec c = (dev.eskit.codec.EventCodec) codec;
            assertEquals(expected, c.decode("codec.Relabelled", 1, json("{\"id\":\"r-1\",\"count\":7}")));
            // As databind's default mapper read the old record: unknown properties skipped.
            assertEquals(expected, c.decode("codec.Relabelled", 1,
                    json("{\"id\":\"r-1\",\"extra\":[1],\"count\":7}")));
            EventDecodingException wrongType = assertThrows(EventDecodingException.class,
                    () -> c.decode("codec.Relabelled", 1, json("{\"id\":\"r-1\",\"count\":\"many\"}")));
            assertTrue(wrongType.getMessage().contains("count"), wrongType.getMessage());
        }
        assertEquals(expected, StreamingEventCodec.json(TYPES).decode("codec.Relabelled", 2,
                json("{\"id\":\"r-1\",\"count\":7,\"label\":\"none\",\"ref\":null}")));
    }

    @Test
    void binaryValuesOfACborRowKeepTheirFormThroughTheTypedStep() throws Exception {
        java.util.UUID ref = java.util.UUID.randomUUID();
        com.fasterxml.jackson.dataformat.cbor.CBORFactory cbor = new com.fasterxml.jackson.dataformat.cbor.CBORFactory();
        java.io.ByteArrayOutputStream v1 = new java.io.ByteArrayOutputStream();
        try (com.fasterxml.jackson.core.JsonGenerator out = cbor.createGenerator(v1)) {
            CodectestsCodecs.RELABELLED_V1.write(out, new Relabelled.V1("r-1", 7, ref));
        }
        Relabelled expected = new Relabelled("r-1", 7, "none", ref);
        assertEquals(expected, StreamingEventCodec.cbor(TYPES).decode("codec.Relabelled", 1, v1.toByteArray()));
        assertEquals(expected, JsonEventCodec.create(TYPES).forFormat("cbor").decode("codec.Relabelled", 1,
                v1.toByteArray()));
        assertEquals(expected, StreamingEventCodec.json(TYPES).decode("codec.Relabelled", 1,
                json("{\"id\":\"r-1\",\"count\":7,\"ref\":\"" + ref + "\"}")));
    }
}
