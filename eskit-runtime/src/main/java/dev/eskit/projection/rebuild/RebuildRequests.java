package dev.eskit.projection.rebuild;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Where rebuild requests meet the nodes that run projections: {@code eskit projections rebuild NAME --shadow} (or
 * {@link #request}) writes one, a {@link RebuildRequestWatcher} on an application node claims it with a lease, runs the
 * {@link ShadowRebuild} and reports progress and the outcome here, and the tool prints them. At most one node holds a
 * request's lease; when it dies its lease runs out and another node's watcher takes the request over (the rebuild
 * starts again from the beginning of the log into new shadow tables, dropping the dead run's). The Jdbi module's
 * {@code JdbiRebuildRequests} keeps them in a table (migration 9).
 */
public interface RebuildRequests {

    /**
     * Asks for a rebuild of {@code projection}. When one is already running (its lease held) nothing changes and that
     * one is returned; otherwise the request is (re)written as {@link RebuildState#REQUESTED}.
     */
    RebuildRequest request(String projection);

    /**
     * Claims {@code projection}'s request for {@code node} when it is {@link RebuildState#REQUESTED} or
     * {@link RebuildState#RUNNING} with a lease that ran out; records {@code tables}.
     *
     * @return the claimed request, or empty when there is none to claim
     */
    Optional<RebuildRequest> tryClaim(String projection, String node, List<String> tables, Duration lease);

    /**
     * Records progress and extends the lease by {@code lease}.
     *
     * @return whether {@code node} still holds the request (false: it lost it, and must stop before swapping)
     */
    boolean progress(String projection, String node, ShadowProgress progress, Duration lease);

    /** Records the outcome of {@code node}'s run: {@link RebuildState#DONE} when {@code swapped}, else FAILED. */
    void finish(String projection, String node, boolean swapped, String message);

    /** The request of {@code projection}, if there is one. */
    Optional<RebuildRequest> find(String projection);

    /** Removes {@code projection}'s request if no node claimed it yet; returns whether it did. */
    boolean cancel(String projection);
}
