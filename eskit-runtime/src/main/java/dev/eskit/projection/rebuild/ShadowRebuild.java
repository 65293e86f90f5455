package dev.eskit.projection.rebuild;

import dev.eskit.EventStore;
import dev.eskit.InvalidInputException;
import dev.eskit.Names;
import dev.eskit.Position;
import dev.eskit.subscription.CheckpointStore;
import dev.eskit.subscription.Subscription;
import dev.eskit.subscription.SubscriptionException;
import dev.eskit.subscription.TransactionalHandler;
import dev.eskit.subscription.Transactor;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.UnaryOperator;

/**
 * Rebuilds a transactional projection without taking it offline: a second subscription, {@code <name>#shadow}, reads
 * the log from the start into shadow tables (the projection's table names with a suffix of this run) while the live
 * subscription and its tables keep serving; once the shadow has caught up, the live subscription is stopped, the
 * shadow reads the last events, and one transaction replaces each live table by its shadow and moves the shadow's
 * checkpoint to the projection's name; then the rebuilt projection ({@link #subscription()}) runs on the new tables. Readers see the old
 * tables until that commit and the new ones after it; the live projection pauses only for the last catch-up and the
 * swap. If the rebuild fails or the process dies before the swap, the live tables and checkpoint are untouched; the
 * leftover shadow tables, named {@code <table>_s<run>}, are dropped when the next rebuild starts
 * ({@link TableSwap#dropLeftovers}) or by {@code eskit projections cleanup}. Do not run two rebuilds of one projection
 * at once (a {@link RebuildRequestWatcher} makes sure of that across nodes).
 *
 * <p>The projection names its tables through a resolver, so the same code writes the live tables and the shadow:
 * <pre>{@code
 * ShadowRebuild<Handle> rebuild = ShadowRebuild.builder("balances", store, store.checkpoints(),
 *         JdbiTransactor.of(jdbi, store), JdbiTableSwap.create())
 *     .tables("balances")
 *     .create((handle, table) -> handle.execute("CREATE TABLE " + table.apply("balances")
 *         + " (account text PRIMARY KEY, cents bigint NOT NULL)"))
 *     .handler(table -> (handle, event) -> handle.execute("INSERT INTO " + table.apply("balances") + " ..."))
 *     .subscription(shadow -> shadow.eventTypes("bank.Deposited"))
 *     .progress(p -> log.info(p.describe()))
 *     .build();
 * rebuild.run(liveSubscription, Duration.ofHours(1));
 * Subscription balances = rebuild.subscription().build().start();   // the rebuilt projection, live
 * }</pre>
 *
 * @param <T> the transaction object of the projection's {@link Transactor}
 */
public final class ShadowRebuild<T> {

    /** Creates a projection's tables under the names a resolver gives, inside a transaction. */
    @FunctionalInterface
    public interface Tables<T> {
        /** Creates every table of the projection, each named {@code names.apply(table)}. */
        void create(T transaction, UnaryOperator<String> names) throws Exception;
    }

    /**
     * A check that runs inside the swap's transaction, before the tables are swapped: it throws to roll the swap back
     * (the live tables and checkpoint then stay as they are). A {@link RebuildRequestWatcher} uses it to make sure its
     * node still holds the rebuild request's lease when the swap commits ({@link RebuildRequests#holdsAtSwap}).
     */
    @FunctionalInterface
    public interface SwapCheck<T> {
        /** Checks in {@code transaction}, the swap's; throws to refuse the swap. */
        void check(T transaction) throws Exception;
    }

    private final String name;
    private final EventStore store;
    private final CheckpointStore checkpoints;
    /** The live checkpoint's name as the transactor stores it (tenant-prefixed on a tenant's store). */
    private final String checkpointName;
    private final Transactor<T> transactor;
    private final TableSwap<T> swap;
    private final List<String> tables;
    private final Tables<T> create;
    private final Function<UnaryOperator<String>, TransactionalHandler<T>> handler;
    private final Consumer<Subscription.Builder> settings;
    private final Consumer<ShadowProgress> progress;
    private final Duration progressEvery;

    private ShadowRebuild(Builder<T> builder) {
        this.name = builder.name;
        this.store = builder.store;
        // On a tenant's event store: the tenant's checkpoints, as the subscriptions it builds use them.
        this.checkpoints = dev.eskit.tenancy.TenantScope.adopt(builder.store, builder.checkpoints);
        this.checkpointName = dev.eskit.tenancy.TenantScope.of(builder.store)
                .map(scope -> scope.name("Subscription name", builder.name)).orElse(builder.name);
        this.transactor = builder.transactor;
        this.swap = builder.swap;
        this.tables = List.copyOf(builder.tables);
        this.create = builder.create;
        this.handler = builder.handler;
        this.settings = builder.settings;
        this.progress = builder.progress;
        this.progressEvery = builder.progressEvery;
    }

    /**
     * A builder for rebuilding projection {@code name} (its subscription and checkpoint name) whose transactions run
     * on {@code transactor}; {@code swap} replaces its tables.
     */
    public static <T> Builder<T> builder(String name, EventStore store, CheckpointStore checkpoints,
                                         Transactor<T> transactor, TableSwap<T> swap) {
        return new Builder<>(name, store, checkpoints, transactor, swap);
    }

