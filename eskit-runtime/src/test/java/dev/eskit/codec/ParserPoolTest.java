package dev.eskit.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.StreamReadConstraints;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Kept parsers read exactly what fresh ones read, and fail with the same errors, value after value. */
class ParserPoolTest {

    /** Reads any object, as a tree: every token the parser sees ends up in the result. */
    private static final ValueCodec<Object> TREE = new ValueCodec<>() {
        @Override
        public void write(com.fasterxml.jackson.core.JsonGenerator out, Object value) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Object read(JsonParser in) throws IOException {
            return JsonObject.read(in);
        }
    };

    private final JsonFactory factory = Utf8JsonFactory.of(new JsonFactory());

    private static byte[] utf8(String json) {
        return json.getBytes(StandardCharsets.UTF_8);
    }

    private Object fresh(byte[] data) throws IOException {
        JsonParser in = factory.createParser(data);
        return GeneratedIo.read(in, TREE, "t.Tree", 1);
    }

    private static List<byte[]> documents() {
        List<byte[]> all = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            all.add(utf8("{\"id\":\"a-" + i + "\",\"n\":" + (i * 7919L - 1_000_000) + ",\"f\":" + (i / 8.0)
                    + ",\"ok\":" + (i % 2 == 0) + ",\"none\":null,\"list\":[1,\"two\",{\"k" + i + "\":[]}],"
                    + "\"esc\":\"tab\\t quote\\\" é \\u00e9 \\ud83d\\ude00\",\"nested\":{\"deep\":{\"v\":" + i + "}}}"
                    + (i % 3 == 0 ? " \n\t" : "")));
            all.add(utf8("{}"));
            all.add(utf8("{\"" + "long-name-".repeat(1 + i % 20) + i + "\":\"" + "x".repeat(i * 13) + "\"}"));
        }
        return all;
    }

    @Test
    void keptParsersReadWhatFreshOnesRead() throws Exception {
        ParserPool pool = new ParserPool(factory);
        // More values than a parser is kept for, so that replacement is crossed too.
        for (int round = 0; round < 6; round++) {
            for (byte[] data : documents()) {
                assertEquals(fresh(data), pool.read(data, TREE, false, "t.Tree", 1));
            }
        }
    }

    @Test
    void errorsAfterKeptUseNameTheirPositionInTheirOwnValue() throws Exception {
        ParserPool pool = new ParserPool(factory);
        for (byte[] data : documents()) {
            pool.read(data, TREE, false, "t.Tree", 1);
        }
        for (String bad : List.of("{\"a\":1} {\"b\":2}", "{\"a\":1}x", "{\"a\":tru}", "{\"a\":1", "{\"a\" 1}", "{]",
                "{\"a\":\"unterminated}")) {
            IOException expected = assertThrows(IOException.class, () -> fresh(utf8(bad)), bad);
            IOException actual = assertThrows(IOException.class, () -> pool.read(utf8(bad), TREE, false, "t.Tree", 1),
                    bad);
            assertEquals(expected.getMessage(), actual.getMessage(), bad);
            // And the next value reads normally.
            assertEquals(fresh(utf8("{\"after\":\"" + bad.length() + "\"}")),
                    pool.read(utf8("{\"after\":\"" + bad.length() + "\"}"), TREE, false, "t.Tree", 1));
        }
    }

    @Test
    void aCodecFailureIsTheFreshParsersFailure() throws Exception {
        ValueCodec<Object> strict = new ValueCodec<>() {
            @Override
            public void write(com.fasterxml.jackson.core.JsonGenerator out, Object value) {
                throw new UnsupportedOperationException();
            }

            @Override
            public Object read(JsonParser in) throws IOException {
                JsonObject tree = JsonObject.read(in);
                if (tree.get("bad") != null) {
                    throw Codecs.unknownProperty(in, "t.Strict", "bad", "good");
                }
                return tree;
            }
        };
        ParserPool pool = new ParserPool(factory);
        byte[] good = utf8("{\"good\":1}");
        byte[] bad = utf8("{\"good\":1,\"bad\":2}");
        pool.read(good, strict, false, "t.Strict", 1);
        IOException expected = assertThrows(IOException.class,
                () -> GeneratedIo.read(factory.createParser(bad), strict, "t.Strict", 1));
        IOException actual = assertThrows(IOException.class, () -> pool.read(bad, strict, false, "t.Strict", 1));
        assertEquals(expected.getMessage(), actual.getMessage());
        assertNotNull(pool.read(good, strict, false, "t.Strict", 1));
    }

    @Test
    void limitsCountedOverAWholeDocumentKeepFreshParsers() throws Exception {
        JsonFactory limited = Utf8JsonFactory.of(JsonFactory.builder().streamReadConstraints(StreamReadConstraints
                .builder().maxDocumentLength(64).build()).build());
        ParserPool pool = new ParserPool(limited);
        byte[] data = utf8("{\"id\":\"" + "x".repeat(40) + "\"}");
        for (int i = 0; i < 10; i++) {
            // Kept parsers would count 10 x 49 bytes against the 64-byte limit.
            assertEquals(fresh(data), pool.read(data, TREE, false, "t.Tree", 1));
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
                        byte[] data = utf8("{\"v\":\"" + value + "\",\"n\":" + i + "}");
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
    void metadataIsReadValueAfterValueAndABadOneFailsAlone() {
        MetadataJson json = new MetadataJson(new JsonFactory());
        for (int i = 0; i < 5_000; i++) {
            dev.eskit.Metadata metadata = dev.eskit.Metadata.empty().withCorrelationId("c-" + i).withInitiator("u-" + i)
                    .with("k" + (i % 50), "v" + i);
            assertEquals(metadata, json.decode(json.encode(metadata)));
        }
        for (String bad : List.of("{\"initiator\":1}", "{\"extras\":{\"a\":[]}}", "{\"initiator\":\"u\"} x",
                "{\"initiator\":\"u\"", "null")) {
            dev.eskit.EventDecodingException e = assertThrows(dev.eskit.EventDecodingException.class,
                    () -> json.decode(utf8(bad)), bad);
            org.junit.jupiter.api.Assertions.assertTrue(e.getMessage().startsWith("Stored metadata is not valid JSON"),
                    e.getMessage());
            assertEquals("u", json.decode(utf8("{\"initiator\":\"u\"}")).initiator());
        }
    }
}
