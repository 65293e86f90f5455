package dev.eskit.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.eskit.EventDecodingException;
import dev.eskit.EventEncodingException;
import dev.eskit.Metadata;
import dev.eskit.UnknownEventTypeException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class JsonEventCodecTest {

    sealed interface ShopEvent permits ItemAdded, ItemRemoved, Cart, Renamed, Empty {
    }

    record ItemAdded(String sku, int quantity) implements ShopEvent {
    }

    record ItemRemoved(String sku, int quantity) implements ShopEvent {
    }

    record Line(String sku, long priceCents) {
    }

    record Cart(String id, List<Line> lines, Map<String, String> notes, boolean open, double discount)
            implements ShopEvent {
    }

    /** Version 3: v1 had {@code name}; v2 added {@code reason}; v3 renamed {@code name} to {@code title}. */
    record Renamed(String id, String title, String reason) implements ShopEvent {
    }

    record Empty() implements ShopEvent {
    }

    record Unregistered(String value) {
    }

    record Exploding(String value) {
        @Override
        public String value() {
            throw new IllegalStateException("boom");
        }
    }

    private final AtomicInteger upcasts = new AtomicInteger();

    private final Upcaster addReason = node -> {
        upcasts.incrementAndGet();
        return node.put("reason", "unknown");
    };

    private final Upcaster renameToTitle = node -> {
        upcasts.incrementAndGet();
        // Only correct after addReason ran: it checks that upcasters run in order.
        if (!node.has("reason")) {
            throw new IllegalStateException("upcaster 2 ran before upcaster 1");
        }
        ObjectNode next = node.deepCopy();
        next.set("title", next.remove("name"));
        return next;
    };

    private final EventTypes types = EventTypes.builder()
            .add("shop.ItemAdded", ItemAdded.class)
            .add(new EventType<>("shop.ItemRemoved", ItemRemoved.class, 1, List.of("shop.ItemDeleted"), Map.of()))
            .add("shop.Cart", Cart.class)
            .add(new EventType<>("shop.Renamed", Renamed.class, 3, List.of(), Map.of(1, addReason, 2, renameToTitle)))
            .add("shop.Empty", Empty.class)
            .add("shop.Exploding", Exploding.class)
            .build();

    private final JsonEventCodec codec = JsonEventCodec.create(types);

    private static byte[] json(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private Object roundTrip(Object event) {
        EncodedEvent encoded = codec.encode(event);
        return codec.decode(encoded.type(), encoded.schemaVersion(), encoded.data());
    }

    @Test
    void recordRoundTripsThroughJson() {
        assertEquals(new ItemAdded("sku-1", 3), roundTrip(new ItemAdded("sku-1", 3)));
    }

    @Test
    void nestedRecordsListsMapsAndUnicodeRoundTrip() {
        Map<String, String> notes = new LinkedHashMap<>();
        notes.put("gift", "yes 🎁");
        notes.put("größe", "日本");
        Cart cart = new Cart("c-1", List.of(new Line("a", 100), new Line("b", Long.MAX_VALUE)), notes, true, 0.15);
        assertEquals(cart, roundTrip(cart));
    }

    @Test
    void recordWithoutFieldsRoundTrips() {
        EncodedEvent encoded = codec.encode(new Empty());
        assertEquals("{}", new String(encoded.data(), StandardCharsets.UTF_8));
        assertEquals(new Empty(), codec.decode("shop.Empty", 1, encoded.data()));
    }

    @Test
    void encodeUsesTheWireNameAndCurrentVersionAndNoTypeInformation() {
        EncodedEvent encoded = codec.encode(new Renamed("r", "new title", "typo"));
        assertEquals("shop.Renamed", encoded.type());
        assertEquals(3, encoded.schemaVersion());
        String text = new String(encoded.data(), StandardCharsets.UTF_8);
        assertEquals("{\"id\":\"r\",\"title\":\"new title\",\"reason\":\"typo\"}", text);
    }

    @Test
    void theWireNameSelectsTheClassForIdenticalJson() {
        byte[] data = json("{\"sku\":\"x\",\"quantity\":2}");
        assertEquals(new ItemAdded("x", 2), codec.decode("shop.ItemAdded", 1, data));
        assertEquals(new ItemRemoved("x", 2), codec.decode("shop.ItemRemoved", 1, data));
    }

    @Test
    void anAliasDecodesAsItsType() {
        Object decoded = codec.decode("shop.ItemDeleted", 1, json("{\"sku\":\"x\",\"quantity\":1}"));
        assertInstanceOf(ItemRemoved.class, decoded);
    }

    @Test
    void unknownJsonPropertiesFailUnlessTheTypeIsRelaxed() {
        byte[] data = json("{\"sku\":\"x\",\"quantity\":1,\"added\":true}");
        EventDecodingException error = assertThrows(EventDecodingException.class,
                () -> codec.decode("shop.ItemAdded", 1, data));
        assertTrue(error.getMessage().contains("\"added\""), error.getMessage());
        assertEquals(new ItemAdded("x", 1), codec.relaxing("shop.ItemAdded").decode("shop.ItemAdded", 1, data));
    }

    @Test
    void versionOneIsUpcastThroughEveryStepToVersionThree() {
        Object decoded = codec.decode("shop.Renamed", 1, json("{\"id\":\"r\",\"name\":\"old\"}"));
        assertEquals(new Renamed("r", "old", "unknown"), decoded);
        assertEquals(2, upcasts.get());
    }

    @Test
    void versionTwoRunsOnlyTheLastUpcaster() {
        Object decoded = codec.decode("shop.Renamed", 2, json("{\"id\":\"r\",\"name\":\"old\",\"reason\":\"typo\"}"));
        assertEquals(new Renamed("r", "old", "typo"), decoded);
        assertEquals(1, upcasts.get());
    }

    @Test
    void theCurrentVersionIsReadWithoutUpcasting() {
        Object decoded = codec.decode("shop.Renamed", 3, json("{\"id\":\"r\",\"title\":\"t\",\"reason\":\"x\"}"));
        assertEquals(new Renamed("r", "t", "x"), decoded);
        assertEquals(0, upcasts.get());
    }

    @Test
    void aMissingUpcasterFailsNamingTheStep() {
        EventTypes gap = EventTypes.builder()
                .add(new EventType<>("shop.Renamed", Renamed.class, 3, List.of(), Map.of(1, addReason)))
                .build();
        EventDecodingException error = assertThrows(EventDecodingException.class,
                () -> JsonEventCodec.create(gap).decode("shop.Renamed", 1, json("{\"id\":\"r\",\"name\":\"n\"}")));
        assertTrue(error.getMessage().contains("no upcaster turns version 2 into 3"), error.getMessage());
        assertTrue(error.getMessage().contains("@Upcast(event = Renamed.class, from = 2)"), error.getMessage());
    }

    @Test
    void aVersionNewerThanTheCodeKnowsFails() {
        EventDecodingException error = assertThrows(EventDecodingException.class,
                () -> codec.decode("shop.Renamed", 4, json("{}")));
        assertTrue(error.getMessage().contains("schema version 4"), error.getMessage());
        assertTrue(error.getMessage().contains("versions 1 to 3"), error.getMessage());
    }

    @Test
    void schemaVersionZeroFails() {
        assertThrows(EventDecodingException.class, () -> codec.decode("shop.Renamed", 0, json("{}")));
    }

    @Test
    void malformedJsonFailsWithADecodingException() {
        EventDecodingException error = assertThrows(EventDecodingException.class,
                () -> codec.decode("shop.ItemAdded", 1, json("{\"sku\": \"x\", ")));
        assertTrue(error.getMessage().contains("shop.ItemAdded"), error.getMessage());
    }

    @Test
    void malformedJsonOnTheUpcastPathFailsWithADecodingException() {
        assertThrows(EventDecodingException.class, () -> codec.decode("shop.Renamed", 1, json("{not json")));
    }

    @Test
    void nonObjectJsonCannotBeUpcast() {
        EventDecodingException error = assertThrows(EventDecodingException.class,
                () -> codec.decode("shop.Renamed", 1, json("[1, 2]")));
        assertTrue(error.getMessage().contains("not a JSON object"), error.getMessage());
    }

    @Test
    void jsonNullIsNotAnEvent() {
        assertThrows(EventDecodingException.class, () -> codec.decode("shop.ItemAdded", 1, json("null")));
    }

    @Test
    void wrongFieldTypesFailWithADecodingException() {
        assertThrows(EventDecodingException.class,
                () -> codec.decode("shop.ItemAdded", 1, json("{\"sku\":\"x\",\"quantity\":\"many\"}")));
    }

    @Test
    void anUnknownWireNameFailsWithASuggestion() {
        UnknownEventTypeException error = assertThrows(UnknownEventTypeException.class,
                () -> codec.decode("shop.ItemAded", 1, json("{}")));
        assertTrue(error.getMessage().contains("Did you mean \"shop.ItemAdded\"?"), error.getMessage());
    }

    @Test
    void encodingAnUnregisteredClassFails() {
        UnknownEventTypeException error = assertThrows(UnknownEventTypeException.class,
                () -> codec.encode(new Unregistered("x")));
        assertTrue(error.getMessage().contains(Unregistered.class.getName()), error.getMessage());
    }

    @Test
    void anEventThatCannotBeSerializedFailsWithAnEncodingException() {
        EventEncodingException error = assertThrows(EventEncodingException.class,
                () -> codec.encode(new Exploding("x")));
        assertTrue(error.getMessage().contains("shop.Exploding"), error.getMessage());
    }

    @Test
    void metadataRoundTripsWithEveryFieldAndUnicodeExtras() {
        Map<String, String> extras = new LinkedHashMap<>();
        extras.put("tenant", "acme");
        extras.put("clé 🔑", "välue \"quoted\" \\ \n");
        extras.put("empty", "");
        Metadata metadata = new Metadata("corr-🔗", "cause", "user-ü", "node/1", extras);
        Metadata decoded = codec.decodeMetadata(codec.encodeMetadata(metadata));
        assertEquals(metadata, decoded);
        assertEquals(new ArrayList<>(extras.keySet()), new ArrayList<>(decoded.extras().keySet()));
    }

    @Test
    void emptyMetadataIsAnEmptyObjectAndRoundTrips() {
        byte[] encoded = codec.encodeMetadata(Metadata.empty());
        assertEquals("{}", new String(encoded, StandardCharsets.UTF_8));
        assertTrue(codec.decodeMetadata(encoded).isEmpty());
    }

    @Test
    void missingMetadataDecodesAsEmpty() {
        assertSame(Metadata.empty(), codec.decodeMetadata(null));
        assertSame(Metadata.empty(), codec.decodeMetadata(new byte[0]));
    }

    @Test
    void metadataWithSomeFieldsKeepsTheOthersNull() {
        Metadata metadata = new Metadata(null, "cause", null, null, Map.of());
        Metadata decoded = codec.decodeMetadata(codec.encodeMetadata(metadata));
        assertEquals(metadata, decoded);
        assertFalse(new String(codec.encodeMetadata(metadata), StandardCharsets.UTF_8).contains("correlationId"));
    }

    @Test
    void unknownMetadataFieldsAreIgnored() {
        Metadata decoded = codec.decodeMetadata(json(
                "{\"correlationId\":\"c\",\"future\":{\"nested\":[1,2]},\"extras\":{\"k\":\"v\"},\"more\":1}"));
        assertEquals(new Metadata("c", null, null, null, Map.of("k", "v")), decoded);
    }

    @Test
    void metadataFieldsInAnyOrderDecodeAsInWrittenOrder() {
        Metadata expected = new Metadata("c", "k", "i", "o", Map.of("x", "y"));
        assertEquals(expected, codec.decodeMetadata(json(
                "{\"extras\":{\"x\":\"y\"},\"originator\":\"o\",\"initiator\":\"i\",\"causationId\":\"k\","
                        + "\"correlationId\":\"c\"}")));
        assertEquals(expected, codec.decodeMetadata(json(
                "{ \"correlationId\" : \"c\", \"initiator\":\"i\",\"causationId\":\"k\",\"x\":[],"
                        + "\"originator\":\"o\",\"extras\":{\"x\":\"y\"}}")));
        assertEquals(Metadata.empty(), codec.decodeMetadata(json(" {}")));
        assertThrows(EventDecodingException.class, () -> codec.decodeMetadata(json("{]")));
    }

    @Test
    void malformedMetadataFailsWithADecodingException() {
        assertThrows(EventDecodingException.class, () -> codec.decodeMetadata(json("{\"correlationId\":")));
        assertThrows(EventDecodingException.class, () -> codec.decodeMetadata(json("[]")));
        assertThrows(EventDecodingException.class, () -> codec.decodeMetadata(json("{\"extras\":[\"x\"]}")));
    }

    @Test
    void metadataValuesThatAreNotStringsFailWithADecodingException() {
        assertThrows(EventDecodingException.class,
                () -> codec.decodeMetadata(json("{\"extras\":{\"k\":{\"nested\":\"v\"}}}")));
        assertThrows(EventDecodingException.class,
                () -> codec.decodeMetadata(json("{\"extras\":{\"k\":null}}")));
        assertThrows(EventDecodingException.class,
                () -> codec.decodeMetadata(json("{\"correlationId\":{\"id\":\"c\"}}")));
    }

    @Test
    void theCodecIsSafeToShareBetweenThreads() throws Exception {
        List<Thread> threads = new ArrayList<>();
        List<Throwable> failures = java.util.Collections.synchronizedList(new ArrayList<>());
        for (int t = 0; t < 4; t++) {
            int id = t;
            threads.add(new Thread(() -> {
                try {
                    for (int i = 0; i < 2_000; i++) {
                        ItemAdded event = new ItemAdded("t" + id, i);
                        assertEquals(event, roundTrip(event));
                    }
                } catch (Throwable e) {
                    failures.add(e);
                }
            }));
        }
        threads.forEach(Thread::start);
        for (Thread thread : threads) {
            thread.join(60_000);
            assertFalse(thread.isAlive(), "codec thread did not finish");
        }
        assertEquals(List.of(), failures);
    }
}
