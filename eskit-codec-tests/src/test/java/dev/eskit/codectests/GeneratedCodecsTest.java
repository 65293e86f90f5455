package dev.eskit.codectests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.dataformat.cbor.CBORFactory;
import dev.eskit.EventEncodingException;
import dev.eskit.codec.EncodedEvent;
import dev.eskit.codec.EventTypes;
import dev.eskit.codec.JsonEventCodec;
import dev.eskit.codec.StreamingEventCodec;
import dev.eskit.snapshot.StateCodec;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** What the processor generates is wired into the registry and the codecs. */
class GeneratedCodecsTest {

    private static final EventTypes TYPES = EventTypes.of(new CodectestsEventTypes());

    @Test
    void everyEventButTheOptedOutOneHasAGeneratedCodec() {
        assertNotNull(TYPES.byName("codec.Everything").codec());
        assertNotNull(TYPES.byName("codec.Added").codec());
        assertNull(TYPES.byName("codec.Legacy").codec(), "@DatabindCodec keeps databind");
    }

    @Test
    void jsonCodecUsesDatabindForTheOptedOutEventAndTheStreamingCodecRefusesIt() {
        Legacy legacy = new Legacy("l", Map.of("k", 1));
        EncodedEvent encoded = JsonEventCodec.create(TYPES).encode(legacy);
        assertEquals("{\"id\":\"l\",\"payload\":{\"k\":1}}", new String(encoded.data(), StandardCharsets.UTF_8));
        EventEncodingException error = assertThrows(EventEncodingException.class,
                () -> StreamingEventCodec.json(TYPES).encode(legacy));
        assertTrue(error.getMessage().contains("has no generated codec"), error.getMessage());
    }

    @Test
    void recursiveRecordsRoundTripThroughBothFormats() {
        Tree tree = new Tree("root", List.of(new Tree("leaf", List.of(), Optional.empty())),
                Optional.of(new Tree("up", List.of(), Optional.empty())));
        for (StreamingEventCodec codec : List.of(StreamingEventCodec.json(TYPES), StreamingEventCodec.cbor(TYPES),
                StreamingEventCodec.create(TYPES, new CBORFactory()))) {
            EncodedEvent encoded = codec.encode(tree);
            assertEquals(tree, codec.decode(encoded.type(), encoded.schemaVersion(), encoded.data()));
        }
    }

    @Test
    void jsonPropertyNamesAreKeptAndOlderVersionsAreUpcastBeforeTheGeneratedRead() {
        Renamed renamed = new Renamed("a-1", 5, "gift");
        StreamingEventCodec codec = StreamingEventCodec.json(TYPES);
        EncodedEvent encoded = codec.encode(renamed);
        assertEquals("{\"account_id\":\"a-1\",\"cents\":5,\"reason\":\"gift\"}",
                new String(encoded.data(), StandardCharsets.UTF_8));
        byte[] v1 = "{\"account_id\":\"a-1\",\"cents\":5}".getBytes(StandardCharsets.UTF_8);
        assertEquals(new Renamed("a-1", 5, "unknown"), codec.decode("codec.Renamed", 1, v1));
        assertEquals(new Renamed("a-1", 5, "unknown"), JsonEventCodec.create(TYPES).decode("codec.Renamed", 1, v1));
    }

    @Test
    void statesGetASnapshotCodecWhoseSchemaFollowsTheirShape() {
        StateCodec<Counter.State> codec = CodectestsCodecs.COUNTER_STATE_SNAPSHOTS;
        Counter.State state = new Counter.Counting(7, new java.util.TreeMap<>(Map.of("a", 3, "b", 4)), Color.BLUE);
        byte[] data = codec.encode(state);
        assertEquals("{\"@type\":\"Counter$Counting\",\"total\":7,\"byId\":{\"a\":3,\"b\":4},\"mood\":\"BLUE\"}",
                new String(data, StandardCharsets.UTF_8));
        assertEquals(state, codec.decode(data));
        assertEquals(new Counter.Idle(), codec.decode(codec.encode(new Counter.Idle())));
        assertTrue(codec.schema().matches("dev\\.eskit\\.codectests\\.Counter\\.State#[0-9a-f]{16}"), codec.schema());
        assertNotEquals(StateCodec.json(Counter.State.class).schema(), codec.schema());
    }

    @Test
    void personalDataIsEncryptedAroundTheGeneratedCodecAndErasedAfterForget() {
        dev.eskit.gdpr.PersonalDataProtector protector = dev.eskit.gdpr.PersonalDataProtector.create(
                dev.eskit.gdpr.SubjectKeys.create(new dev.eskit.gdpr.InMemorySubjectKeyStore(),
                        dev.eskit.gdpr.MasterKey.generate("m1")), new CodectestsPersonalData());
        JsonEventCodec codec = protector.codec(TYPES);
        Registered registered = new Registered("c-1", "ann@example.com", java.time.LocalDate.of(1990, 5, 17), 36);
        EncodedEvent encoded = codec.encode(registered);
        String stored = new String(encoded.data(), StandardCharsets.UTF_8);
        assertTrue(stored.contains("eskit:pd") && !stored.contains("ann@example.com") && !stored.contains("1990"),
                stored);
        assertEquals(registered, codec.decode(encoded.type(), encoded.schemaVersion(), encoded.data()));
        protector.forget("c-1");
        assertEquals(new Registered("c-1", "[erased]", null, 36),
                codec.decode(encoded.type(), encoded.schemaVersion(), encoded.data()));
    }

    @Test
    void gettersDatabindWroteAreSkippedOnRead() throws Exception {
        byte[] byDatabind = WireCompatibilityTest.JSON.writeValueAsBytes(new Priced(250, 4));
        assertEquals("{\"unitCents\":250,\"quantity\":4,\"total\":1000}",
                new String(byDatabind, StandardCharsets.UTF_8));
        assertEquals(new Priced(250, 4), StreamingEventCodec.json(TYPES).decode("codec.Priced", 1, byDatabind));
    }

    @Test
    void routedCommandsGetCodecs() throws Exception {
        Counter.Add add = new Counter.Add("c", 2);
        byte[] data = WireCompatibilityTest.write(WireCompatibilityTest.JSON.getFactory(), CodectestsCodecs.COUNTER_ADD,
                add);
        assertEquals("{\"id\":\"c\",\"by\":2}", new String(data, StandardCharsets.UTF_8));
        assertEquals(add, WireCompatibilityTest.read(WireCompatibilityTest.JSON.getFactory(),
                CodectestsCodecs.COUNTER_ADD, data));
        assertNotNull(CodectestsCodecs.COUNTER_RESET);
    }
}
