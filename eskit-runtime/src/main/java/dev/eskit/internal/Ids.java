package dev.eskit.internal;

import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

/** Event ids: time-ordered UUIDs (version 7 layout), so ids of later events sort later and index well. */
public final class Ids {
    private Ids() {
    }

    /** A new version-7 UUID: 48 bits of Unix milliseconds, then random bits. */
    public static UUID timeOrdered() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        long millis = System.currentTimeMillis();
        long high = (millis << 16) | 0x7000L | (random.nextInt() & 0x0FFFL);
        long low = (random.nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
        return new UUID(high, low);
    }

    /** The 16 bytes of {@code id}, most significant first (the order of its text form and of a database uuid). */
    public static byte[] bytes(UUID id) {
        byte[] bytes = new byte[16];
        put(id, bytes, 0);
        return bytes;
    }

    /** Writes the 16 bytes of {@code id}, most significant first, into {@code bytes} from {@code at}. */
    public static void put(UUID id, byte[] bytes, int at) {
        long high = id.getMostSignificantBits();
        long low = id.getLeastSignificantBits();
        for (int i = 0; i < 8; i++) {
            bytes[at + i] = (byte) (high >>> (56 - 8 * i));
            bytes[at + 8 + i] = (byte) (low >>> (56 - 8 * i));
        }
    }
}
