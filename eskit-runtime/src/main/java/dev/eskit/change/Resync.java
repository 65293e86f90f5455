package dev.eskit.change;

import dev.eskit.Position;
import java.util.Objects;

/**
 * Tells a subscriber that it missed changes: its buffer overflowed because it read too slowly, a resume position was
 * too old to replay, or a read model was rebuilt. The subscriber should reload what it shows (from the read model
 * itself) and then carry on with the changes that follow; nothing is replayed for it.
 *
 * @param position the position of the newest change known when the signal was raised ({@link Position#START} if none)
 * @param reason   why, for logs: {@code "overflow"}, {@code "resume"}, {@code "rebuild"} or {@code "relay"}
 */
public record Resync(Position position, String reason) implements ChangeSignal {

    /** Checks the values. */
    public Resync {
        Objects.requireNonNull(position, "position");
        Objects.requireNonNull(reason, "reason");
    }
}
