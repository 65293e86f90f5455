package dev.eskit.jdbi.command;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.eskit.EventDecodingException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The command log's metadata extras, written and read with jackson-core: the JSON databind wrote and reads. */
class CommandLogExtrasJsonTest {

    private static final ObjectMapper DATABIND = new ObjectMapper();

    private static List<Map<String, String>> samples() {
        Map<String, String> tricky = new LinkedHashMap<>();
        tricky.put("ip", "203.0.113.9");
        tricky.put("quote\"and\\slash", "line\nbreak\ttab \u0001 control");
        tricky.put("émoji", "\ud83d\ude00 naïve");
        tricky.put("", "");
        return List.of(Map.of("tenant", "acme"), tricky);
    }

    @Test
    void writesWhatDatabindWroteAndReadsItBack() throws Exception {
        for (Map<String, String> extras : samples()) {
            String json = JdbiCommandLog.json(extras);
            assertEquals(DATABIND.writeValueAsString(extras), json);
            assertEquals(extras, JdbiCommandLog.map(json));
            assertEquals(List.copyOf(extras.keySet()), List.copyOf(JdbiCommandLog.map(json).keySet()));
        }
    }

    @Test
    void scalarsAreReadAsTheirTextAsDatabindDid() {
        assertEquals(Map.of("n", "12", "b", "true", "f", "1.5"), JdbiCommandLog.map("{\"n\":12,\"b\":true,\"f\":1.5}"));
    }

    @Test
    void rowsThatAreNotAnObjectOfStringsFailNamingTheRow() {
        for (String bad : List.of("[]", "\"x\"", "{\"a\":{\"b\":\"c\"}}", "{\"a\":[\"b\"]}", "{\"a\":null}",
                "{\"a\":\"b\"", "{\"a\":\"b\"} x", "")) {
            EventDecodingException e = assertThrows(EventDecodingException.class, () -> JdbiCommandLog.map(bad), bad);
            assertTrue(e.getMessage().contains("not a JSON object of strings"), e.getMessage());
        }
    }
}
