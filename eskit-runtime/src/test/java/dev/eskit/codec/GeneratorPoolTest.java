package dev.eskit.codec;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.cbor.CBORFactory;
import com.fasterxml.jackson.dataformat.cbor.CBORGenerator;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** {@link GeneratorPool}: open generators reused value after value, never between two threads at once. */
class GeneratorPoolTest {

    /** Writes a map as an object; fails half-way through when the map holds the key "fail". */
    private static final ValueCodec<Map<String, String>> MAPS = new ValueCodec<>() {
        @Override
        public void write(JsonGenerator out, Map<String, String> value) throws IOException {
            out.writeStartObject();
            for (Map.Entry<String, String> entry : value.entrySet()) {
                if (entry.getKey().equals("fail")) {
                    throw new IllegalStateException("failing half-way");
                }
                out.writeStringField(entry.getKey(), entry.getValue());
            }
            out.writeEndObject();
        }

        @Override
        public Map<String, String> read(JsonParser in) {
            throw new UnsupportedOperationException();
        }
    };

    private static byte[] fresh(JsonFactory factory, Map<String, String> value) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (JsonGenerator generator = factory.createGenerator(out)) {
            MAPS.write(generator, value);
        }
        return out.toByteArray();
    }

    @Test
    void valueAfterValueIsWhatAFreshGeneratorWrites() throws IOException {
        GeneratorPool pool = new GeneratorPool(new JsonFactory());
        for (int i = 0; i < 5; i++) {
            Map<String, String> value = Map.of("k", "v" + i);
            assertEquals("{\"k\":\"v" + i + "\"}", new String(pool.write(MAPS, value), StandardCharsets.UTF_8));
        }
    }

    @Test
    void aValueLargerThanTheGeneratorsBufferComesOutWhole() throws IOException {
        GeneratorPool pool = new GeneratorPool(new JsonFactory());
        Map<String, String> big = Map.of("text", "x".repeat(100_000));
        assertArrayEquals(fresh(new JsonFactory(), big), pool.write(MAPS, big));
        assertArrayEquals(fresh(new JsonFactory(), Map.of("a", "b")), pool.write(MAPS, Map.of("a", "b")));
    }

    @Test
    void aWriteThatFailsHalfWayLeavesNothingForTheNextValue() throws IOException {
        GeneratorPool pool = new GeneratorPool(new JsonFactory());
        Map<String, String> failing = new java.util.LinkedHashMap<>();
        failing.put("first", "written");
        failing.put("fail", "x");
        for (int i = 0; i < 3; i++) {
            assertThrows(IllegalStateException.class, () -> pool.write(MAPS, failing));
            assertEquals("{\"ok\":\"yes\"}", new String(pool.write(MAPS, Map.of("ok", "yes")),
                    StandardCharsets.UTF_8));
        }
    }

    @Test
    void cborValuesAreEachComplete() throws IOException {
        GeneratorPool pool = new GeneratorPool(new CBORFactory());
        ObjectMapper cbor = new ObjectMapper(new CBORFactory());
        for (int i = 0; i < 3; i++) {
            Map<String, String> value = Map.of("key", "same text", "n", "v" + i);
            assertEquals(value, cbor.readValue(pool.write(MAPS, value), Map.class));
        }
    }

    @Test
    void cborWithStringReferencesGetsAGeneratorPerValue() throws IOException {
        // With string references a reused generator would refer to strings of the previous value.
        CBORFactory factory = CBORFactory.builder().enable(CBORGenerator.Feature.STRINGREF).build();
        GeneratorPool pool = new GeneratorPool(factory);
        Map<String, String> value = Map.of("key", "a longer repeated text");
        byte[] first = pool.write(MAPS, value);
        assertArrayEquals(first, pool.write(MAPS, value));
        assertArrayEquals(fresh(factory, value), first);
    }

    @Test
    void manyThreadsEachGetTheirOwnValuesBack() throws Exception {
        GeneratorPool pool = new GeneratorPool(new JsonFactory());
        int threads = 8;
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService executor = Executors.newFixedThreadPool(threads);
        try {
            List<Future<Integer>> results = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int thread = t;
                results.add(executor.submit(() -> {
                    start.await();
                    int checked = 0;
                    for (int i = 0; i < 20_000; i++) {
                        String text = "t" + thread + "-" + i + "-" + "y".repeat(i % 50);
                        String json = new String(pool.write(MAPS, Map.of("v", text)), StandardCharsets.UTF_8);
                        if (!json.equals("{\"v\":\"" + text + "\"}")) {
                            throw new AssertionError("thread " + thread + " got " + json + " for " + text);
                        }
                        checked++;
                    }
                    return checked;
                }));
            }
            start.countDown();
            for (Future<Integer> result : results) {
                assertEquals(20_000, result.get(60, TimeUnit.SECONDS));
            }
        } finally {
            executor.shutdownNow();
            assertTrue(executor.awaitTermination(10, TimeUnit.SECONDS));
        }
    }
}
