package dev.eskit.subscription;

import java.time.Duration;
import java.util.Objects;

/**
 * How far a subscription is behind the end of the log, for monitoring.
 *
 * @param events      committed events of the subscription's types after its position, not yet handled, counted up to
 *                    a cap; this includes events held back by an open transaction (see {@code heldBack})
 * @param atLeast     whether the count hit the cap (the subscription is at least {@code events} behind)
 * @param oldestAge   how long ago the oldest unhandled event was appended; zero when there is none
 * @param heldBack    whether some of those events are committed but cannot be read yet, because an older append
 *                    transaction of the store is still open (PostgreSQL's read horizon); a subscription that is
 *                    {@link SubscriptionState#LIVE} can be held back
 * @param heldBackAge how long the oldest held-back event has been waiting; zero when none is held back
 */
public record SubscriptionLag(long events, boolean atLeast, Duration oldestAge, boolean heldBack,
                              Duration heldBackAge) {

    /** Checks the values. */
    public SubscriptionLag {
        Objects.requireNonNull(oldestAge, "oldestAge");
        Objects.requireNonNull(heldBackAge, "heldBackAge");
    }

    /** A lag with nothing held back. */
    public SubscriptionLag(long events, boolean atLeast, Duration oldestAge) {
        this(events, atLeast, oldestAge, false, Duration.ZERO);
    }

    /** Whether nothing is waiting. */
    public boolean isCaughtUp() {
        return events == 0;
    }
}
