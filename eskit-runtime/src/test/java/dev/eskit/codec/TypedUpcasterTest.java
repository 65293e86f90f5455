package dev.eskit.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.eskit.EventDecodingException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@link Upcaster#typed}: old record in, next version out, through the codec's own mapper or generated codecs. */
class TypedUpcasterTest {

    /** Version 1 of {@link Paid}, kept for its upcaster. */
    record PaidV1(String id, long cents) {
    }

    /** Version 2 of {@link Paid}. */
    record PaidV2(String id, long cents, String currency) {
    }

    /** Version 3, the current one. */
    record Paid(String id, String amount) {
    }

    private static PaidV2 toV2(PaidV1 v1) {
        return new PaidV2(v1.id(), v1.cents(), "EUR");
    }

    private static Paid toV3(PaidV2 v2) {
        return new Paid(v2.id(), v2.cents() / 100 + "." + v2.cents() % 100 + " " + v2.currency());
    }

    private static JsonEventCodec codec(ObjectMapper mapper, Map<Integer, Upcaster> upcasters) {
        return JsonEventCodec.create(EventTypes.builder()
                .add(new EventType<>("pay.Paid", Paid.class, 3, List.of(), upcasters))
                .build(), mapper);
    }

    private static byte[] json(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void typedStepsReadOldRecordsAndChainToTheCurrentOne() {
        JsonEventCodec codec = codec(JsonEventCodec.defaultMapper(), Map.of(
                1, Upcaster.typed(PaidV1.class, TypedUpcasterTest::toV2),
                2, Upcaster.typed(PaidV2.class, TypedUpcasterTest::toV3)));
        assertEquals(new Paid("p-1", "12.34 EUR"), codec.decode("pay.Paid", 1, json("{\"id\":\"p-1\",\"cents\":1234}")));
        assertEquals(new Paid("p-2", "1.5 USD"),
                codec.decode("pay.Paid", 2, json("{\"id\":\"p-2\",\"cents\":105,\"currency\":\"USD\"}")));
    }

    @Test
    void typedAndJsonStepsMix() {
        Upcaster addCurrency = node -> node.put("currency", "CHF");
        JsonEventCodec codec = codec(JsonEventCodec.defaultMapper(), Map.of(
                1, addCurrency,
                2, Upcaster.typed(PaidV2.class, TypedUpcasterTest::toV3)));
        assertEquals(new Paid("p", "0.7 CHF"), codec.decode("pay.Paid", 1, json("{\"id\":\"p\",\"cents\":7}")));
    }

    @Test
    void theCodecsOwnMapperReadsTheOldRecord() {
        // A snake_case mapper stores "some_id"; only that mapper reads it back into the record.
        ObjectMapper snake = JsonEventCodec.defaultMapper()
                .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE);
        record Wide(String someId) {
        }
        Upcaster upcaster = Upcaster.typed(Wide.class, w -> new ObjectMapper().createObjectNode().put("id", w.someId()));
        ObjectNode stored = snake.createObjectNode().put("some_id", "x");
        assertEquals("x", upcaster.upcast(stored, snake).get("id").asText());
        // The default mapper does not know snake_case, so the same JSON leaves someId empty.
        assertTrue(upcaster.upcast(stored.deepCopy(), JsonEventCodec.defaultMapper()).get("id").isNull());
    }

    @Test
    void withoutAMapperTheDefaultOneIsUsed() {
        Upcaster upcaster = Upcaster.typed(PaidV1.class, TypedUpcasterTest::toV2);
        ObjectNode next = upcaster.upcast(JsonEventCodec.defaultMapper().createObjectNode().put("id", "a")
                .put("cents", 5));
        assertEquals("EUR", next.get("currency").asText());
        assertEquals(5, next.get("cents").asLong());
    }

