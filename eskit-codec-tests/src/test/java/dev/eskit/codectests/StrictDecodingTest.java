package dev.eskit.codectests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.eskit.EventDecodingException;
import dev.eskit.codec.EventCodec;
import dev.eskit.codec.EventTypes;
import dev.eskit.codec.JsonEventCodec;
import dev.eskit.codec.StreamingEventCodec;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Generated decoders are strict, in both codecs: the error names the type and the property. */
class StrictDecodingTest {

    private static final EventTypes TYPES = EventTypes.of(new CodectestsEventTypes());

    static Stream<EventCodec> codecs() {
        return Stream.of(JsonEventCodec.create(TYPES), StreamingEventCodec.json(TYPES));
    }

    private static EventDecodingException fails(EventCodec codec, String type, String json) {
        return assertThrows(EventDecodingException.class,
                () -> codec.decode(type, 1, json.getBytes(StandardCharsets.UTF_8)));
    }

    @ParameterizedTest
    @MethodSource("codecs")
    void unknownPropertyFailsNamingTypeAndProperty(EventCodec codec) {
        String message = fails(codec, "codec.Added", "{\"id\":\"a\",\"by\":1,\"extra\":true}").getMessage();
        assertTrue(message.contains("Unknown property \"extra\" in dev.eskit.codectests.Counter.Added"), message);
    }

    @ParameterizedTest
    @MethodSource("codecs")
    void missingRequiredPropertyFailsNamingIt(EventCodec codec) {
        String message = fails(codec, "codec.Added", "{\"id\":\"a\"}").getMessage();
        assertTrue(message.contains("Missing property \"by\" of dev.eskit.codectests.Counter.Added"), message);
    }

    @ParameterizedTest
    @MethodSource("codecs")
    void trailingTokensFail(EventCodec codec) {
        String message = fails(codec, "codec.Added", "{\"id\":\"a\",\"by\":1} {}").getMessage();
        assertTrue(message.contains("trailing content"), message);
    }

    @ParameterizedTest
    @MethodSource("codecs")
    void wrongTypeFailsNamingTheNestedProperty(EventCodec codec) {
        String message = fails(codec, "codec.Tree",
                "{\"label\":\"root\",\"children\":[{\"label\":7,\"children\":[],\"parent\":null}],\"parent\":null}")
                .getMessage();
        assertTrue(message.contains("property \"children\" of dev.eskit.codectests.Tree"), message);
        assertTrue(message.contains("property \"label\" of dev.eskit.codectests.Tree: expected a string but found"
                + " VALUE_NUMBER_INT"), message);
    }

    @ParameterizedTest
    @MethodSource("codecs")
    void nullAndEmptyDataFail(EventCodec codec) {
        assertTrue(fails(codec, "codec.Added", "null").getMessage().contains("JSON null"));
    }

    @ParameterizedTest
    @MethodSource("codecs")
    void unknownDiscriminatorFailsListingTheKnownOnes(EventCodec codec) {
        String message = fails(codec, "codec.Everything", "{\"flag\":true,\"shape\":{\"@type\":\"Shape$Hexagon\"}}")
                .getMessage();
        assertTrue(message.contains("Unknown \"@type\" \"Shape$Hexagon\""), message);
        assertTrue(message.contains("Shape$Circle, Shape$Empty, Shape$Square"), message);
    }

    @ParameterizedTest
    @MethodSource("codecs")
    void optionalPropertiesMayBeAbsent(EventCodec codec) {
        Tree tree = (Tree) codec.decode("codec.Tree", 1,
                "{\"label\":\"x\",\"children\":[]}".getBytes(StandardCharsets.UTF_8));
        assertEquals(new Tree("x", List.of(), java.util.Optional.empty()), tree);
    }

    static Stream<EventCodec> relaxedCodecs() {
        return Stream.of(JsonEventCodec.create(TYPES).relaxing("codec.Added", "codec.Tree"),
                StreamingEventCodec.json(TYPES).relaxing("codec.Added", "codec.Tree"));
    }

    @ParameterizedTest
    @MethodSource("relaxedCodecs")
    void relaxedTypesSkipUnknownPropertiesAtEveryLevel(EventCodec codec) {
        assertEquals(new Counter.Added("a", 1), codec.decode("codec.Added", 1,
                "{\"id\":\"a\",\"extra\":{\"deep\":[1,2]},\"by\":1}".getBytes(StandardCharsets.UTF_8)));
        Tree tree = (Tree) codec.decode("codec.Tree", 1, ("{\"label\":\"root\",\"children\":[{\"label\":\"leaf\","
                + "\"children\":[],\"newer\":true}],\"parent\":null,\"added\":\"later\"}")
                .getBytes(StandardCharsets.UTF_8));
        assertEquals(new Tree("root", List.of(new Tree("leaf", List.of(), java.util.Optional.empty())),
                java.util.Optional.empty()), tree);
    }

    @ParameterizedTest
    @MethodSource("relaxedCodecs")
    void relaxedTypesLeaveMissingPropertiesNullOrZero(EventCodec codec) {
        assertEquals(new Counter.Added(null, 0), codec.decode("codec.Added", 1,
                "{}".getBytes(StandardCharsets.UTF_8)));
        assertEquals(new Counter.Added("a", 0), codec.decode("codec.Added", 1,
                "{\"id\":\"a\",\"by\":null}".getBytes(StandardCharsets.UTF_8)));
    }

    @ParameterizedTest
    @MethodSource("relaxedCodecs")
    void relaxedTypesStillRefuseWrongTypesAndTrailingContent(EventCodec codec) {
        assertTrue(fails(codec, "codec.Added", "{\"id\":\"a\",\"by\":1} {}").getMessage()
                .contains("trailing content"));
        assertTrue(fails(codec, "codec.Added", "{\"id\":7,\"by\":1}").getMessage()
                .contains("expected a string but found VALUE_NUMBER_INT"));
    }

    @ParameterizedTest
    @MethodSource("relaxedCodecs")
    void otherTypesStayStrictInARelaxedCodec(EventCodec codec) {
        String message = fails(codec, "codec.Everything", "{\"flag\":true,\"unknown\":1}").getMessage();
        assertTrue(message.contains("Unknown property \"unknown\""), message);
    }
}
