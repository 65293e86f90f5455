package dev.eskit.cli;

import dev.eskit.jdbi.JdbiEventStore;
import dev.eskit.jdbi.StoreAccessException;
import dev.eskit.jdbi.subscription.JdbiRebuildRequests;
import dev.eskit.projection.rebuild.RebuildRequest;
import dev.eskit.projection.rebuild.RebuildState;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.locks.LockSupport;
import org.jdbi.v3.core.Jdbi;

/**
 * {@code eskit projections rebuild NAME --shadow}: the tool cannot run the projection's code, so it writes a rebuild
 * request that an application node's {@code RebuildRequestWatcher} claims and runs, and follows it: prints the node's
 * progress (events to go, events/s, ETA) until the swap (exit 0), the failure (exit 1), or the timeout (exit 1).
 */
final class ShadowRequest {

    private ShadowRequest() {
    }

    /** The rebuild requests of {@code opened}'s tables; fails with a clear message when the table is missing. */
    static JdbiRebuildRequests requests(StoreOptions options, JdbiEventStore opened) {
        return JdbiRebuildRequests.create(Jdbi.create(options.url), opened.tableNames());
    }

    /** A failure to reach the request table, explained. */
    static CliException missingTable(JdbiEventStore opened, StoreAccessException e) {
        return new CliException(ExitCodes.DATABASE, Text.error(e.getMessage()) + ". Rebuild requests need schema"
                + " version 9 (this store is at version " + opened.raw().stats().schemaVersion() + "); start the"
                + " application once with a current eskit to migrate it.", e);
    }

    /**
     * Requests a rebuild of {@code name} (or joins the one running) and follows it; returns the exit code.
     *
     * @param pickup  how long a request may wait for a node before it is withdrawn
     * @param timeout how long to follow in all (zero: no limit)
     */
    static int run(StoreOptions options, JdbiEventStore opened, String name, Duration interval, Duration pickup,
                   Duration timeout, PrintWriter out) {
        JdbiRebuildRequests requests = requests(options, opened);
        long started = System.nanoTime();
        long deadline = timeout.isZero() ? Long.MAX_VALUE : started + timeout.toNanos();
        RebuildRequest request;
        try {
            request = requests.request(name);
        } catch (StoreAccessException e) {
            throw missingTable(opened, e);
        }
        if (request.runningNow()) {
            print(out, "A shadow rebuild of \"" + Text.safe(name) + "\" is already running on node "
                    + Text.safe(request.node()) + "; following it.");
        } else {
            print(out, "Requested a shadow rebuild of \"" + Text.safe(name) + "\"; waiting for an application node"
                    + " with a RebuildRequestWatcher for it to pick it up.");
        }
        String lastNode = null;
        int lastAttempt = 0;
        boolean orphanShown = false;
        while (true) {
            Optional<RebuildRequest> now = requests.find(name);
            if (now.isEmpty()) {
                throw new CliException(ExitCodes.CHECK_FAILED, "The rebuild request of \"" + name + "\" was removed"
                        + " while it was being followed.");
            }
            RebuildRequest r = now.get();
            if (r.state() == RebuildState.DONE) {
                print(out, "Swapped: \"" + Text.safe(name) + "\" now serves the rebuilt tables ("
                        + Text.safe(r.message()) + ", node " + Text.safe(r.node()) + ").");
                return ExitCodes.OK;
            }
            if (r.state() == RebuildState.FAILED) {
                throw new CliException(ExitCodes.CHECK_FAILED, "The shadow rebuild of \"" + name + "\" failed on node "
                        + r.node() + ": " + r.message() + " The live tables are unchanged.");
            }
            if (r.state() == RebuildState.REQUESTED && System.nanoTime() - started - pickup.toNanos() >= 0
                    && requests.cancel(name)) {
                throw new CliException(ExitCodes.CHECK_FAILED, "No application node picked up the rebuild of \""
                        + name + "\" within " + pickup.toMillis() + " ms, so the request was withdrawn. Run a node"
                        + " that registers this projection with a RebuildRequestWatcher (see docs/operations.md),"
                        + " or give it longer with --pickup-timeout-ms.");
            }
            if (r.state() == RebuildState.RUNNING) {
                if (!r.node().equals(lastNode) || r.attempts() != lastAttempt) {
                    print(out, "Node " + Text.safe(r.node()) + " is rebuilding \"" + Text.safe(name) + "\" (attempt "
                            + r.attempts() + ", tables " + Text.safe(String.join(", ", r.tables())) + ").");
                    lastNode = r.node();
                    lastAttempt = r.attempts();
                    orphanShown = false;
                }
                if (!r.leaseHeld()) {
                    if (!orphanShown) {
                        print(out, "Node " + Text.safe(r.node()) + " stopped reporting (its lease ran out); waiting"
                                + " for another node to take the rebuild over. The live tables keep serving.");
                        orphanShown = true;
                    }
                } else if (r.remaining() >= 0) {
                    print(out, String.format("%s: %,d events to go, %,.0f events/s, ETA %s", Text.safe(name),
                            r.remaining(), r.eventsPerSecond(),
                            r.eta().map(d -> d.toSeconds() + " s").orElse("unknown")));
                }
            }
            if (System.nanoTime() - deadline >= 0) {
                print(out, "Still " + r.state().name().toLowerCase(java.util.Locale.ROOT) + "; stopped following"
                        + " (--timeout-ms). Run the same command again to follow it; it does not start a second"
                        + " rebuild.");
                return ExitCodes.CHECK_FAILED;
            }
            LockSupport.parkNanos(interval.toNanos());
        }
    }

    private static void print(PrintWriter out, String line) {
        out.println(line);
        out.flush();
    }
}
