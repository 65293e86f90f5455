package dev.eskit.subscription;

import dev.eskit.Names;
import dev.eskit.Position;
import dev.eskit.StoredEvent;
import dev.eskit.StoredEventHeader;
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
 * @param error         the last failure: exception class and message, at most {@link #MAX_ERROR_LENGTH} characters,
 *                      with NUL bytes written as {@code \0} so that every store can keep it
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
        error = storable(error == null ? "" : error);
    }

    /**
     * {@code text} as every store can keep it: NUL bytes (which PostgreSQL's text type refuses) written as
     * {@code \0}, unpaired surrogates as U+FFFD, cut to {@link #MAX_ERROR_LENGTH} characters without splitting a pair.
     */
    static String storable(String text) {
        StringBuilder out = new StringBuilder(Math.min(text.length(), MAX_ERROR_LENGTH));
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            String piece;
            if (c == '\0') {
                piece = "\\0";
            } else if (Character.isHighSurrogate(c) && i + 1 < text.length()
                    && Character.isLowSurrogate(text.charAt(i + 1))) {
                piece = text.substring(i, i + 2);
                i++;
            } else if (Character.isSurrogate(c)) {
                piece = "\uFFFD";
            } else {
                piece = String.valueOf(c);
            }
            if (out.length() + piece.length() > MAX_ERROR_LENGTH) {
                break;
            }
            out.append(piece);
        }
        return out.toString();
    }

    /** A new dead letter for {@code event}, which failed {@code attempts} times, last with {@code failure}. */
    public static DeadLetter of(UUID id, String subscription, StoredEvent<?> event, int attempts, Throwable failure,
                                Instant now) {
        return new DeadLetter(id, subscription, event.id(), event.stream(), event.version(), event.eventType(),
                event.position(), attempts, describe(failure), now, now);
    }

    /** A new dead letter for the stored event {@code event} (one that may not even decode). */
    public static DeadLetter of(UUID id, String subscription, StoredEventHeader event, int attempts,
                                Throwable failure, Instant now) {
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
