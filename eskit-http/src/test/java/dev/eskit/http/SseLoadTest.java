package dev.eskit.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The load harness at a size CI can afford: every client gets every change, in order, with no resync. */
class SseLoadTest {

    @Test
    void everyClientReceivesEveryChangeInOrder() throws Exception {
        SseLoad.Result result = SseLoad.run(20, 300, 1000);
        assertEquals(0, result.outOfOrder());
        assertEquals(0, result.resyncs());
        assertEquals(20L * 300, result.delivered());
        assertTrue(result.complete());
        assertTrue(result.p50Millis() <= result.p99Millis());
    }
}
