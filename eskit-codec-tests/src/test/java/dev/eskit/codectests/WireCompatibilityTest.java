package dev.eskit.codectests;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.dataformat.cbor.CBORFactory;
import dev.eskit.codec.JsonEventCodec;
import dev.eskit.codec.ValueCodec;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * What the generated codec writes, jackson-databind writes byte for byte, and each reads what the other wrote, for
 * random values of every supported type, in JSON and in CBOR. Databind is configured as eskit documents for java.time
 * (ISO strings, zone ids kept, offsets not adjusted) and with the jsr310/jdk8 modules.
 */
class WireCompatibilityTest {

    static final ObjectMapper JSON = configure(JsonEventCodec.defaultMapper());
    static final ObjectMapper CBOR = configure(JsonEventCodec.defaultMapper().copyWith(new CBORFactory()));
    private static final ValueCodec<Everything> CODEC = CodectestsCodecs.EVERYTHING;

    static ObjectMapper configure(ObjectMapper mapper) {
        return mapper.disable(SerializationFeature.WRITE_DURATIONS_AS_TIMESTAMPS)
                .enable(SerializationFeature.WRITE_DATES_WITH_ZONE_ID)
                .disable(DeserializationFeature.ADJUST_DATES_TO_CONTEXT_TIME_ZONE);
    }

    @Provide
    Arbitrary<Everything> everything() {
        return Values.everything();
    }

    @Property(tries = 400)
    void generatedJsonEqualsDatabindJsonAndEachReadsTheOther(@ForAll("everything") Everything value)
            throws IOException {
        JsonFactory factory = JSON.getFactory();
        byte[] generated = write(factory, CODEC, value);
        byte[] databind = JSON.writeValueAsBytes(value);
        assertEquals(new String(databind, StandardCharsets.UTF_8), new String(generated, StandardCharsets.UTF_8));
        String expected = canonical(value);
        assertEquals(expected, canonical(JSON.readValue(generated, Everything.class)), "databind reads generated");
        assertEquals(expected, canonical(read(factory, CODEC, databind)), "generated reads databind");
    }

    @Property(tries = 200)
    void generatedCborEqualsDatabindCborAndEachReadsTheOther(@ForAll("everything") Everything value)
            throws IOException {
        JsonFactory factory = CBOR.getFactory();
        byte[] generated = write(factory, CODEC, value);
        assertArrayEquals(CBOR.writeValueAsBytes(value), generated);
        String expected = canonical(value);
        assertEquals(expected, canonical(CBOR.readValue(generated, Everything.class)), "databind reads generated");
        assertEquals(expected, canonical(read(factory, CODEC, generated)), "generated reads its own CBOR");
    }

    /** The generated JSON of {@code value} with sets sorted: equal for equal values, byte arrays and NaN included. */
    static String canonical(Everything value) throws IOException {
        return new String(write(JSON.getFactory(), CODEC, value.sortedSets()), StandardCharsets.UTF_8);
    }

    static <T> byte[] write(JsonFactory factory, ValueCodec<T> codec, T value) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (JsonGenerator generator = factory.createGenerator(out)) {
            codec.write(generator, value);
        }
        return out.toByteArray();
    }

    static <T> T read(JsonFactory factory, ValueCodec<T> codec, byte[] data) throws IOException {
        try (JsonParser parser = factory.createParser(data)) {
            parser.nextToken();
            T value = codec.read(parser);
            assertEquals(null, parser.nextToken(), "nothing after the value");
            return value;
        }
    }
}
