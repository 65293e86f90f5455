package dev.eskit.codec;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.eskit.EventEncodingException;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/**
 * What docs/concepts.md says about {@code java.time} in events without {@code jackson-datatype-jsr310} on the class
 * path (the runtime's own tests do not have it): the encoding fails with a message naming the module, nothing written.
 */
class JavaTimeEventsTest {

    record Signed(String id, Instant at) {
    }

    @Test
    void anInstantWithoutTheJsr310ModuleFailsWithAHint() {
        JsonEventCodec codec = JsonEventCodec.create(EventTypes.builder().add("contracts.Signed", Signed.class).build());
        EventEncodingException error = assertThrows(EventEncodingException.class,
                () -> codec.encode(new Signed("c1", Instant.parse("2026-12-02T09:00:00Z"))));
        assertTrue(error.getMessage().contains("jackson-datatype-jsr310"), error.getMessage());
    }
}
