package dev.eskit.codec;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** {@link LoneSurrogates}' word-at-a-time scan finds a surrogate wherever it sits relative to the 8-byte blocks. */
class LoneSurrogatesTest {

    private static byte[] at(int offset, String middle, int after) {
        return ("x".repeat(offset) + middle + "y".repeat(after)).getBytes(StandardCharsets.ISO_8859_1);
    }

    @Test
    void findsLoneSurrogatesAtEveryOffsetAndLength() {
        for (int offset = 0; offset < 20; offset++) {
            for (int after = 0; after < 10; after++) {
                String where = "offset " + offset + ", " + after + " after";
                assertTrue(LoneSurrogates.in(at(offset, "\\ud83d", after)), where);
                assertTrue(LoneSurrogates.in(at(offset, "\\ude00", after)), where);
                assertTrue(LoneSurrogates.in(at(offset, "\u00ed\u00a0\u0080", after)), where + " (raw UTF-8)");
                assertFalse(LoneSurrogates.in(at(offset, "\\ud83d\\ude00", after)), where + " (a pair)");
                assertFalse(LoneSurrogates.in(at(offset, "\\\\ud83d", after)), where + " (an escaped backslash)");
                assertFalse(LoneSurrogates.in(at(offset, "\u00ed\u009f\u00bf", after)), where + " (U+D7FF)");
                assertFalse(LoneSurrogates.in(at(offset, "", after)), where + " (plain)");
            }
        }
    }
}
