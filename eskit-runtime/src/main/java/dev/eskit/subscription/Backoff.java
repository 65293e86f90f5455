package dev.eskit.subscription;

import dev.eskit.InvalidInputException;
import dev.eskit.Retry;
import java.time.Duration;
import java.util.Objects;

/**
 * How a subscription retries an event whose handler failed: up to {@code maxAttempts} attempts in all, waiting
 * {@code initialDelay} after the first failure and twice as long after each further one, never more than
 * {@code maxDelay}. When every attempt fails, the event goes to the dead-letter queue and the subscription moves on.
 *
 * <p>The same delays (without the attempt limit) pace retries of the store and the checkpoint store when they fail.
 *
 * @param maxAttempts  total attempts per event, 1 to 100 (1: dead-letter on the first failure)
 * @param initialDelay the wait after the first failure
 * @param maxDelay     the longest wait
 * @deprecated The runtime has one retry policy now: use {@link Retry} ({@code Retry.exponential(...)},
 *     {@code Retry.defaults()}, {@code Retry.none()}); every builder that took a {@code Backoff} takes a {@code Retry}.
 *     A {@code Backoff} still works and means {@link #toRetry()}.
 */
@Deprecated
public record Backoff(int maxAttempts, Duration initialDelay, Duration maxDelay) {

    /** Validates the policy. */
    public Backoff {
        if (maxAttempts < 1 || maxAttempts > 100) {
            throw new InvalidInputException("maxAttempts " + maxAttempts + " is out of range. Use 1 to 100.");
        }
        Objects.requireNonNull(initialDelay, "initialDelay");
        Objects.requireNonNull(maxDelay, "maxDelay");
        if (initialDelay.isNegative() || maxDelay.compareTo(initialDelay) < 0) {
            throw new InvalidInputException("Backoff delays must satisfy 0 <= initialDelay <= maxDelay, got "
                    + initialDelay + " and " + maxDelay + ".");
        }
    }

    /** The default: 5 attempts, waiting 100 ms, 200 ms, 400 ms and 800 ms between them (at most 10 s). */
    public static Backoff defaults() {
        return new Backoff(5, Duration.ofMillis(100), Duration.ofSeconds(10));
    }

    /** {@code maxAttempts} attempts with delays doubling from {@code initialDelay} up to {@code maxDelay}. */
    public static Backoff exponential(int maxAttempts, Duration initialDelay, Duration maxDelay) {
        return new Backoff(maxAttempts, initialDelay, maxDelay);
    }

    /** One attempt: a failing event is dead-lettered at once. Infrastructure retries wait 100 ms to 10 s. */
    public static Backoff noRetry() {
        return new Backoff(1, Duration.ofMillis(100), Duration.ofSeconds(10));
    }

    /** The wait after {@code failures} consecutive failures (1 for the first): initialDelay * 2^(failures-1), capped. */
    public Duration delayAfter(int failures) {
        return toRetry().delayAfter(failures);
    }

    /** The same policy as a {@link Retry} (no jitter). */
    public Retry toRetry() {
        return new Retry(maxAttempts, initialDelay, maxDelay, false);
    }
}
