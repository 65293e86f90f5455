package dev.eskit.codec;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * Finds lone UTF-16 surrogates in encoded JSON: Jackson writes one (in a map key, say) as bytes that no JSON parser
 * reads back, and nothing may be written that cannot be read.
 */
final class LoneSurrogates {

    /** Reads eight bytes at a time. */
    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final long ONES = 0x0101010101010101L;
    private static final long HIGHS = 0x8080808080808080L;

    private LoneSurrogates() {
    }

    /** Whether one of the eight bytes of {@code word} is {@code value} (the classic zero-byte test on a XOR). */
    private static boolean has(long word, int value) {
        long x = word ^ (ONES * value);
        return ((x - ONES) & ~x & HIGHS) != 0;
    }

    /**
     * Where the scan must start: the first eight-byte block holding a backslash or a 0xED byte (nothing before it can
     * be part of an escape or a surrogate), or the tail after the last whole block.
     */
    private static int firstCandidate(byte[] utf8) {
        int i = 0;
        for (; i + 8 <= utf8.length; i += 8) {
            long word = (long) LONGS.get(utf8, i);
            if (has(word, '\\') || has(word, 0xED)) {
                return i;
            }
        }
        return i;
    }

    /**
     * Whether {@code utf8} (JSON) holds a lone surrogate: the 3-byte form of a code point U+D800..U+DFFF, which
     * well-formed UTF-8 never has, or a {@code \\uD800}-style escape that is not a high-low pair.
     */
    static boolean in(byte[] utf8) {
        int i = firstCandidate(utf8);
        while (i < utf8.length) {
            byte b = utf8[i];
            if (b == (byte) 0xED && i + 1 < utf8.length && (utf8[i + 1] & 0xE0) == 0xA0) {
                return true;
            }
            if (b != '\\') {
                i++;
                continue;
            }
            if (i + 1 < utf8.length && utf8[i + 1] == 'u') {
                int unit = hex4(utf8, i + 2);
                if (unit >= 0xDC00 && unit <= 0xDFFF) {
                    return true;                                   // a low surrogate without its high one
                }
                if (unit >= 0xD800 && unit <= 0xDBFF) {
                    boolean escape = i + 7 < utf8.length && utf8[i + 6] == '\\' && utf8[i + 7] == 'u';
                    int low = escape ? hex4(utf8, i + 8) : -1;
                    if (low < 0xDC00 || low > 0xDFFF) {
                        return true;                               // a high surrogate without its low one
                    }
                    i += 12;
                    continue;
                }
                i += 6;
            } else {
                i += 2;                                            // an escaped character, such as \\ or \"
            }
        }
        return false;
    }

    private static int hex4(byte[] utf8, int from) {
        if (from + 4 > utf8.length) {
            return -1;
        }
        int value = 0;
        for (int k = from; k < from + 4; k++) {
            int digit = Character.digit(utf8[k], 16);
            if (digit < 0) {
                return -1;
            }
            value = value * 16 + digit;
        }
        return value;
    }
}
