package dev.eskit.subscription;

import dev.eskit.Retry;
import dev.eskit.StoredEventHeader;
import dev.eskit.internal.WorkerLoop;
import java.time.Clock;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a subscription does when something fails, in one place for both delivery modes: a handler failure is retried
 * with the {@link Retry} waits; after the last attempt the event is a poison event, dead-lettered or halted on as the
 * {@link PoisonPolicy} says; a failure of the store or the checkpoint store is retried until it succeeds or the
 * subscription is stopped.
 */
final class ErrorPolicy {

    private static final Logger LOG = LoggerFactory.getLogger(Subscription.class);

    /** How handing one event over ended. */
    enum Outcome {
        /** The handler succeeded. */
        HANDLED,
        /** The event was dead-lettered: move past it. */
        PARKED,
        /** The subscription was asked to stop (or halted, or was fenced) first: leave the event for the next run. */
        STOPPED
    }

    /** One attempt at handling an event. */
    @FunctionalInterface
    interface Attempt {
        void run() throws Exception;
    }

    private final String name;
    private final Retry retry;
    private final PoisonPolicy poisonPolicy;
    private final DeadLetterStore deadLetters;
    private final Clock clock;
    private final Status status;
    private final WorkerLoop loop;
    private final Fence fence;
    /** What the log may show of a dead letter: the letter itself, or a redacted copy when it may hold personal data. */
    private final UnaryOperator<DeadLetter> logView;

    ErrorPolicy(String name, Retry retry, PoisonPolicy poisonPolicy, DeadLetterStore deadLetters, Clock clock,
                Status status, WorkerLoop loop, Fence fence) {
        this(name, retry, poisonPolicy, deadLetters, clock, status, loop, fence, UnaryOperator.identity());
    }

    ErrorPolicy(String name, Retry retry, PoisonPolicy poisonPolicy, DeadLetterStore deadLetters, Clock clock,
                Status status, WorkerLoop loop, Fence fence, UnaryOperator<DeadLetter> logView) {
        this.name = name;
        this.retry = retry;
        this.poisonPolicy = poisonPolicy;
        this.deadLetters = deadLetters;
        this.clock = clock;
        this.status = status;
        this.loop = loop;
        this.fence = fence;
        this.logView = logView;
    }

    PoisonPolicy poisonPolicy() {
        return poisonPolicy;
    }

    /**
     * Runs {@code attempt} for {@code event} until it succeeds, waiting between failures; after the last allowed
     * attempt the event is a poison event ({@link #poison}).
     *
     * @param askGuardFirst whether to ask the guard before every attempt (a plain handler; a transactional one asks
     *                      inside its transaction)
     */
    Outcome handle(StoredEventHeader event, Attempt attempt, boolean askGuardFirst) {
        for (int attempts = 1; ; attempts++) {
            // A node that lost its leadership stops before its next handler call, before another node can start.
            if (askGuardFirst && fence.lost()) {
                return Outcome.STOPPED;
            }
            Exception problem;
            try {
                attempt.run();
                return Outcome.HANDLED;
            } catch (Exception e) {
                problem = e;
            }
            if (fence.isFenced()) {
                return Outcome.STOPPED;
            }
            status.lastError(problem);
            if (!retry.allowsAnotherAfter(attempts)) {
                return poison(event, attempts, problem);
            }
            if (!loop.pause(retry.pauseAfter(attempts))) {
                return Outcome.STOPPED;
            }
        }
    }

    /**
     * Deals with a poison event after {@code attempts} failures, the last being {@code problem}: parks it in the
     * dead-letter store ({@link PoisonPolicy#DEAD_LETTER}, {@link Outcome#PARKED}) or halts the subscription
     * ({@link PoisonPolicy#HALT}, {@link Outcome#STOPPED}).
     */
    Outcome poison(StoredEventHeader event, int attempts, Exception problem) {
        status.lastError(problem);
        DeadLetter letter = DeadLetter.of(UUID.randomUUID(), name, event, attempts, problem, clock.instant());
        if (poisonPolicy == PoisonPolicy.HALT) {
            SubscriptionHaltedException halted = new SubscriptionHaltedException(name, event, problem);
            if (logView.apply(letter) == letter) {
                LOG.error(halted.getMessage(), problem);
            } else {
                // The failure may quote personal data: log the redacted text, not the exception.
                LOG.error(haltedLogLine(letter));
            }
            status.fail(halted);
            loop.requestStop();
            return Outcome.STOPPED;
        }
        // Park it first, then move past it: a crash in between parks it twice, never loses it.
        boolean parked = retrying(() -> {
            deadLetters.put(letter);
            return Optional.of(Boolean.TRUE);
        }).isPresent();
        if (!parked) {
            return Outcome.STOPPED;
        }
        LOG.warn("Subscription \"{}\" dead-lettered {} (dead letter {}) and moved on: {}", name, event.describe(),
                letter.id(), logView.apply(letter).error());
        return Outcome.PARKED;
    }

    /** The ERROR line for a halt, with the error as {@code logView} shows it. */
    String haltedLogLine(DeadLetter letter) {
        return "Subscription \"" + name + "\" halted on " + letter.eventType() + " at " + letter.position() + " of "
                + letter.stream() + ": " + logView.apply(letter).error() + ". Every event before it is handled.";
    }

    /** The error of {@code letter} as the WARN line for a dead letter shows it. */
    String loggedError(DeadLetter letter) {
        return logView.apply(letter).error();
    }

    /** Runs a store operation until it succeeds; empty when asked to stop first. */
    <T> Optional<T> retrying(Supplier<Optional<T>> operation) {
        for (int failures = 1; ; failures++) {
            if (loop.stopRequested()) {
                return Optional.empty();
            }
            try {
                return operation.get();
            } catch (RuntimeException e) {
                status.lastError(e);
                if (failures == 1 || failures % 10 == 0) {
                    LOG.warn("Subscription \"{}\" failed on its store or checkpoint store ({} time(s) in a row),"
                            + " retrying: {}", name, failures, e.toString());
                }
            }
            if (!loop.pause(retry.delayAfter(failures))) {
                return Optional.empty();
            }
        }
    }
}
