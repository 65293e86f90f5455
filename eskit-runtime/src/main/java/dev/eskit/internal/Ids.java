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
}
