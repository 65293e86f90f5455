package dev.eskit.internal;

import java.time.Duration;

/** Deadlines on {@link System#nanoTime()} for timeouts a caller gives, however long. */
public final class Deadlines {

    /** The longest wait a deadline stands for: about 73 years, "for ever" for any JVM. */
    static final long LONGEST_NANOS = Long.MAX_VALUE / 4;

    private Deadlines() {
    }

    /**
     * {@code System.nanoTime()} plus {@code timeout}; a timeout too long for a {@code long} of nanoseconds (such as
     * {@code Duration.ofSeconds(Long.MAX_VALUE)}, a common "wait for ever") waits about 73 years instead of
     * overflowing. A zero or negative timeout is a deadline already passed.
     */
    public static long after(Duration timeout) {
        long nanos;
        if (timeout.compareTo(Duration.ofNanos(LONGEST_NANOS)) >= 0) {
            nanos = LONGEST_NANOS;
        } else if (timeout.isNegative()) {
            nanos = 0;
        } else {
            nanos = timeout.toNanos();
        }
        return System.nanoTime() + nanos;
    }
}
