package dev.eskit.subscription;

import java.time.Duration;
import java.util.Objects;

/**
 * How far a subscription is behind the end of the log, for monitoring.
 *
 * @param events    unhandled events of the subscription's types after its position, counted up to a cap
 * @param atLeast   whether the count hit the cap (the subscription is at least {@code events} behind)
 * @param oldestAge how long ago the oldest unhandled event was appended; zero when there is none
 */
public record SubscriptionLag(long events, boolean atLeast, Duration oldestAge) {

    /** Checks the values. */
    public SubscriptionLag {
        Objects.requireNonNull(oldestAge, "oldestAge");
    }

    /** Whether nothing is waiting. */
    public boolean isCaughtUp() {
        return events == 0;
    }
}
