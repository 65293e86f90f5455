package dev.eskit.snapshot;

import dev.eskit.InvalidInputException;
import dev.eskit.StreamRef;
import java.time.Instant;
import java.util.Objects;

/**
 * A stream's state at a version, serialized, so that loading can start there instead of at the first event.
 *
 * @param stream    the stream
 * @param version   the stream version the state includes (1 or more)
 * @param schema    identifies the state type and its shape; a snapshot whose schema differs from the current one is
 *                  ignored and rebuilt
 * @param data      the serialized state
 * @param timestamp when the snapshot was taken
 */
public record Snapshot(StreamRef stream, long version, String schema, byte[] data, Instant timestamp) {

    /** Validates the snapshot. */
    public Snapshot {
        Objects.requireNonNull(stream, "stream");
        Objects.requireNonNull(schema, "schema");
        Objects.requireNonNull(data, "data");
        Objects.requireNonNull(timestamp, "timestamp");
        if (version < 1) {
            throw new InvalidInputException("Snapshot of " + stream + " has version " + version
                    + ". Take snapshots of streams that have at least one event.");
        }
    }
}
