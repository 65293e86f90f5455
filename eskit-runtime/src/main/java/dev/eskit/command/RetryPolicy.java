package dev.eskit.command;

import dev.eskit.InvalidInputException;
import dev.eskit.Retry;
import java.time.Duration;
import java.util.Objects;

/**
 * How often a command is retried after a {@link dev.eskit.ConcurrencyException}, with exponential backoff and jitter.
 * Each retry reloads the stream and decides again, so the decision always sees the latest state.
 *
 * @param maxAttempts    total attempts, 1 for no retry
 * @param initialBackoff the pause before the second attempt
 * @param maxBackoff     the longest pause
 * @deprecated The runtime has one retry policy now: use {@link Retry} ({@code Retry.attempts(n)}, {@code Retry.none()});
 *     every API that took a {@code RetryPolicy} takes a {@code Retry}. A {@code RetryPolicy} still works and means
 *     {@link #toRetry()}.
 */
@Deprecated
public record RetryPolicy(int maxAttempts, Duration initialBackoff, Duration maxBackoff) {

    /** Validates the policy. */
    public RetryPolicy {
        if (maxAttempts < 1 || maxAttempts > 100) {
            throw new InvalidInputException("maxAttempts " + maxAttempts + " is out of range. Use 1 to 100.");
        }
        Objects.requireNonNull(initialBackoff, "initialBackoff");
        Objects.requireNonNull(maxBackoff, "maxBackoff");
        if (initialBackoff.isNegative() || maxBackoff.compareTo(initialBackoff) < 0) {
            throw new InvalidInputException("Backoff must satisfy 0 <= initialBackoff <= maxBackoff, got "
                    + initialBackoff + " and " + maxBackoff + ".");
        }
    }

    /** No retries: a conflict is thrown to the caller. */
    public static RetryPolicy none() {
        return new RetryPolicy(1, Duration.ZERO, Duration.ZERO);
    }

    /** {@code maxAttempts} attempts with backoff from 5 ms up to 200 ms. */
    public static RetryPolicy attempts(int maxAttempts) {
        return new RetryPolicy(maxAttempts, Duration.ofMillis(5), Duration.ofMillis(200));
    }

    /** The same policy as a {@link Retry} (with jitter). */
    public Retry toRetry() {
        return new Retry(maxAttempts, initialBackoff, maxBackoff, true);
    }

    /** The pause before attempt {@code attempt} (2 for the first retry), with jitter. */
    Duration backoff(int attempt) {
        return toRetry().pauseAfter(attempt - 1);
    }
}
