package dev.eskit.todo;

import dev.eskit.EventStore;
import dev.eskit.InvalidInputException;
import dev.eskit.Names;
import dev.eskit.Retry;
import dev.eskit.internal.WorkerLoop;
import dev.eskit.internal.WorkerLoop.Next;
import dev.eskit.subscription.AppendNotifier;
import dev.eskit.subscription.Backoff;
import dev.eskit.subscription.DeadLetter;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.function.BooleanSupplier;

/**
 * Works through a todo list with a pool of worker threads: each worker claims a few items with a lease, processes
 * them with the {@link TodoHandler}, and completes them, or records the failure so that the item is retried after an
 * exponential backoff and, after the last attempt, marked {@link TodoStatus#DEAD}. An item claimed by a worker that
 * died becomes claimable again when its lease ends.
 *
 * <p>Many processors may work on one list at once, in one JVM or on many nodes: the store never hands one item to two
 * workers while a lease lasts, and a worker checks, before each item, that its claim's lease has not ended (by the
 * processor's {@link Builder#clock clock}) and that its {@link Builder#guard guard}, if any, still holds. A processor
 * that must run on one node at a time is supervised by a {@code LeaderSupervisor}, which gives it its leadership as
 * the guard: a node that lost its leadership stops before its next item, before another node can start.
 *
 * <pre>{@code
 * TodoProcessor emails = TodoProcessor.builder("welcome-emails", todos, item -> mailer.sendWelcome(item.payload()))
 *     .workers(4)
 *     .lease(Duration.ofMinutes(2))
 *     .build()
 *     .start();
 * }</pre>
 */
public final class TodoProcessor implements AutoCloseable {

    private final String list;
    private final TodoStore store;
    private final TodoHandler handler;
    private final int workers;
    private final int batchSize;
    private final Duration lease;
    private final Retry retry;
    private final long pollIntervalNanos;
    private final AppendNotifier notifier;
    private final String workerPrefix;
    private final Clock clock;
    /** The guard, or null when the processor has none. */
    private final BooleanSupplier guard;

    private final WorkerLoop loop = new WorkerLoop();
    private volatile Throwable failure;
    private volatile Throwable lastError;
    private AppendNotifier.Registration registration;

    private TodoProcessor(Builder builder) {
        this.list = builder.list;
        this.store = builder.store;
        this.handler = builder.handler;
        this.workers = builder.workers;
        this.batchSize = builder.batchSize;
        this.lease = builder.lease;
        this.retry = builder.retry;
        this.pollIntervalNanos = builder.pollInterval.toNanos();
        this.notifier = builder.notifier;
        this.workerPrefix = builder.workerPrefix;
        this.clock = builder.clock;
        this.guard = builder.guard;
    }

    /** A builder for a processor of todo list {@code list} in {@code store}, doing the work with {@code handler}. */
    public static Builder builder(String list, TodoStore store, TodoHandler handler) {
        return new Builder(list, store, handler);
    }

    /** The todo list's name. */
    public String list() {
        return list;
    }

    /** Whether its workers run. */
    public boolean isRunning() {
        return loop.isRunning();
    }

    /** The {@link Error} that stopped it, if any. */
    public Optional<Throwable> failure() {
        return Optional.ofNullable(failure);
    }

    /** The latest failure it recorded: a handler exception, a store failure, a lost lease or guard. */
    public Optional<Throwable> lastError() {
        return Optional.ofNullable(lastError);
    }

    /**
     * Starts the workers. A stopped processor may be started again.
     *
     * @throws TodoException when it is running
     */
    public synchronized TodoProcessor start() {
        if (isRunning()) {
            throw new TodoException("Todo processor \"" + list + "\" is already running. Call stop() first.");
        }
        failure = null;
        registration = notifier == null ? null : notifier.onAppend(this::wake);
        loop.start(workers, i -> {
            String worker = workerPrefix + "-" + i;
            Thread thread = new Thread(() -> work(worker), "eskit-todo-" + list + "-" + i);
            thread.setDaemon(true);
            return thread;
        });
        return this;
    }

    /** Wakes the workers to claim now instead of at their next poll. */
    public void wake() {
        loop.wake();
    }

