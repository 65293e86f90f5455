package dev.eskit.projection.rebuild;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * A request to rebuild a projection with a {@link ShadowRebuild}, as a {@link RebuildRequests} store keeps it.
 *
 * @param projection      the projection's name
 * @param state           where it stands
 * @param node            the node that claimed it last, or {@code null} before a claim
 * @param attempts        how many times it was claimed (more than 1: a node died or stopped renewing mid-rebuild)
 * @param leaseHeld       whether the node's lease is still running (by the database's clock); a {@code RUNNING}
 *                        request whose lease ran out is waiting for another node to take it over
 * @param tables          the projection's live tables, as the claiming node's rebuild names them
 * @param remaining       events to go at the node's last progress report, or {@code -1} before one
 * @param eventsPerSecond the rate of the last progress report
 * @param eta             the time left at that rate, when known
 * @param message         why it failed, or where the rebuilt projection starts after the swap
 */
public record RebuildRequest(String projection, RebuildState state, String node, int attempts, boolean leaseHeld,
                             List<String> tables, long remaining, double eventsPerSecond, Optional<Duration> eta,
                             String message) {

    /** Copies the table list. */
    public RebuildRequest {
        tables = List.copyOf(tables);
    }

    /** Whether a node is rebuilding it right now (claimed and its lease running). */
    public boolean runningNow() {
        return state == RebuildState.RUNNING && leaseHeld;
    }
}
