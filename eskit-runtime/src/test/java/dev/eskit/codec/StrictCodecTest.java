package dev.eskit.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.eskit.EventDecodingException;
import dev.eskit.EventEncodingException;
import dev.eskit.EventStore;
import dev.eskit.ExpectedVersion;
import dev.eskit.InvalidInputException;
import dev.eskit.StreamRef;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Nothing is written that cannot be read back, and what is read must have the event's shape. */
class StrictCodecTest {

    record ItemAdded(String sku, String name, int quantity) {
    }

    record Big(BigInteger value) {
    }

    record Text(String value) {
    }

    record Nested(List<Object> items) {
    }

    final JsonEventCodec codec = JsonEventCodec.create(EventTypes.builder()
            .add("shop.ItemAdded", ItemAdded.class)
            .add("test.Big", Big.class)
            .add("test.Text", Text.class)
            .add("test.Nested", Nested.class)
            .build());

    static byte[] json(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void anObjectOfTheWrongShapeFailsInsteadOfDecodingAsNulls() {
        assertThrows(EventDecodingException.class, () -> codec.decode("shop.ItemAdded", 1, json("{\"unrelated\":1}")));
        // A missing component fails too, even without unknown properties.
        EventDecodingException missing = assertThrows(EventDecodingException.class,
                () -> codec.decode("shop.ItemAdded", 1, json("{\"sku\":\"s\",\"name\":\"n\"}")));
        assertTrue(missing.getMessage().contains("quantity"), missing.getMessage());
    }

    @Test
    void trailingContentAfterTheObjectFails() {
        assertThrows(EventDecodingException.class, () -> codec.decode("shop.ItemAdded", 1,
                json("{\"sku\":\"s\",\"name\":\"n\",\"quantity\":1} junk")));
    }

    @Test
    void aRelaxedTypeToleratesUnknownAndMissingFieldsButNotTrailingContent() {
        JsonEventCodec relaxed = codec.relaxing("shop.ItemAdded");
        assertEquals(new ItemAdded(null, null, 0), relaxed.decode("shop.ItemAdded", 1, json("{\"unrelated\":1}")));
        assertThrows(EventDecodingException.class, () -> relaxed.decode("shop.ItemAdded", 1,
                json("{\"sku\":\"s\",\"name\":\"n\",\"quantity\":1} junk")));
        // Other types stay strict.
        assertThrows(EventDecodingException.class, () -> relaxed.decode("test.Text", 1, json("{\"x\":1}")));
    }

    @Test
    void numbersStringsAndNestingTheReaderWouldRejectAreNotWritten() {
        EventStore store = EventStore.inMemory(codec.types());
        EventEncodingException number = assertThrows(EventEncodingException.class,
                () -> codec.encode(new Big(BigInteger.TEN.pow(1000))));
        assertTrue(number.getMessage().contains("1001"), number.getMessage());
        // The largest number the reader accepts round-trips.
        Big largest = new Big(BigInteger.TEN.pow(999));
        assertEquals(largest, codec.decode("test.Big", 1, codec.encode(largest).data()));
        assertEquals(new Big(BigInteger.TEN.pow(999).negate()),
                codec.decode("test.Big", 1, codec.encode(new Big(BigInteger.TEN.pow(999).negate())).data()));

        int maxString = codec.mapper().getFactory().streamReadConstraints().getMaxStringLength();
        EventEncodingException string = assertThrows(EventEncodingException.class,
                () -> codec.encode(new Text("x".repeat(maxString + 1))));
        assertTrue(string.getMessage().contains("string"), string.getMessage());

        int maxDepth = codec.mapper().getFactory().streamReadConstraints().getMaxNestingDepth();
        Object deep = List.of();
        for (int i = 0; i < maxDepth; i++) {
            deep = List.of(deep);
        }
        Object tooDeep = deep;
        assertThrows(EventEncodingException.class, () -> codec.encode(new Nested(List.of(tooDeep))));
        assertEquals(0, store.readAll(dev.eskit.Position.START, 10).size());
    }

    @Test
    void wireNamesAreCheckedWhenTheRegistryIsBuilt() {
        assertThrows(InvalidInputException.class, () -> EventType.of("bad\0name", Text.class));
        assertThrows(InvalidInputException.class, () -> EventType.of("x".repeat(10_000), Text.class));
        assertThrows(InvalidInputException.class, () -> EventType.of("with space", Text.class));
        assertThrows(InvalidInputException.class,
                () -> new EventType<>("ok.Name", Text.class, 1, List.of("bad\uD800"), Map.of()));
        assertEquals("bank.Deposited-v2:x/y$z_1", EventType.of("bank.Deposited-v2:x/y$z_1", Text.class).name());
    }

    @Test
    void wireNamesAreCheckedOnEveryEncodedEvent() {
        assertThrows(InvalidInputException.class, () -> new EncodedEvent("bad\0", 1, new byte[0]));
    }

    @Test
    void anAppendOfAnUnreadableEventWritesNothing() {
        EventStore store = EventStore.inMemory(codec.types());
        StreamRef stream = StreamRef.of("t", "1");
        // The in-memory store keeps objects; the codec check is what a database store runs on append.
        assertThrows(EventEncodingException.class, () -> codec.encode(new Big(BigInteger.TEN.pow(1000))));
        store.append(stream, ExpectedVersion.noStream(), List.of(new Text("fine")));
        assertEquals(1, store.load(stream).size());
    }
}
