package dev.eskit.projection.rebuild;

import dev.eskit.Position;
import java.time.Duration;
import java.util.Optional;

/**
 * How far a {@link ShadowRebuild} has come.
 *
 * @param position        the position the shadow projection has reached
 * @param head            the position of the last event in the log
 * @param remaining       about how many events of the log lie between them (by global sequence numbers; events of
 *                        other types count too)
 * @param eventsPerSecond the rate over the last report
 * @param eta             the time left at that rate; empty while the rate is zero
 */
public record ShadowProgress(Position position, Position head, long remaining, double eventsPerSecond,
                             Optional<Duration> eta) {

    /** One line for a log or a terminal: {@code 120,000 events to go, 8,400 events/s, ETA 14 s}. */
    public String describe() {
        return String.format("%,d events to go, %,.0f events/s, ETA %s", remaining, eventsPerSecond,
                eta.map(d -> d.toSeconds() + " s").orElse("unknown"));
    }
}
