package dev.eskit;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;

/**
 * How eskit retries something that failed, everywhere in the runtime: a command after a concurrency conflict
 * ({@code CommandHandler}, {@code CommandBus}, {@code RetryMiddleware}, {@code DcbCommandHandler}), an event whose
 * handler failed ({@code Subscription}), a todo item ({@code TodoProcessor}).
 *
 * <p>Up to {@code maxAttempts} attempts in all; after the first failure it waits {@code initialDelay}, after each
 * further one twice as long, never more than {@code maxDelay}. With {@code jitter}, each wait is drawn at random
 * between half and all of that, so that racing writers do not retry in lock step. Subscriptions and todo processors
 * also pace retries of their store and checkpoint store with these delays (without the attempt limit).
 *
 * <pre>{@code
 * CommandBus.builder(store).retry(Retry.attempts(3))...                      // conflicts: 5 ms to 200 ms, jittered
 * Subscription.builder("balances", store, checkpoints)
 *     .retry(Retry.exponential(5, Duration.ofMillis(100), Duration.ofSeconds(10)))...
 * }</pre>
 *
 * @param maxAttempts  total attempts, 1 to 100 (1: no retry)
 * @param initialDelay the wait after the first failure
 * @param maxDelay     the longest wait
 * @param jitter       whether each wait is drawn at random between half and all of its nominal value
 */
public record Retry(int maxAttempts, Duration initialDelay, Duration maxDelay, boolean jitter) {

    /** Validates the policy. */
    public Retry {
        if (maxAttempts < 1 || maxAttempts > 100) {
            throw new InvalidInputException("maxAttempts " + maxAttempts + " is out of range. Use 1 to 100.");
        }
        Objects.requireNonNull(initialDelay, "initialDelay");
        Objects.requireNonNull(maxDelay, "maxDelay");
        if (initialDelay.isNegative() || maxDelay.compareTo(initialDelay) < 0) {
            throw new InvalidInputException("Retry delays must satisfy 0 <= initialDelay <= maxDelay, got "
                    + initialDelay + " and " + maxDelay + ".");
        }
    }

    /** Subscriptions' and todo processors' default: 5 attempts, waiting 100 ms, 200 ms, 400 ms, 800 ms (at most 10 s). */
    public static Retry defaults() {
        return new Retry(5, Duration.ofMillis(100), Duration.ofSeconds(10), false);
    }

    /**
     * One attempt: a conflict is thrown to the caller, a failing event is dead-lettered (or halted on) at once.
     * Retries of a subscription's store still wait 100 ms to 10 s.
     */
    public static Retry none() {
        return new Retry(1, Duration.ofMillis(100), Duration.ofSeconds(10), false);
    }

    /** {@code maxAttempts} attempts with jittered waits from 5 ms up to 200 ms: for concurrency conflicts. */
    public static Retry attempts(int maxAttempts) {
        return new Retry(maxAttempts, Duration.ofMillis(5), Duration.ofMillis(200), true);
    }

    /** {@code maxAttempts} attempts with waits doubling from {@code initialDelay} up to {@code maxDelay}, no jitter. */
    public static Retry exponential(int maxAttempts, Duration initialDelay, Duration maxDelay) {
        return new Retry(maxAttempts, initialDelay, maxDelay, false);
    }

    /** The same policy with jitter on or off. */
    public Retry withJitter(boolean value) {
        return new Retry(maxAttempts, initialDelay, maxDelay, value);
    }

    /** Whether another attempt may follow {@code failures} failed ones. */
    public boolean allowsAnotherAfter(int failures) {
        return failures < maxAttempts;
    }

    /**
     * The nominal wait after {@code failures} consecutive failures (1 for the first): initialDelay * 2^(failures-1),
     * capped at maxDelay; zero for less than one failure. Without jitter this is what {@link #pauseAfter} returns.
     */
    public Duration delayAfter(int failures) {
        if (failures < 1) {
            return Duration.ZERO;
        }
        long initial = initialDelay.toNanos();
        long cap = maxDelay.toNanos();
        int shift = Math.min(failures - 1, 62);
        long delay = initial << shift;
        if (delay < 0 || (delay >> shift) != initial) {
            delay = cap;
        }
        return Duration.ofNanos(Math.min(delay, cap));
    }

    /**
     * The wait to take after {@code failures} consecutive failures: {@link #delayAfter}, or with {@code jitter} a
     * random wait between half and all of it.
     */
    public Duration pauseAfter(int failures) {
        Duration nominal = delayAfter(failures);
        long bound = nominal.toNanos();
        if (!jitter || bound == 0) {
            return nominal;
        }
        return Duration.ofNanos(ThreadLocalRandom.current().nextLong(bound / 2, bound + 1));
    }
}