    /** The name of the shadow's subscription and checkpoint: {@code <name>#shadow}. */
    public static String shadowName(String name) {
        return Names.check("Subscription name", name + "#shadow");
    }

    /**
     * Rebuilds into shadow tables and swaps them in, as described above. {@code live} is the projection's running
     * subscription: it is stopped for the last catch-up and the swap and left stopped after a swap (start the rebuilt
     * projection with {@link #subscription()}), or started again when the rebuild fails before the swap. Run it on
     * the node that runs {@code live}, not on a subscription a {@code LeaderSupervisor} restarts by itself.
     *
     * @return the position the rebuilt projection starts from
     * @throws SubscriptionException when the shadow does not catch up within {@code timeout} or stops with an error;
     *                               the live tables are then unchanged
     */
    public Position run(Subscription live, Duration timeout) throws Exception {
        return run(live, timeout, report -> { });
    }

    /**
     * {@link #run(Subscription, Duration)}, also telling {@code listener} each progress report and, once more, just
     * before the swap (with nothing to go). When {@code listener} throws, the rebuild stops before the swap, the live
     * tables stay as they are, and the exception is thrown from here.
     */
    public Position run(Subscription live, Duration timeout, Consumer<ShadowProgress> listener) throws Exception {
        return run(live, timeout, listener, transaction -> { });
    }

    /**
     * {@link #run(Subscription, Duration, Consumer)}, also running {@code beforeSwap} inside the swap's transaction
     * before the tables are swapped; when it throws, the swap rolls back, the live tables and checkpoint stay as they
     * are, the live subscription is started again, and the exception is thrown from here.
     */
    public Position run(Subscription live, Duration timeout, Consumer<ShadowProgress> listener,
                        SwapCheck<T> beforeSwap) throws Exception {
        Objects.requireNonNull(live, "live");
        Objects.requireNonNull(listener, "listener");
        Objects.requireNonNull(beforeSwap, "beforeSwap");
        long deadline = dev.eskit.internal.Deadlines.after(timeout);
        String suffix = "_s" + String.format("%013d", System.currentTimeMillis());
        Map<String, String> shadows = new LinkedHashMap<>();
        for (String table : tables) {
            shadows.put(table, table + suffix);
        }
        UnaryOperator<String> shadowNames = table -> {
            String shadow = shadows.get(table);
            if (shadow == null) {
                throw new InvalidInputException("Table \"" + table + "\" is not one of the projection's tables "
                        + tables + ". Name every table it writes in tables(...).");
            }
            return shadow;
        };
        transactor.inTransaction(transaction -> {
            for (String table : tables) {
                swap.dropLeftovers(transaction, table);
            }
            create.create(transaction, shadowNames);
        });
        String shadowName = shadowName(name);
        checkpoints.delete(shadowName);
        Subscription.Builder builder = Subscription.builder(shadowName, store, checkpoints);
        settings.accept(builder);
        Subscription shadow = builder.transactional(transactor, handler.apply(shadowNames)).build();
        boolean liveWasRunning = live.isRunning();
        boolean swapped = false;
        shadow.start();
        try {
            try {
                awaitCaughtUp(shadow, deadline, progress.andThen(listener));
            } catch (SubscriptionException e) {
                throw new SubscriptionException("The shadow rebuild of \"" + name + "\" stopped: " + e.getMessage()
                        + " The live tables are unchanged; fix the cause and run it again.", e);
            }
            live.stop();
            // The live projection is stopped: read the last events, then swap.
            Position head = store.latestPosition();
            if (!shadow.awaitPosition(head, left(deadline))) {
                throw timedOut(shadow);
            }
            shadow.stop();
            Position reached = checkpoints.load(shadowName).orElse(Position.START);
            listener.accept(progress(reached, reached, 0));
            transactor.inTransaction(transaction -> {
                beforeSwap.check(transaction);
                for (Map.Entry<String, String> table : shadows.entrySet()) {
                    swap.swap(transaction, table.getKey(), table.getValue());
                }
                transactor.saveCheckpoint(transaction, checkpointName, reached);
            });
            checkpoints.delete(shadowName);
            swapped = true;
            return reached;
        } finally {
            shadow.stop();
            if (!swapped && liveWasRunning && !live.isRunning()) {
                // Failed before the swap: the old projection goes on as it was.
                live.start();
            }
        }
    }

    /**
     * The projection's live subscription with the rebuilt handler on the live table names; build and start it after
     * {@link #run} (or use it to run the projection normally).
     */
    public Subscription.Builder subscription() {
        Subscription.Builder builder = Subscription.builder(name, store, checkpoints);
        settings.accept(builder);
        return builder.transactional(transactor, handler.apply(UnaryOperator.identity()));
    }

    /** The projection's name. */
    public String name() {
        return name;
    }

    /** The projection's tables, as its handler names them. */
    public List<String> tables() {
        return tables;
    }

