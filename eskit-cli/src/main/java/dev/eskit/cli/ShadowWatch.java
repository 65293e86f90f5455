package dev.eskit.cli;

import dev.eskit.Position;
import dev.eskit.jdbi.CheckpointInfo;
import dev.eskit.jdbi.JdbiEventStore;
import dev.eskit.projection.rebuild.ShadowRebuild;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.locks.LockSupport;

/**
 * {@code eskit projections rebuild NAME --shadow}: follows a shadow rebuild the application runs
 * ({@link ShadowRebuild}, which needs the projection's code), by its checkpoint {@code NAME#shadow}: prints how many
 * events are left, the rate and the ETA every interval, until the checkpoint disappears (the swap committed).
 */
final class ShadowWatch {

    private ShadowWatch() {
    }

    /** Watches until the swap, or until {@code timeout} (zero: no limit); returns the exit code. */
    static int watch(JdbiEventStore store, String name, Duration interval, Duration timeout, PrintWriter out) {
        String shadow = ShadowRebuild.shadowName(name);
        long deadline = timeout.isZero() ? Long.MAX_VALUE : System.nanoTime() + timeout.toNanos();
        Optional<Position> first = find(store, shadow);
        if (first.isEmpty()) {
            throw new CliException(ExitCodes.NOT_FOUND, "No shadow rebuild of \"" + name + "\" is running (no"
                    + " checkpoint \"" + shadow + "\"). Start one in the application with ShadowRebuild.run(...);"
                    + " this command follows it.");
        }
        Position last = first.get();
        long lastNanos = System.nanoTime();
        while (true) {
            long remaining = store.raw().countAfter(last, Set.of());
            out.printf("%s at %s: %,d events to go%n", Text.safe(shadow), last.toToken(), remaining);
            out.flush();
            if (System.nanoTime() - deadline >= 0) {
                out.println("Still rebuilding; stopped watching (--timeout-ms).");
                out.flush();
                return ExitCodes.CHECK_FAILED;
            }
            LockSupport.parkNanos(interval.toNanos());
            Optional<Position> now = find(store, shadow);
            if (now.isEmpty()) {
                out.println("Swapped: \"" + Text.safe(name) + "\" now serves the rebuilt tables.");
                out.flush();
                return ExitCodes.OK;
            }
            long nanos = System.nanoTime();
            long handled = Math.max(0, remaining - store.raw().countAfter(now.get(), Set.of()));
            double rate = handled / Math.max(1e-9, (nanos - lastNanos) / 1e9);
            long left = store.raw().countAfter(now.get(), Set.of());
            out.printf("  %,.0f events/s, ETA %s%n", rate, rate > 0 ? Math.round(left / rate) + " s" : "unknown");
            last = now.get();
            lastNanos = nanos;
        }
    }

    private static Optional<Position> find(JdbiEventStore store, String shadow) {
        return store.raw().checkpoints().stream().filter(c -> c.name().equals(shadow)).map(CheckpointInfo::position)
                .findFirst();
    }
}
