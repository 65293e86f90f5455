package dev.eskit.subscription;

import dev.eskit.Names;
import dev.eskit.Position;
import dev.eskit.StoredEvent;
import dev.eskit.StreamRef;
import java.time.Instant;
import java.util.Objects;
import java.util.UUID;

/**
 * An event that a subscription's handler failed on for every attempt, parked so that the subscription could move on.
 * It refers to the event (the event itself stays in the log) and records why it failed.
 *
 * @param id            this dead letter's id
 * @param subscription  the subscription's name
 * @param eventId       the event's id
 * @param stream        the event's stream
 * @param version       the event's version in its stream
 * @param eventType     the event's wire name
 * @param position      the event's position in the global log
 * @param attempts      how many times the handler has failed on it, replays included
 * @param error         the last failure: exception class and message, at most {@link #MAX_ERROR_LENGTH} characters
 * @param firstFailedAt when it was dead-lettered
 * @param lastFailedAt  when it last failed
 */
public record DeadLetter(UUID id, String subscription, UUID eventId, StreamRef stream, long version, String eventType,
                         Position position, int attempts, String error, Instant firstFailedAt, Instant lastFailedAt) {

    /** The longest error text kept. */
    public static final int MAX_ERROR_LENGTH = 4000;

    /** Checks that nothing is missing and trims the error text. */
    public DeadLetter {
        Objects.requireNonNull(id, "id");
        Names.check("Subscription name", subscription);
        Objects.requireNonNull(eventId, "eventId");
        Objects.requireNonNull(stream, "stream");
        Objects.requireNonNull(eventType, "eventType");
        Objects.requireNonNull(position, "position");
        Objects.requireNonNull(firstFailedAt, "firstFailedAt");
        Objects.requireNonNull(lastFailedAt, "lastFailedAt");
        error = error == null ? "" : error;
        if (error.length() > MAX_ERROR_LENGTH) {
            error = error.substring(0, MAX_ERROR_LENGTH);
        }
    }

    /** A new dead letter for {@code event}, which failed {@code attempts} times, last with {@code failure}. */
    public static DeadLetter of(UUID id, String subscription, StoredEvent<?> event, int attempts, Throwable failure,
                                Instant now) {
        return new DeadLetter(id, subscription, event.id(), event.stream(), event.version(), event.eventType(),
                event.position(), attempts, describe(failure), now, now);
    }

    /** A copy after one more failure. */
    public DeadLetter failedAgain(Throwable failure, Instant now) {
        return new DeadLetter(id, subscription, eventId, stream, version, eventType, position, attempts + 1,
                describe(failure), firstFailedAt, now);
    }

    /** The class name and message of {@code failure}, as stored in {@link #error()}. */
    public static String describe(Throwable failure) {
        String message = failure.getMessage();
        return failure.getClass().getName() + (message == null ? "" : ": " + message);
    }
}
