package dev.eskit.projection.rebuild;

import dev.eskit.InvalidInputException;
import dev.eskit.Names;
import dev.eskit.Position;
import dev.eskit.subscription.Subscription;
import dev.eskit.subscription.SubscriptionException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Runs, on an application node, the shadow rebuilds that {@code eskit projections rebuild NAME --shadow} asks for.
 * The tool cannot run the projection's code, so it writes a request ({@link RebuildRequests#request}); every node with
 * a watcher for that projection polls for it, one claims it with a lease, runs the {@link ShadowRebuild} (renewing the
 * lease and reporting progress about every second, which the tool prints), and records the outcome. After a swap the
 * watcher builds and starts the rebuilt projection ({@link ShadowRebuild#subscription()}) and hands it to
 * {@code swapped}; when the node dies mid-rebuild its lease runs out and another node's watcher starts the rebuild
 * again (the dead run's shadow tables are dropped first).
 *
 * <pre>{@code
 * AtomicReference<Subscription> balances = new AtomicReference<>(rebuild.subscription().build().start());
 * RebuildRequestWatcher watcher = RebuildRequestWatcher.builder(JdbiRebuildRequests.create(jdbi, store), "node-1")
 *     .projection(rebuild, balances::get, balances::set)
 *     .start();
 * }</pre>
 *
 * Register a projection on the nodes that run its live subscription (the rebuild stops it for the swap). One thread
 * serves every projection of the watcher, one rebuild at a time.
 */
public final class RebuildRequestWatcher implements AutoCloseable {

    private record Entry(ShadowRebuild<?> rebuild, Supplier<Subscription> live, Consumer<Subscription> swapped) {
    }

    private final RebuildRequests requests;
    private final String node;
    private final List<Entry> entries;
    private final Duration pollEvery;
    private final Duration lease;
    private final Duration timeout;
    private final ScheduledExecutorService executor;
    private volatile Throwable lastError;

    private RebuildRequestWatcher(Builder builder) {
        this.requests = builder.requests;
        this.node = builder.node;
        this.entries = List.copyOf(builder.entries);
        this.pollEvery = builder.pollEvery;
        this.lease = builder.lease;
        this.timeout = builder.timeout;
        this.executor = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "eskit-rebuild-requests-" + node);
            thread.setDaemon(true);
            return thread;
        });
    }

    /** A builder for a watcher on {@code requests} that claims requests as node {@code node}. */
    public static Builder builder(RebuildRequests requests, String node) {
        return new Builder(requests, node);
    }

    /** Polls once: claims and runs at most one request of each projection. Called by the watcher's thread. */
    public void pollOnce() {
        for (Entry entry : entries) {
            try {
                Optional<RebuildRequest> claimed = requests.tryClaim(entry.rebuild().name(), node,
                        entry.rebuild().tables(), lease);
                if (claimed.isPresent()) {
                    runClaimed(entry);
                }
            } catch (RuntimeException e) {
                lastError = e;
            }
        }
    }

    private void runClaimed(Entry entry) {
        String name = entry.rebuild().name();
        Position reached;
        try {
            reached = run(entry.rebuild(), entry.live().get());
        } catch (Exception e) {
            lastError = e;
            requests.finish(name, node, false, e.getMessage() == null ? e.toString() : e.getMessage());
            return;
        }
        requests.finish(name, node, true, "swapped; the rebuilt projection continues after " + reached.toToken());
        Subscription rebuilt = entry.rebuild().subscription().build();
        rebuilt.start();
        entry.swapped().accept(rebuilt);
    }

    /**
     * Runs {@code rebuild}, reporting progress (which renews the lease) and, inside the swap's transaction, checking
     * that this node still holds the request ({@link RebuildRequests#holdsAtSwap}).
     */
    private <T> Position run(ShadowRebuild<T> rebuild, Subscription live) throws Exception {
        String name = rebuild.name();
        return rebuild.run(live, timeout, report -> {
            if (!requests.progress(name, node, report, lease)) {
                throw lost(name);
            }
        }, transaction -> {
            if (!requests.holdsAtSwap(transaction, name, node, lease)) {
                throw lost(name);
            }
        });
    }

    private SubscriptionException lost(String name) {
        return new SubscriptionException("Node \"" + node + "\" lost the rebuild request of \"" + name
                + "\" (its lease ran out and another node took it over); stopping before the swap.");
    }

    /** Starts polling every {@code pollEvery}; returns this watcher. */
    public RebuildRequestWatcher start() {
        executor.scheduleWithFixedDelay(this::pollOnce, 0, pollEvery.toMillis(), TimeUnit.MILLISECONDS);
        return this;
    }

    /** The last failure of a poll or a rebuild, if any (the failed rebuild is also recorded on its request). */
    public Optional<Throwable> lastError() {
        return Optional.ofNullable(lastError);
    }

    /** Stops polling; a rebuild under way is interrupted (and fails before the swap). */
    @Override
    public void close() {
        executor.shutdownNow();
        try {
            executor.awaitTermination(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Options of a {@link RebuildRequestWatcher}; at least one {@link #projection} is required. */
    public static final class Builder {
        private final RebuildRequests requests;
        private final String node;
        private final List<Entry> entries = new ArrayList<>();
        private Duration pollEvery = Duration.ofSeconds(2);
        private Duration lease = Duration.ofSeconds(30);
        private Duration timeout = Duration.ofHours(6);

        private Builder(RebuildRequests requests, String node) {
            this.requests = Objects.requireNonNull(requests, "requests");
            this.node = Names.check("Node name", node);
        }

        /**
         * Serves rebuild requests of {@code rebuild}'s projection: {@code live} gives its running subscription (the
         * rebuild stops it for the swap), {@code swapped} receives the rebuilt projection's subscription, started.
         */
        public Builder projection(ShadowRebuild<?> rebuild, Supplier<Subscription> live,
                                  Consumer<Subscription> swapped) {
            entries.add(new Entry(Objects.requireNonNull(rebuild, "rebuild"), Objects.requireNonNull(live, "live"),
                    Objects.requireNonNull(swapped, "swapped")));
            return this;
        }

        /** How often to look for requests (default 2 s). */
        public Builder pollEvery(Duration value) {
            this.pollEvery = positive("pollEvery", value);
            return this;
        }

        /**
         * How long a claim lasts without a progress report (default 30 s); another node takes a request over this
         * long after its node stopped reporting. Keep it well above the rebuild's {@code progressEvery}.
         */
        public Builder lease(Duration value) {
            this.lease = positive("lease", value);
            return this;
        }

        /** How long one rebuild may take before it gives up, before the swap (default 6 h). */
        public Builder timeout(Duration value) {
            this.timeout = positive("timeout", value);
            return this;
        }

        /**
         * Builds the watcher (not started).
         *
         * @throws InvalidInputException when no projection was given
         */
        public RebuildRequestWatcher build() {
            if (entries.isEmpty()) {
                throw new InvalidInputException("A rebuild request watcher needs at least one projection(...).");
            }
            return new RebuildRequestWatcher(this);
        }

        /** Builds and starts the watcher. */
        public RebuildRequestWatcher start() {
            return build().start();
        }

        private static Duration positive(String option, Duration value) {
            if (value == null || value.isNegative() || value.isZero()) {
                throw new InvalidInputException(option + " " + value + " must be positive.");
            }
            return value;
        }
    }
}
