package dev.eskit.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.dataformat.cbor.CBORFactory;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Kept CBOR parsers read exactly what fresh ones read, and fail as they fail, value after value. */
class CborParserPoolTest {

    /** Reads any map, as a tree: every token the parser sees ends up in the result. */
    private static final ValueCodec<Object> TREE = new ValueCodec<>() {
        @Override
        public void write(JsonGenerator out, Object value) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Object read(JsonParser in) throws IOException {
            return JsonObject.read(in);
        }
    };

    private final CBORFactory factory = new CBORFactory();

    /** {@code json} as CBOR (maps of indefinite length, as the generated codecs write them). */
    private byte[] cbor(String json) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (JsonParser in = new JsonFactory().createParser(json); JsonGenerator generator = factory.createGenerator(out)) {
            in.nextToken();
            generator.copyCurrentStructure(in);
        }
        return out.toByteArray();
    }

    /** The value a fresh parser reads, or its error's message. */
    private Object fresh(byte[] data) {
        try {
            return GeneratedIo.read(factory.createParser(data), TREE, "t.Tree", 1);
        } catch (IOException | RuntimeException e) {
            return e.getClass().getName() + ": " + e.getMessage();
        }
    }

    private static Object pooled(ParserPool pool, byte[] data) {
        try {
            return pool.read(data, TREE, false, "t.Tree", 1);
        } catch (IOException | RuntimeException e) {
            return e.getClass().getName() + ": " + e.getMessage();
        }
    }

    private List<byte[]> documents() throws IOException {
        List<byte[]> all = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            all.add(cbor("{\"id\":\"a-" + i + "\",\"n\":" + (i * 7919L - 1_000_000) + ",\"f\":" + (i / 8.0)
                    + ",\"ok\":" + (i % 2 == 0) + ",\"none\":null,\"list\":[1,\"two\",{\"k" + i + "\":[]}],"
                    + "\"esc\":\"tab\\t é \\ud83d\\ude00\",\"nested\":{\"deep\":{\"v\":" + i + "}}}"));
            all.add(cbor("{}"));
            all.add(cbor("{\"" + "long-name-".repeat(1 + i % 20) + i + "\":\"" + "x".repeat(i * 13) + "\"}"));
        }
        // Strings longer than a kept parser's input buffer, read in chunks from the feed.
        all.add(cbor("{\"long\":\"" + "y".repeat(12_000) + "\",\"after\":[\"" + "z".repeat(3_000) + "\"]}"));
        // Definite-length maps too: {"a":1}, {} and {"k":{"x":[true]}}.
        all.add(HexFormat.of().parseHex("a1616101"));
        all.add(HexFormat.of().parseHex("a0"));
        all.add(HexFormat.of().parseHex("a1616ba1617881f5"));
        return all;
    }

    @Test
    void keptParsersReadWhatFreshOnesRead() throws Exception {
        ParserPool pool = new ParserPool(factory);
        List<byte[]> documents = documents();
        // More values than a parser is kept for, so that replacement is crossed too.
        for (int round = 0; round < 6; round++) {
            for (byte[] data : documents) {
                Object expected = fresh(data);
                assertFalse(expected instanceof String, () -> String.valueOf(expected));
                assertEquals(expected, pool.read(data, TREE, false, "t.Tree", 1));
            }
        }
    }

    @Test
    void badValuesFailAsFreshParsersFailAndTheNextValueStillReads() throws Exception {
        ParserPool pool = new ParserPool(factory);
        for (byte[] data : documents()) {
            pool.read(data, TREE, false, "t.Tree", 1);
        }
        byte[] good = cbor("{\"a\":\"b\",\"n\":[1,2]}");
        List<byte[]> bad = new ArrayList<>();
        bad.add(Arrays.copyOf(good, good.length - 1)); // truncated
        bad.add(Arrays.copyOf(good, good.length + 1)); // a trailing zero byte (the integer 0)
        byte[] twice = Arrays.copyOf(good, good.length * 2);
        System.arraycopy(good, 0, twice, good.length, good.length);
        bad.add(twice); // two values
        bad.add(HexFormat.of().parseHex("a2616101")); // a definite map missing its second entry
        bad.add(HexFormat.of().parseHex("bf616101")); // an indefinite map without its break
        bad.add(HexFormat.of().parseHex("a1010101")); // an integer key
        bad.add(HexFormat.of().parseHex("bf6161ff")); // a key without a value
        for (byte[] data : bad) {
            Object expected = fresh(data);
            assertTrue(expected instanceof String, () -> HexFormat.of().formatHex(data) + " read as " + expected);
            assertEquals(expected, pooled(pool, data), HexFormat.of().formatHex(data));
            assertEquals(fresh(good), pool.read(good, TREE, false, "t.Tree", 1));
        }
        // Values a kept parser does not take (not a map first) read as fresh ones read them.
        for (String hex : List.of("d9d9f7a1616101", "f6", "8101", "")) {
            byte[] data = HexFormat.of().parseHex(hex);
            assertEquals(fresh(data), pooled(pool, data), hex);
            assertEquals(fresh(good), pool.read(good, TREE, false, "t.Tree", 1));
        }
    }

    @Test
    void threadsSharingAPoolEachReadTheirOwnValues() throws Exception {
        ParserPool pool = new ParserPool(factory);
        int threads = 8;
        ExecutorService executor = Executors.newFixedThreadPool(threads);
        CountDownLatch start = new CountDownLatch(1);
        try {
            List<Future<Integer>> results = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int thread = t;
                results.add(executor.submit(() -> {
                    start.await();
                    int checked = 0;
                    for (int i = 0; i < 5_000; i++) {
                        String value = ("thread-" + thread + "-" + i + "-").repeat(1 + i % 40);
                        byte[] data = cbor("{\"v\":\"" + value + "\",\"n\":" + i + "}");
                        JsonObject read = (JsonObject) pool.read(data, TREE, false, "t.Tree", 1);
                        assertEquals(value, read.get("v"));
                        assertEquals(i, ((Number) read.get("n")).intValue());
                        checked++;
                    }
                    return checked;
                }));
            }
            start.countDown();
            for (Future<Integer> result : results) {
                assertEquals(5_000, result.get(60, TimeUnit.SECONDS));
            }
        } finally {
            executor.shutdownNow();
        }
    }

    @Test
    void consecutiveMapsAreReadByOneKeptParser() throws Exception {
        List<JsonParser> used = new ArrayList<>();
        ValueCodec<Object> recording = new ValueCodec<>() {
            @Override
            public void write(JsonGenerator out, Object value) {
                throw new UnsupportedOperationException();
            }

            @Override
            public Object read(JsonParser in) throws IOException {
                used.add(in);
                return JsonObject.read(in);
            }
        };
        ParserPool pool = new ParserPool(factory);
        for (int i = 0; i < 3; i++) {
            pool.read(cbor("{\"n\":" + i + "}"), recording, false, "t.Tree", 1);
        }
        assertEquals(3, used.size());
        assertTrue(used.get(0) == used.get(1) && used.get(1) == used.get(2), used.toString());
        // A subclass of the factory gets a fresh parser per value.
        used.clear();
        ParserPool subclassed = new ParserPool(new CBORFactory() {
            private static final long serialVersionUID = 1L;
        });
        for (int i = 0; i < 2; i++) {
            subclassed.read(cbor("{\"n\":" + i + "}"), recording, false, "t.Tree", 1);
        }
        assertTrue(used.get(0) != used.get(1), used.toString());
    }

    @Test
    void aFactorySubclassKeepsFreshParsers() {
        assertTrue(CborFormat.keepsParsers(factory));
        assertFalse(CborFormat.keepsParsers(new CBORFactory() {
            private static final long serialVersionUID = 1L;
        }));
    }
}
