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

    /**
     * Called inside the swap's transaction ({@code transaction} is the projection's {@link
     * dev.eskit.subscription.Transactor} transaction object) just before the tables are swapped: whether {@code node}
     * still holds the request, and if so its lease is extended by {@code lease} in that transaction. A node that
     * stalled past its lease (a long GC pause, a frozen VM) after its last progress report then cannot swap once
     * another node may have taken the request over. Stores that can, check in the transaction itself, so that the
     * check and the swap commit together and no other node claims the request in between ({@code JdbiRebuildRequests}
     * does when the transaction is a Jdbi {@code Handle} on the request table's database); the default only reads the
     * request on its own (extending nothing), which narrows the window to the time between that read and the commit.
     *
     * @return whether {@code node} holds the request (false: refuse the swap)
     */
    default boolean holdsAtSwap(Object transaction, String projection, String node, Duration lease) {
        return find(projection).filter(r -> r.state() == RebuildState.RUNNING && node.equals(r.node())
                && r.leaseHeld()).isPresent();
    }

    /** Records the outcome of {@code node}'s run: {@link RebuildState#DONE} when {@code swapped}, else FAILED. */
    void finish(String projection, String node, boolean swapped, String message);

    /** The request of {@code projection}, if there is one. */
    Optional<RebuildRequest> find(String projection);

    /** Removes {@code projection}'s request if no node claimed it yet; returns whether it did. */
    boolean cancel(String projection);
}