    /**
     * Stops gracefully and waits: each worker finishes the item it is processing; items it claimed but did not start
     * are given back (pending again at once, the attempt still counted).
     */
    public void stop() {
        loop.requestStop();
        synchronized (this) {
            if (registration != null) {
                registration.close();
                registration = null;
            }
        }
        loop.join(Duration.ofDays(365));
    }

    /** Same as {@link #stop()}. */
    @Override
    public void close() {
        stop();
    }

    /**
     * Processes, on the calling thread, everything claimable now, until a claim comes back empty: for tests, scripts
     * and batch jobs. Do not call it while the processor is running on the same worker name.
     *
     * @return how many items it processed (successfully or not)
     */
    public int runOnce() {
        String worker = workerPrefix + "-once";
        int processed = 0;
        while (guardHolds()) {
            List<TodoClaim> claims = store.claim(list, worker, batchSize, lease);
            if (claims.isEmpty()) {
                return processed;
            }
            for (int i = 0; i < claims.size(); i++) {
                if (!guardHolds()) {
                    giveBack(claims.subList(i, claims.size()));
                    return processed;
                }
                if (leaseLeft(claims.get(i))) {
                    process(claims.get(i));
                    processed++;
                }
            }
        }
        return processed;
    }

    private void work(String worker) {
        try {
            loop.loop(() -> turn(worker));
        } catch (Error fatal) {
            failure = fatal;
            // Its claims stay claimed until their leases end, as after a crash.
            loop.requestStop();
        }
    }

    /** Claims a batch and processes it, checking the guard and each claim's lease before each item. */
    private Next turn(String worker) {
        if (!guardHolds()) {
            return Next.exit();
        }
        List<TodoClaim> claims;
        try {
            claims = store.claim(list, worker, batchSize, lease);
        } catch (RuntimeException e) {
            lastError = e;
            return Next.backOff(retry.maxDelay().toNanos());
        }
        if (claims.isEmpty()) {
            return Next.idle(pollIntervalNanos);
        }
        for (int i = 0; i < claims.size(); i++) {
            // A node that lost its leadership stops before its next item, before another node can start.
            if (loop.stopRequested() || !guardHolds()) {
                giveBack(claims.subList(i, claims.size()));
                break;
            }
            if (leaseLeft(claims.get(i))) {
                process(claims.get(i));
            }
        }
        return Next.again();
    }

    /**
     * Asks the guard whether this node may still act; when not (or when it fails), asks the workers to stop and
     * records why.
     */
    private boolean guardHolds() {
        if (guard == null) {
            return true;
        }
        boolean holds;
        try {
            holds = guard.getAsBoolean();
        } catch (RuntimeException e) {
            holds = false;
        }
        if (!holds) {
            loop.requestStop();
            lastError = new TodoException("Todo processor \"" + list + "\" stopped because its guard (such as its"
                    + " leadership) no longer holds. Another node may be running it; start it again only when the"
                    + " guard holds again.");
        }
        return holds;
    }

    /** Whether {@code claim}'s lease has not ended yet; otherwise another worker may have the item now. */
    private boolean leaseLeft(TodoClaim claim) {
        if (clock.instant().isBefore(claim.leaseUntil())) {
            return true;
        }
        lastError = new TodoException("The lease on todo item \"" + claim.item().id() + "\" of \"" + list
                + "\" ended before its worker got to it; it was left for another claim. Use a lease longer than"
                + " processing a batch takes, or a smaller batch.");
        return false;
    }

    private void process(TodoClaim claim) {
        Exception problem = null;
        try {
            handler.process(claim.item());
        } catch (Exception e) {
            problem = e;
        }
        boolean held;
        try {
            if (problem == null) {
                held = store.complete(claim);
            } else {
                lastError = problem;
                int attempts = claim.item().attempts();
                held = store.fail(claim, DeadLetter.describe(problem), retry.allowsAnotherAfter(attempts)
                        ? clock.instant().plus(retry.pauseAfter(attempts)) : null);
            }
        } catch (RuntimeException e) {
            // The lease ends and the item is claimed again: at least once.
            lastError = e;
            return;
        }
        if (!held) {
            lastError = new TodoException("The lease on todo item \"" + claim.item().id() + "\" of \"" + list
                    + "\" ended before it was processed; another worker has it now. Use a lease longer than the"
                    + " longest processing time.");
        }
    }

