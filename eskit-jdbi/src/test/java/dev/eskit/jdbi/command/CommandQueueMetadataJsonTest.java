package dev.eskit.jdbi.command;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.eskit.EventDecodingException;
import dev.eskit.Metadata;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The command queue's metadata column, written and read with jackson-core: the text databind's {@code ObjectNode}
 * wrote before this release (so old rows read back, and an older node reads new rows).
 */
class CommandQueueMetadataJsonTest {

    private static final ObjectMapper DATABIND = new ObjectMapper();

    /** What {@code JdbiCommandQueueStore} wrote with databind before. */
    private static String databindWrote(Metadata m) {
        ObjectNode node = DATABIND.createObjectNode();
        node.put("correlationId", m.correlationId());
        node.put("causationId", m.causationId());
        node.put("initiator", m.initiator());
        node.put("originator", m.originator());
        if (!m.extras().isEmpty()) {
            ObjectNode extras = node.putObject("extras");
            m.extras().forEach(extras::put);
        }
        return node.toString();
    }

    private static List<Metadata> samples() {
        Map<String, String> tricky = new LinkedHashMap<>();
        tricky.put("ip", "203.0.113.9");
        tricky.put("quote\"and\\slash", "line\nbreak\ttab \u0001 control");
        tricky.put("émoji", "\ud83d\ude00 naïve");
        tricky.put("empty", "");
        return List.of(Metadata.empty(),
                Metadata.correlatedBy("c-1"),
                new Metadata("c\"1", "cause\\2", "ann \ud83d\ude00", "svc\n", Map.of("tenant", "acme")),
                new Metadata(null, null, "user-17", null, tricky));
    }

    @Test
    void writesWhatDatabindWroteAndReadsBothBack() throws Exception {
        for (Metadata m : samples()) {
            String old = databindWrote(m);
            String written = QueueMetadataJson.write(m);
            assertEquals(old, written);
            assertEquals(m, QueueMetadataJson.read(written));
            assertEquals(m, QueueMetadataJson.read(old));
            assertEquals(List.copyOf(m.extras().keySet()),
                    List.copyOf(QueueMetadataJson.read(written).extras().keySet()));
            // An older node (databind) reads the new text as the same tree.
            assertEquals(DATABIND.readTree(old), DATABIND.readTree(written));
        }
    }

    @Test
    void readsWhatDatabindReadLeniently() {
        // Missing fields are null, scalars read as their text, fields of a newer release are skipped.
        assertEquals(new Metadata("12", null, "true", null, Map.of("n", "1.5")), QueueMetadataJson.read(
                "{\"correlationId\":12,\"initiator\":true,\"future\":{\"a\":[1,{\"b\":2}]},\"later\":[3],"
                        + "\"extras\":{\"n\":1.5}}"));
        assertEquals(Metadata.empty(), QueueMetadataJson.read(" { } "));
        assertEquals(Metadata.empty(), QueueMetadataJson.read("{\"extras\":null}"));
    }

    @Test
    void rowsThatAreNotMetadataFailNamingTheRow() {
        for (String bad : List.of("[]", "\"x\"", "null", "", "{\"correlationId\":{\"a\":\"b\"}}",
                "{\"initiator\":[\"a\"]}", "{\"extras\":[\"a\"]}", "{\"extras\":\"a\"}", "{\"extras\":{\"a\":null}}",
                "{\"extras\":{\"a\":{\"b\":\"c\"}}}", "{\"correlationId\":\"a\"", "{\"correlationId\":\"a\"} x",
                "{\"correlationId\":\"a\"}{}", "{\"extras\":{\"\":\"a\"}}")) {
            EventDecodingException e = assertThrows(EventDecodingException.class, () -> QueueMetadataJson.read(bad),
                    bad);
            assertTrue(e.getMessage().contains("Stored command metadata " + bad + " is not eskit's JSON"),
                    e.getMessage());
        }
    }
}
