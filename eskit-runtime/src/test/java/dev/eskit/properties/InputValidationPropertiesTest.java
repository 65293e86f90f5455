package dev.eskit.properties;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.eskit.EskitException;
import dev.eskit.EventStore;
import dev.eskit.ExpectedVersion;
import dev.eskit.Limits;
import dev.eskit.Metadata;
import dev.eskit.Position;
import dev.eskit.StoredEvent;
import dev.eskit.StreamRef;
import dev.eskit.codec.EventTypes;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

/**
 * Property-based tests of the store's input validation: an append either is accepted and reads back as given, or is
 * refused with a specific {@link EskitException} and writes nothing, exactly when the documented bounds say so.
 */
class InputValidationPropertiesTest {

    /** An event. */
    record Noted(String text) {
    }

    private static final EventTypes TYPES = EventTypes.builder().add("props.Noted", Noted.class).build();

    @Provide
    Arbitrary<String> identifiers() {
        return Arbitraries.oneOf(
                Arbitraries.strings().all().ofMinLength(0).ofMaxLength(8),
                Arbitraries.strings().alpha().ofMinLength(250).ofMaxLength(260),
                Arbitraries.strings().withChars('a', '\0', 'é', '/').ofMinLength(1).ofMaxLength(6));
    }

    @Provide
    Arbitrary<Map<String, String>> extras() {
        return Arbitraries.oneOf(
                Arbitraries.maps(Arbitraries.strings().alpha().ofMinLength(1).ofMaxLength(6),
                        Arbitraries.strings().all().ofMaxLength(20)).ofMaxSize(5),
                Arbitraries.maps(Arbitraries.strings().alpha().ofMinLength(1).ofMaxLength(8),
                        Arbitraries.strings().alpha().ofMinLength(300).ofMaxLength(301)).ofMinSize(95).ofMaxSize(105));
    }

    private static boolean valid(String identifier) {
        return !identifier.isEmpty() && identifier.length() <= Limits.MAX_ID_LENGTH && identifier.indexOf('\0') < 0
                && wellFormed(identifier);
    }

    /** No unpaired UTF-16 surrogate (the drivers would store it as '?'). */
    private static boolean wellFormed(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                return false;
            }
        }
        return true;
    }

    private static long utf8(Map<String, String> extras) {
        long bytes = 0;
        for (Map.Entry<String, String> e : extras.entrySet()) {
            bytes += e.getKey().getBytes(java.nio.charset.StandardCharsets.UTF_8).length
                    + e.getValue().getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
        }
        return bytes;
    }

    @Property(tries = 100)
    void anAppendIsAcceptedExactlyWithinTheBoundsAndOtherwiseWritesNothing(
            @ForAll("identifiers") String type, @ForAll("identifiers") String id,
            @ForAll @IntRange(min = 0, max = 3) int count, @ForAll("extras") Map<String, String> extras) {
        boolean withinBounds = valid(type) && valid(id) && count > 0
                && extras.size() <= Limits.MAX_METADATA_ENTRIES && utf8(extras) <= Limits.MAX_METADATA_BYTES;
        try (EventStore store = EventStore.inMemory(TYPES)) {
            store.append(StreamRef.of("seed", "s"), ExpectedVersion.noStream(), List.of(new Noted("seed")));
            List<Noted> events = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                events.add(new Noted("n" + i));
            }
            if (withinBounds) {
                StreamRef stream = StreamRef.of(type, id);
                store.append(stream, ExpectedVersion.noStream(), events, new Metadata(null, null, null, null, extras));
                List<StoredEvent<Object>> loaded = store.load(stream);
                assertEquals(events, loaded.stream().map(StoredEvent::data).toList());
                assertEquals(new HashMap<>(extras), new HashMap<>(loaded.get(0).metadata().extras()));
            } else {
                EskitException refused = assertThrows(EskitException.class, () -> store.append(
                        StreamRef.of(type, id), ExpectedVersion.noStream(), events,
                        new Metadata(null, null, null, null, extras)));
                assertTrue(refused.getMessage() != null && !refused.getMessage().isBlank());
            }
            assertEquals(withinBounds ? 1 + count : 1, store.readAll(Position.START, Limits.MAX_READ_LIMIT).size());
        }
    }
}
