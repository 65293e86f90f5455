package dev.eskit.jdbi;

import dev.eskit.Position;
import java.time.Instant;

/**
 * One row of a store's checkpoints table, as {@link RawEventAccess#checkpoints()} lists it.
 *
 * @param name      the subscription or projection name
 * @param position  the position of the last event it handled
 * @param updatedAt when it was last saved
 */
public record CheckpointInfo(String name, Position position, Instant updatedAt) {
}
