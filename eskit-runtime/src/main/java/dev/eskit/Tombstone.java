package dev.eskit;

import java.time.Instant;
import java.util.Objects;

/**
 * Why and when a stream was closed for good ({@link StreamAdmin#tombstone(StreamRef, String)}).
 *
 * @param stream the tombstoned stream
 * @param reason why, as given; {@code null} when none was given or the store does not record reasons
 * @param at     when; {@code null} when the store does not record it
 */
public record Tombstone(StreamRef stream, String reason, Instant at) {

    /** Checks the stream. */
    public Tombstone {
        Objects.requireNonNull(stream, "stream");
    }
}