    @Test
    void jsonThatDoesNotFitTheOldRecordFailsWithADecodingException() {
        JsonEventCodec codec = codec(JsonEventCodec.defaultMapper(), Map.of(
                1, Upcaster.typed(PaidV1.class, TypedUpcasterTest::toV2),
                2, Upcaster.typed(PaidV2.class, TypedUpcasterTest::toV3)));
        EventDecodingException error = assertThrows(EventDecodingException.class,
                () -> codec.decode("pay.Paid", 1, json("{\"id\":\"p\",\"cents\":\"not a number\"}")));
        assertTrue(error.getMessage().contains(PaidV1.class.getName()), error.getMessage());
    }

    @Test
    void aStepReturningNullOrANonObjectFails() {
        ObjectNode node = JsonEventCodec.defaultMapper().createObjectNode().put("id", "a").put("cents", 1);
        EventDecodingException nullResult = assertThrows(EventDecodingException.class,
                () -> Upcaster.typed(PaidV1.class, v1 -> null).upcast(node.deepCopy()));
        assertTrue(nullResult.getMessage().contains("returned null"), nullResult.getMessage());
        EventDecodingException scalar = assertThrows(EventDecodingException.class,
                () -> Upcaster.typed(PaidV1.class, v1 -> "text").upcast(node.deepCopy()));
        assertTrue(scalar.getMessage().contains("java.lang.String"), scalar.getMessage());
    }

    @Test
    void plainUpcastersStillWorkThroughTheTwoArgumentForm() {
        Upcaster plain = node -> node.put("seen", true);
        assertTrue(plain.upcast(new ObjectMapper().createObjectNode(), new ObjectMapper()).get("seen").asBoolean());
    }

    /** A hand-written codec of {@link PaidV1}, as the processor would generate one. */
    private static final ValueCodec<PaidV1> PAID_V1 = new ValueCodec<>() {
        @Override
        public void write(com.fasterxml.jackson.core.JsonGenerator out, PaidV1 value) throws java.io.IOException {
            out.writeStartObject();
            out.writeStringField("id", value.id());
            out.writeNumberField("cents", value.cents());
            out.writeEndObject();
        }

        @Override
        public PaidV1 read(com.fasterxml.jackson.core.JsonParser in) throws java.io.IOException {
            String id = null;
            long cents = 0;
            while (in.nextToken() == com.fasterxml.jackson.core.JsonToken.FIELD_NAME) {
                String name = in.currentName();
                in.nextToken();
                switch (name) {
                    case "id" -> id = in.getText();
                    case "cents" -> cents = in.getLongValue();
                    default -> Codecs.skipUnknown(in, "PaidV1", name, "id, cents");
                }
            }
            return new PaidV1(id, cents);
        }
    };

    /** A hand-written codec of {@link PaidV2}. */
    private static final ValueCodec<PaidV2> PAID_V2 = new ValueCodec<>() {
        @Override
        public void write(com.fasterxml.jackson.core.JsonGenerator out, PaidV2 value) throws java.io.IOException {
            out.writeStartObject();
            out.writeStringField("id", value.id());
            out.writeNumberField("cents", value.cents());
            out.writeStringField("currency", value.currency());
            out.writeEndObject();
        }

        @Override
        public PaidV2 read(com.fasterxml.jackson.core.JsonParser in) {
            throw new UnsupportedOperationException("only written");
        }
    };

    @Test
    void withCodecsTheStepRunsOnJsonObjectAndANullResultIsNamed() {
        Upcaster generated = Upcaster.typed(PaidV1.class, TypedUpcasterTest::toV2, PAID_V1, PAID_V2);
        StreamingUpcaster step = ((StreamingUpcasterStep) generated).step();
        JsonObject v1 = new JsonObject().put("id", "p-1").put("cents", 1250);
        assertEquals(new JsonObject().put("id", "p-1").put("cents", 1250).put("currency", "EUR"), step.upcast(v1));
        EventDecodingException empty = assertThrows(EventDecodingException.class, () -> ((StreamingUpcasterStep)
                Upcaster.typed(PaidV1.class, old -> (PaidV2) null, PAID_V1, PAID_V2)).step().upcast(v1));
        assertTrue(empty.getMessage().contains("returned null"), empty.getMessage());
        assertTrue(empty.getMessage().contains(PaidV1.class.getName()), empty.getMessage());
    }
}
