package dev.eskit.hooks;

import dev.eskit.InvalidInputException;
import java.time.Duration;
import java.util.Objects;

/**
 * What a projection does when its handler throws for an event: {@linkplain #skip() skip} the event,
 * {@linkplain #halt() halt} the projection, or {@linkplain #retry(int, Duration, ProjectionErrorPolicy) retry} it a
 * few times and then skip or halt. {@link GuardedProjectionHandler} applies a policy to any
 * {@link dev.eskit.projection.ProjectionHandler}.
 *
 * <pre>{@code
 * ProjectionErrorPolicy policy = ProjectionErrorPolicy.retry(3, Duration.ofMillis(50), ProjectionErrorPolicy.halt());
 * }</pre>
 */
public sealed interface ProjectionErrorPolicy {

    /** Log the failure and move on to the next event; the failed event is not applied. */
    static ProjectionErrorPolicy skip() {
        return Skip.INSTANCE;
    }

    /** Stop the projection at the failed event: it and every later event throw {@link ProjectionHaltedException}. */
    static ProjectionErrorPolicy halt() {
        return Halt.INSTANCE;
    }

    /**
     * Try the event up to {@code attempts} times in all, pausing {@code backoff} (doubling, at most 30 s) between
     * tries, then apply {@code then}.
     *
     * @throws InvalidInputException when {@code attempts} is not 1 to 100 or {@code backoff} is negative
     */
    static ProjectionErrorPolicy retry(int attempts, Duration backoff, ProjectionErrorPolicy then) {
        return new Retry(attempts, backoff, then);
    }

    /** Skips failed events. */
    enum Skip implements ProjectionErrorPolicy {
        /** The only instance. */
        INSTANCE
    }

    /** Halts at a failed event. */
    enum Halt implements ProjectionErrorPolicy {
        /** The only instance. */
        INSTANCE
    }

    /**
     * Retries a failed event, then falls back.
     *
     * @param attempts total tries of one event, 1 to 100
     * @param backoff  the pause before the second try; doubles after each try, capped at 30 seconds
     * @param then     what to do when the last try failed: skip or halt (not another retry)
     */
    record Retry(int attempts, Duration backoff, ProjectionErrorPolicy then) implements ProjectionErrorPolicy {
        /** Validates the policy. */
        public Retry {
            if (attempts < 1 || attempts > 100) {
                throw new InvalidInputException("Retry attempts " + attempts + " is out of range. Use 1 to 100.");
            }
            Objects.requireNonNull(backoff, "backoff");
            if (backoff.isNegative()) {
                throw new InvalidInputException("Retry backoff " + backoff + " is negative. Use zero or more.");
            }
            Objects.requireNonNull(then, "then");
            if (then instanceof Retry) {
                throw new InvalidInputException("A retry policy must end in skip() or halt(), not another retry."
                        + " Add the attempts together instead.");
            }
        }
    }
}
