package dev.eskit.todo;

import dev.eskit.EventStore;
import dev.eskit.InvalidInputException;
import dev.eskit.Names;
import dev.eskit.subscription.AppendNotifier;
import dev.eskit.subscription.Backoff;
import dev.eskit.subscription.DeadLetter;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.locks.LockSupport;

/**
 * Works through a todo list with a pool of worker threads: each worker claims a few items with a lease, processes
 * them with the {@link TodoHandler}, and completes them, or records the failure so that the item is retried after an
 * exponential backoff and, after the last attempt, marked {@link TodoStatus#DEAD}. An item claimed by a worker that
 * died becomes claimable again when its lease ends.
 *
 * <p>Many processors may work on one list at once, in one JVM or on many nodes: the store never hands one item to two
 * workers while a lease lasts.
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
    private final Backoff backoff;
    private final long pollIntervalNanos;
    private final AppendNotifier notifier;
    private final String workerPrefix;
    private final Clock clock;

    private final List<Thread> threads = new ArrayList<>();
    private volatile boolean stopRequested;
    private volatile boolean wakePending;
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
        this.backoff = builder.backoff;
        this.pollIntervalNanos = builder.pollInterval.toNanos();
        this.notifier = builder.notifier;
        this.workerPrefix = builder.workerPrefix;
        this.clock = builder.clock;
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
    public synchronized boolean isRunning() {
        for (Thread thread : threads) {
            if (thread.isAlive()) {
                return true;
            }
        }
        return false;
    }

    /** The {@link Error} that stopped it, if any. */
    public Optional<Throwable> failure() {
        return Optional.ofNullable(failure);
    }

    /** The latest failure it recorded: a handler exception, a store failure or a lost lease. */
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
        threads.clear();
        stopRequested = false;
        failure = null;
        for (int i = 1; i <= workers; i++) {
            String worker = workerPrefix + "-" + i;
            Thread thread = new Thread(() -> work(worker), "eskit-todo-" + list + "-" + i);
            thread.setDaemon(true);
            threads.add(thread);
        }
        registration = notifier == null ? null : notifier.onAppend(this::wake);
        threads.forEach(Thread::start);
        return this;
    }

    /** Wakes the workers to claim now instead of at their next poll. */
    public void wake() {
        wakePending = true;
        List<Thread> current;
        synchronized (this) {
            current = List.copyOf(threads);
        }
        current.forEach(LockSupport::unpark);
    }

    /**
     * Stops gracefully and waits: each worker finishes the item it is processing; items it claimed but did not start
     * are given back (pending again at once, the attempt still counted).
     */
    public void stop() {
        stopRequested = true;
        List<Thread> current;
        synchronized (this) {
            current = List.copyOf(threads);
            if (registration != null) {
                registration.close();
                registration = null;
            }
        }
        for (Thread thread : current) {
            LockSupport.unpark(thread);
        }
        for (Thread thread : current) {
            if (thread == Thread.currentThread()) {
                continue;
            }
            try {
                thread.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
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
        while (true) {
            List<TodoClaim> claims = store.claim(list, worker, batchSize, lease);
            if (claims.isEmpty()) {
                return processed;
            }
            for (TodoClaim claim : claims) {
                process(claim);
                processed++;
            }
        }
    }

    private void work(String worker) {
        try {
            while (!stopRequested) {
                wakePending = false;
                List<TodoClaim> claims;
                try {
                    claims = store.claim(list, worker, batchSize, lease);
                } catch (RuntimeException e) {
                    lastError = e;
                    pause(backoff.maxDelay().toNanos(), false);
                    continue;
                }
                if (claims.isEmpty()) {
                    pause(pollIntervalNanos, true);
                    continue;
                }
                for (int i = 0; i < claims.size(); i++) {
                    if (stopRequested) {
                        giveBack(claims.subList(i, claims.size()));
                        break;
                    }
                    process(claims.get(i));
                }
            }
        } catch (Error fatal) {
            failure = fatal;
            stopRequested = true;
            // Its claims stay claimed until their leases end, as after a crash.
            wake();
        }
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
                held = store.fail(claim, DeadLetter.describe(problem), attempts >= backoff.maxAttempts() ? null
                        : clock.instant().plus(backoff.delayAfter(attempts)));
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

    private void pause(long nanos, boolean wakeable) {
        long deadline = System.nanoTime() + nanos;
        while (!stopRequested && !(wakeable && wakePending)) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return;
            }
            LockSupport.parkNanos(this, left);
            if (Thread.interrupted()) {
                stopRequested = true;
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
        private Backoff backoff = Backoff.defaults();
        private Duration pollInterval = Duration.ofSeconds(1);
        private AppendNotifier notifier;
        private String workerPrefix = "worker-" + UUID.randomUUID().toString().substring(0, 8);
        private Clock clock = Clock.systemUTC();

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
            Objects.requireNonNull(value, "lease");
            if (value.isNegative() || value.isZero()) {
                throw new InvalidInputException("lease " + value + " must be positive.");
            }
            this.lease = value;
            return this;
        }

        /** Attempts per item and the delays between them (default {@link Backoff#defaults()}). */
        public Builder retry(Backoff value) {
            this.backoff = Objects.requireNonNull(value, "retry");
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