    private void awaitCaughtUp(Subscription shadow, long deadline, Consumer<ShadowProgress> progress) {
        Position lastPosition = shadow.position();
        long lastNanos = System.nanoTime();
        while (!shadow.awaitCaughtUp(Duration.ofNanos(Math.min(progressEvery.toNanos(), left(deadline).toNanos())))) {
            if (!shadow.isRunning() && shadow.state() != dev.eskit.subscription.SubscriptionState.NEW) {
                throw new SubscriptionException("The shadow rebuild of \"" + name + "\" stopped: "
                        + shadow.failure().or(shadow::lastError).map(Throwable::toString).orElse("unknown")
                        + ". The live tables are unchanged; fix the cause and run it again.");
            }
            if (System.nanoTime() - deadline >= 0) {
                throw timedOut(shadow);
            }
            if (Thread.currentThread().isInterrupted()) {
                throw new SubscriptionException("The shadow rebuild of \"" + name + "\" was interrupted (at "
                        + shadow.position() + "). The live tables are unchanged.");
            }
            long now = System.nanoTime();
            Position at = shadow.position();
            progress.accept(progress(at, store.latestPosition(), (at.sequence() - lastPosition.sequence())
                    / Math.max(1e-9, (now - lastNanos) / 1e9)));
            lastPosition = at;
            lastNanos = now;
        }
    }

    /** A progress report at {@code rate} events per second. */
    static ShadowProgress progress(Position at, Position head, double rate) {
        long remaining = Math.max(0, head.sequence() - at.sequence());
        Optional<Duration> eta = rate > 0 ? Optional.of(Duration.ofMillis((long) (remaining / rate * 1000)))
                : Optional.empty();
        return new ShadowProgress(at, head, remaining, Math.max(0, rate), eta);
    }

    private SubscriptionException timedOut(Subscription shadow) {
        return new SubscriptionException("The shadow rebuild of \"" + name + "\" did not catch up in time (at "
                + shadow.position() + "). The live tables are unchanged; give it more time.");
    }

    private static Duration left(long deadline) {
        return Duration.ofNanos(Math.max(1, deadline - System.nanoTime()));
    }

    /** Options for a {@link ShadowRebuild}; {@link #tables}, {@link #create} and {@link #handler} are required. */
    public static final class Builder<T> {
        private final String name;
        private final EventStore store;
        private final CheckpointStore checkpoints;
        private final Transactor<T> transactor;
        private final TableSwap<T> swap;
        private final List<String> tables = new ArrayList<>();
        private Tables<T> create;
        private Function<UnaryOperator<String>, TransactionalHandler<T>> handler;
        private Consumer<Subscription.Builder> settings = builder -> { };
        private Consumer<ShadowProgress> progress = report -> { };
        private Duration progressEvery = Duration.ofSeconds(1);

        private Builder(String name, EventStore store, CheckpointStore checkpoints, Transactor<T> transactor,
                        TableSwap<T> swap) {
            this.name = Names.check("Projection name", name);
            this.store = Objects.requireNonNull(store, "store");
            this.checkpoints = Objects.requireNonNull(checkpoints, "checkpoints");
            this.transactor = Objects.requireNonNull(transactor, "transactor");
            this.swap = Objects.requireNonNull(swap, "swap");
        }

        /** The projection's tables, as its handler names them (such as {@code "balances"}). */
        public Builder<T> tables(String... names) {
            for (String table : names) {
                tables.add(Names.check("Table name", table));
            }
            return this;
        }

        /** Creates the projection's tables under the names it is given (the shadow names during a rebuild). */
        public Builder<T> create(Tables<T> value) {
            this.create = Objects.requireNonNull(value, "create");
            return this;
        }

        /** Makes the projection's handler for a table-name resolver: it must write every table through it. */
        public Builder<T> handler(Function<UnaryOperator<String>, TransactionalHandler<T>> value) {
            this.handler = Objects.requireNonNull(value, "handler");
            return this;
        }

        /** Settings of the shadow's subscription, such as its event types and batch size (as the live one's). */
        public Builder<T> subscription(Consumer<Subscription.Builder> value) {
            this.settings = Objects.requireNonNull(value, "subscription");
            return this;
        }

        /** Called about every {@code progressEvery} (default 1 s) while the shadow catches up. */
        public Builder<T> progress(Consumer<ShadowProgress> value) {
            this.progress = Objects.requireNonNull(value, "progress");
            return this;
        }

        /** How often {@link #progress} is called (default 1 s). */
        public Builder<T> progressEvery(Duration value) {
            if (value == null || value.isNegative() || value.isZero()) {
                throw new InvalidInputException("progressEvery " + value + " must be positive.");
            }
            this.progressEvery = value;
            return this;
        }

        /**
         * Builds it.
         *
         * @throws InvalidInputException when tables, create or handler is missing
         */
        public ShadowRebuild<T> build() {
            if (tables.isEmpty() || create == null || handler == null) {
                throw new InvalidInputException("Shadow rebuild of \"" + name + "\" needs tables(...), create(...)"
                        + " and handler(...): the tables it swaps, how to create them, and its handler.");
            }
            return new ShadowRebuild<>(this);
        }
    }
}
