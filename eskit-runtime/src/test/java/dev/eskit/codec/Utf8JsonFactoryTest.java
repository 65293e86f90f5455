package dev.eskit.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The direct UTF-8 parser keeps the copied factory's limits and still reads what Jackson's detection reads. */
class Utf8JsonFactoryTest {

    private final JsonFactory limited = JsonFactory.builder().streamReadConstraints(StreamReadConstraints.builder()
            .maxStringLength(10).maxNestingDepth(3).build()).build();
    private final JsonFactory factory = Utf8JsonFactory.of(limited);

    private String lastText(byte[] data) throws Exception {
        String text = null;
        try (JsonParser in = factory.createParser(data)) {
            for (JsonToken token = in.nextToken(); token != null; token = in.nextToken()) {
                if (token == JsonToken.VALUE_STRING) {
                    text = in.getText();
                }
            }
        }
        return text;
    }

    @Test
    void readLimitsOfTheCopiedFactoryHold() {
        assertEquals(Utf8JsonFactory.class, factory.getClass());
        assertThrows(StreamConstraintsException.class,
                () -> lastText("{\"a\":\"01234567890123456789\"}".getBytes(StandardCharsets.UTF_8)));
        assertThrows(StreamConstraintsException.class,
                () -> lastText("[[[[[1]]]]]".getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void otherEncodingsAndByteOrderMarksGoThroughJacksonsDetection() throws Exception {
        assertEquals("é", lastText("{\"x\":\"é\"}".getBytes(StandardCharsets.UTF_8)));
        assertEquals("é", lastText("{\"x\":\"é\"}".getBytes(StandardCharsets.UTF_16)));
        assertEquals("b", lastText(new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF, '[', '"', 'b', '"', ']'}));
        assertEquals(null, lastText("1".getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void otherFormatsAreLeftAlone() {
        JsonFactory cbor = CborFormat.factory();
        assertSame(cbor, Utf8JsonFactory.of(cbor));
        assertSame(factory, Utf8JsonFactory.of(factory));
    }

    @Test
    void threadsSharingTheFactorysRecyclersEachReadTheirOwnDocuments() throws Exception {
        JsonFactory shared = Utf8JsonFactory.of(new JsonFactory());
        int threads = 8;
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(threads);
        java.util.concurrent.CountDownLatch start = new java.util.concurrent.CountDownLatch(1);
        try {
            java.util.List<java.util.concurrent.Future<Integer>> results = new java.util.ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int thread = t;
                results.add(pool.submit(() -> {
                    start.await();
                    int checked = 0;
                    for (int i = 0; i < 5_000; i++) {
                        // Long enough strings to take buffers from the recycler and give them back.
                        String value = ("thread-" + thread + "-" + i + "-").repeat(1 + i % 40);
                        byte[] json = ("{\"v\":\"" + value + "\",\"n\":" + i + "}").getBytes(StandardCharsets.UTF_8);
                        try (JsonParser in = shared.createParser(json)) {
                            in.nextToken();
                            in.nextToken();
                            in.nextToken();
                            assertEquals(value, in.getText());
                            in.nextToken();
                            in.nextToken();
                            assertEquals(i, in.getIntValue());
                            assertEquals(JsonToken.END_OBJECT, in.nextToken());
                            assertEquals(null, in.nextToken());
                        }
                        checked++;
                    }
                    return checked;
                }));
            }
            start.countDown();
            for (java.util.concurrent.Future<Integer> result : results) {
                assertEquals(5_000, result.get(60, java.util.concurrent.TimeUnit.SECONDS));
            }
        } finally {
            pool.shutdownNow();
        }
    }
}