    private void giveBack(List<TodoClaim> claims) {
        for (TodoClaim claim : claims) {
            try {
                store.fail(claim, "given back: the worker stopped before processing it", clock.instant());
            } catch (RuntimeException e) {
                lastError = e;
            }
        }
    }

    /** Options for a {@link TodoProcessor}. */
    public static final class Builder {
        private final String list;
        private final TodoStore store;
        private final TodoHandler handler;
        private int workers = 1;
        private int batchSize = 10;
        private Duration lease = Duration.ofSeconds(30);
        private Retry retry = Retry.defaults();
        private Duration pollInterval = Duration.ofSeconds(1);
        private AppendNotifier notifier;
        private String workerPrefix = "worker-" + UUID.randomUUID().toString().substring(0, 8);
        private Clock clock = Clock.systemUTC();
        private BooleanSupplier guard;

        private Builder(String list, TodoStore store, TodoHandler handler) {
            this.list = Names.check("Todo list name", list);
            this.store = Objects.requireNonNull(store, "store");
            this.handler = Objects.requireNonNull(handler, "handler");
            this.notifier = store instanceof AppendNotifier appendNotifier ? appendNotifier : null;
        }

        /** Worker threads (default 1, at most 256). */
        public Builder workers(int value) {
            if (value < 1 || value > 256) {
                throw new InvalidInputException("workers " + value + " is out of range. Use 1 to 256.");
            }
            this.workers = value;
            return this;
        }

        /** Items a worker claims at once (default 10). */
        public Builder batchSize(int value) {
            EventStore.checkReadLimit(value);
            this.batchSize = value;
            return this;
        }

        /** How long a claim lasts (default 30 s); longer than the longest processing of a batch. */
        public Builder lease(Duration value) {
            this.lease = TodoStore.checkLease(value);
            return this;
        }

        /** The todo list's name. */
        public String list() {
            return list;
        }

        /**
         * Attempts per item and the delays between them (default {@link Retry#defaults()}: 5 attempts, 100 ms
         * doubling up to 10 s); a failing store is claimed from again after the longest delay.
         */
        public Builder retry(Retry value) {
            this.retry = Objects.requireNonNull(value, "retry");
            return this;
        }

        /**
         * Same as {@link #retry(Retry)} with {@code value.toRetry()}.
         *
         * @deprecated use {@link #retry(Retry)}
         */
        @Deprecated
        public Builder retry(Backoff value) {
            return retry(Objects.requireNonNull(value, "retry").toRetry());
        }

        /**
         * A check that this node may still act, such as its leadership (a {@code LeaderSupervisor} sets it). It is
         * asked before every claim and before every item; when it returns {@code false} (or throws), the workers
         * give back the items they claimed but did not start and stop.
         */
        public Builder guard(BooleanSupplier value) {
            this.guard = Objects.requireNonNull(value, "guard");
            return this;
        }

        /** How long an idle worker waits before claiming again (default 1 s). */
        public Builder pollInterval(Duration value) {
            Objects.requireNonNull(value, "pollInterval");
            if (value.isNegative() || value.isZero()) {
                throw new InvalidInputException("pollInterval " + value + " must be positive.");
            }
            this.pollInterval = value;
            return this;
        }

        /** What wakes idle workers when items are added (default: the store, when it is an {@link AppendNotifier}). */
        public Builder notifier(AppendNotifier value) {
            this.notifier = value;
            return this;
        }

        /** The prefix of this processor's worker names, as stored with claims (default {@code worker-<random>}). */
        public Builder workerName(String value) {
            this.workerPrefix = Names.check("Worker name", value);
            return this;
        }

        /** The clock for retry times (default: the system clock, UTC); use the store's clock. */
        public Builder clock(Clock value) {
            this.clock = Objects.requireNonNull(value, "clock");
            return this;
        }

        /** Builds the processor, not yet started. */
        public TodoProcessor build() {
            return new TodoProcessor(this);
        }
    }
}
