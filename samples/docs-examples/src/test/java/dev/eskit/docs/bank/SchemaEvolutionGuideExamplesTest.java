package dev.eskit.docs.bank;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.eskit.codec.EventCodec;
import dev.eskit.codec.EventType;
import dev.eskit.codec.EventTypes;
import dev.eskit.codec.JsonEventCodec;
import dev.eskit.codec.Upcaster;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The examples of docs/schema-evolution.md. The page walks through build failures (steps 2 and 3, covered by the
 * processor's tests); its end state is compiled here: {@code Withdrawn} with its JSON-form upcaster from version 1
 * ({@code addNote}) and its typed-form upcaster from version 2 ({@code noteToReason}), both in
 * {@code WithdrawnUpcasts} in this module's main sources, and the committed schema lock.
 */
class SchemaEvolutionGuideExamplesTest {

    private final EventCodec codec = JsonEventCodec.create(EventTypes.discover());

    /** Step 4's upcaster, as on the page (registered by hand below, as the processor would). */
    static ObjectNode addReason(ObjectNode v1) {
        return v1.put("reason", "unknown");
    }

    @Test
    void stepFoursGeneratedEventTypeUpcastsAVersionOneRowToTheCurrentRecord() {
        EventTypes types = EventTypes.builder()
                .add(new EventType<>("bank.Withdrawn", Withdrawn.class, 2, List.of(), Map.<Integer, Upcaster>of(
                        1, SchemaEvolutionGuideExamplesTest::addReason)))
                .build();
        Object decoded = JsonEventCodec.create(types)
                .decode("bank.Withdrawn", 1, "{\"accountId\":\"a-1\",\"amountCents\":300}".getBytes(UTF_8));
        assertEquals(new Withdrawn("a-1", 300, "unknown"), decoded);
    }

    @Test
    void theGeneratedChainRunsTheJsonThenTheTypedUpcasterOnRead() {
        // version 1 -> addNote (note "") -> noteToReason ("unknown")
        assertEquals(new Withdrawn("a-1", 300, "unknown"),
                codec.decode("bank.Withdrawn", 1, "{\"accountId\":\"a-1\",\"amountCents\":300}".getBytes(UTF_8)));
        // version 2 -> noteToReason keeps the note as the reason
        assertEquals(new Withdrawn("a-1", 300, "rent"), codec.decode("bank.Withdrawn", 2,
                "{\"accountId\":\"a-1\",\"amountCents\":300,\"note\":\"rent\"}".getBytes(UTF_8)));
        // version 3 is the current record
        assertEquals(3, codec.encode(new Withdrawn("a-1", 1, "x")).schemaVersion());
    }

    @Test
    void eventsStoredUnderAFormerNameDecodeThroughTheAlias() {
        assertEquals(new Withdrawn("a-1", 300, "unknown"), codec.decode("bank.MoneyWithdrawn", 1,
                "{\"accountId\":\"a-1\",\"amountCents\":300}".getBytes(UTF_8)));
        assertEquals("bank.Withdrawn", codec.encode(new Withdrawn("a-1", 1, "x")).type());
    }

    @Test
    void theCommittedLockRecordsTheCurrentShapeOfEveryEvent() throws Exception {
        Path lock = Path.of("src/main/resources/META-INF/eskit/schema.lock");
        String text = Files.readString(lock);
        assertTrue(text.contains("""
                event bank.Withdrawn version 3 class dev.eskit.docs.bank.Withdrawn
                  accountId: java.lang.String
                  amountCents: long
                  reason: java.lang.String
                """), text);
    }
}
