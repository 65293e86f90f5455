package dev.eskit.command.queue;

import dev.eskit.Position;
import java.util.Objects;

/**
 * The outcome of a queued command: what {@link CommandQueue#await(String)} completes with.
 *
 * @param id            the command id
 * @param status        {@code SUCCEEDED}, {@code REJECTED} or {@code DEAD}
 * @param streamVersion the stream's version after it (0 unless it succeeded)
 * @param eventCount    how many events it appended (0 when it appended none)
 * @param firstPosition the position of its first event, or {@code null}
 * @param lastPosition  the position of its last event, or {@code null}
 * @param error         why it was rejected or dead, else {@code null}
 */
public record QueueResult(String id, QueueStatus status, long streamVersion, int eventCount, Position firstPosition,
                          Position lastPosition, String error) {

    /** Checks that the status is final. */
    public QueueResult {
        Objects.requireNonNull(id, "id");
        if (!status.isFinal()) {
            throw new IllegalArgumentException("A result needs a final status, not " + status);
        }
    }

    /** Whether the command was handled (its events, if any, are appended). */
    public boolean succeeded() {
        return status == QueueStatus.SUCCEEDED;
    }

    /** The stored form of the success fields, for {@link QueuedCommand#result()}. */
    public String encode() {
        return streamVersion + " " + eventCount + " " + (firstPosition == null ? "-" : firstPosition.toToken()) + " "
                + (lastPosition == null ? "-" : lastPosition.toToken());
    }

    /** Reads {@link #encode()}'s form back. */
    static QueueResult decode(String id, QueueStatus status, String encoded, String error) {
        if (encoded == null || encoded.isBlank()) {
            return new QueueResult(id, status, 0, 0, null, null, error);
        }
        String[] parts = encoded.split(" ");
        return new QueueResult(id, status, Long.parseLong(parts[0]), Integer.parseInt(parts[1]),
                parts[2].equals("-") ? null : Position.parse(parts[2]),
                parts[3].equals("-") ? null : Position.parse(parts[3]), error);
    }
}
