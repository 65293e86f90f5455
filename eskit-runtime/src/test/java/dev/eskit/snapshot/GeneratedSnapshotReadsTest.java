package dev.eskit.snapshot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.dataformat.cbor.CBORFactory;
import dev.eskit.EventDecodingException;
import dev.eskit.codec.Codecs;
import dev.eskit.codec.ValueCodec;
import dev.eskit.codec.ValueReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Generated snapshot codecs read states through a {@link ValueReader} (kept parsers): value after value the states
 * they wrote, in JSON and CBOR, and bad snapshots fail naming the schema, with the next one still read.
 */
class GeneratedSnapshotReadsTest {

    private static final ValueCodec<Map<String, Long>> STATE = Codecs.map(Codecs.LONG);

    private static List<Map<String, Long>> states() {
        List<Map<String, Long>> all = new ArrayList<>();
        for (int i = 0; i < 5_000; i++) {
            Map<String, Long> state = new LinkedHashMap<>();
            for (int k = 0; k < i % 7; k++) {
                state.put("account-" + k + "-" + "x".repeat(i % 50), (long) i * k - 3);
            }
            all.add(state);
        }
        return all;
    }

    @Test
    void jsonAndCborStatesReadBackValueAfterValue() {
        for (StateCodec<Map<String, Long>> codec : List.of(StateCodec.of(STATE, "t.State#1"),
                StateCodec.of(STATE, "t.State#1", new CBORFactory()))) {
            for (Map<String, Long> state : states()) {
                assertEquals(state, codec.decode(codec.encode(state)));
            }
        }
    }

    @Test
    void badSnapshotsFailNamingTheSchemaAndTheNextOneReads() {
        StateCodec<Map<String, Long>> codec = StateCodec.of(STATE, "t.State#1");
        byte[] good = codec.encode(Map.of("a", 1L));
        codec.decode(good);
        for (String bad : List.of("", "null", "{\"a\":1} {}", "{\"a\":1}x", "{\"a\":\"one\"}", "{\"a\":1", "[1]")) {
            EventDecodingException e = assertThrows(EventDecodingException.class,
                    () -> codec.decode(bad.getBytes(StandardCharsets.UTF_8)), bad);
            assertTrue(e.getMessage().startsWith("Snapshot data of schema t.State#1 cannot be read: "), e.getMessage());
            assertEquals(Map.of("a", 1L), codec.decode(good));
        }
    }

    @Test
    void aValueReaderReadsWhatAFreshParserReadsAndFailsAsItFails() throws IOException {
        ValueReader<Map<String, Long>> reader = ValueReader.of(STATE, new JsonFactory());
        assertEquals(Map.of("a", 1L, "b", -2L), reader.read("{\"a\":1,\"b\":-2}".getBytes(StandardCharsets.UTF_8)));
        assertEquals(Map.of(), reader.read(" {} \n".getBytes(StandardCharsets.UTF_8)));
        IOException empty = assertThrows(IOException.class, () -> reader.read(new byte[0]));
        assertEquals("the data is empty, not a value", empty.getMessage());
        IOException nothing = assertThrows(IOException.class, () -> reader.read("null".getBytes(StandardCharsets.UTF_8)));
        assertEquals("the data is a top-level null, not a value", nothing.getMessage());
        IOException trailing = assertThrows(IOException.class,
                () -> reader.read("{\"a\":1} {\"a\":2}".getBytes(StandardCharsets.UTF_8)));
        assertEquals("there is content after the value", trailing.getMessage());
        // A malformed value after kept reads: the fresh parser's error, with its position in this value.
        for (int i = 0; i < 10; i++) {
            assertEquals(Map.of("n", (long) i), reader.read(("{\"n\":" + i + "}").getBytes(StandardCharsets.UTF_8)));
        }
        IOException malformed = assertThrows(IOException.class,
                () -> reader.read("{\"a\":tru}".getBytes(StandardCharsets.UTF_8)));
        assertTrue(malformed.getMessage().contains("line: 1, column: 6]"), malformed.getMessage());
    }
}
