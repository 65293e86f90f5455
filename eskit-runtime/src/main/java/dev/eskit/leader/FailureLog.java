package dev.eskit.leader;

import java.util.function.LongSupplier;
import org.slf4j.Logger;

/**
 * Logs a failure that repeats at every check without flooding the log: the first failure at once (WARN, with its stack
 * trace), then while it keeps failing at most one WARN line per {@code everyNanos} with the count and the latest cause,
 * and one INFO line when it works again. Thread-safe.
 */
final class FailureLog {

    private final Logger log;
    private final String what;
    private final long everyNanos;
    private final LongSupplier clock;
    private boolean failing;
    private long lastLine;
    private long unreported;
    private long total;

    /** A log of failures to {@code what} (such as {@code acquire leaderships}) on {@code log}. */
    FailureLog(Logger log, String what, long everyNanos, LongSupplier clock) {
        this.log = log;
        this.what = what;
        this.everyNanos = everyNanos;
        this.clock = clock;
    }

    /** Records one failure, {@code retry} saying what happens next. */
    synchronized void failed(RuntimeException failure, String retry) {
        long now = clock.getAsLong();
        total++;
        if (!failing) {
            failing = true;
            lastLine = now;
            unreported = 0;
            log.warn("Failed to {}: {}. {}; while it keeps failing this is logged at most once every {} s.", what,
                    failure.toString(), retry, Math.max(1, everyNanos / 1_000_000_000L), failure);
        } else if (now - lastLine >= everyNanos) {
            log.warn("Still failing to {} ({} more failures since the last report): {}", what, unreported + 1,
                    failure.toString());
            lastLine = now;
            unreported = 0;
        } else {
            unreported++;
        }
    }

    /** Records a success; logs once when it ends a run of failures. */
    synchronized void succeeded() {
        if (failing) {
            failing = false;
            log.info("Works again: {} (after {} failures)", what, total);
            total = 0;
        }
    }
}
