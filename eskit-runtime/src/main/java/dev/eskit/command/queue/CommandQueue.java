package dev.eskit.command.queue;

import dev.eskit.EskitException;
import dev.eskit.InvalidInputException;
import dev.eskit.Names;
import dev.eskit.Retry;
import dev.eskit.command.CommandBus;
import dev.eskit.command.CommandContext;
import dev.eskit.command.CommandTypes;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The durable command queue: {@link #enqueue(Object)} stores a command and returns its id at once; workers (on this
 * node and on any other node sharing the store) claim commands with a lease, run them through the {@link CommandBus}
 * and record the outcome. A command is delivered at least once and takes effect exactly once: its id is the
 * idempotency key of its append, so a command whose worker died after the append returns the first attempt's events
 * when it runs again.
 *
 * <pre>{@code
 * CommandQueue queue = CommandQueue.builder(JdbiCommandQueueStore.create(jdbi, store), bus, CommandTypes.discover())
 *     .workers(4)
 *     .partitionByStream()                      // one command per stream at a time, in enqueue order
 *     .build()
 *     .start();
 * String id = queue.enqueue(new Deposit("a-1", 500));
 * QueueResult result = queue.await(id).get(10, TimeUnit.SECONDS);
 * }</pre>
 *
 * <p>Outcomes: {@code SUCCEEDED}; {@code REJECTED} when the decider (or a middleware) throws; conflicts and store
 * failures are retried with {@link Retry} and go {@code DEAD} after its last attempt; an unknown command type, a
 * payload that does not decode and invalid input go {@code DEAD} at once. Dead commands wait for
 * {@link CommandQueueStore#requeue(String)}.
 */
public final class CommandQueue implements AutoCloseable {

    /**
     * The largest payload (a command encoded as JSON, in bytes) the queue accepts: {@link dev.eskit.Limits#MAX_APPEND_BYTES},
     * the most one append may store, since a command's events usually carry its data. A larger command is refused at
     * enqueue with {@link CommandTooLargeException} instead of failing in a worker.
     */
    public static final int MAX_PAYLOAD_BYTES = dev.eskit.Limits.MAX_APPEND_BYTES;

    private static final Logger LOG = LoggerFactory.getLogger(CommandQueue.class);
    private static final int RECENT_RESULTS = 4096;
    private static final int POLL_CHUNK = 500;

    private final CommandQueueStore store;
    private final CommandBus bus;
    private final CommandTypes types;
    private final int workers;
    private final int batchSize;
    private final Duration lease;
    private final Retry retry;
    private final long pollNanos;
    private final String workerPrefix;
    private final boolean partitionByStream;
    private final Clock clock;
    private final Predicate<RuntimeException> transientError;
    private final Map<String, CompletableFuture<QueueResult>> waiting = new ConcurrentHashMap<>();
    private final List<Thread> threads = new ArrayList<>();
    private final QueueWorker worker;
    /** The outcomes this node recorded last, so that an await after the command finished here needs no query. */
    private final Map<String, QueueResult> recentResults = new java.util.LinkedHashMap<>(256, 0.75f, false) {
        private static final long serialVersionUID = 1L;

        @Override
        protected boolean removeEldestEntry(Map.Entry<String, QueueResult> eldest) {
            return size() > RECENT_RESULTS;
        }
    };
    private volatile boolean running;
    private final dev.eskit.gdpr.PersonalDataProtector protector;
    private volatile boolean stopRequested;
    private volatile boolean wakePending;

    private CommandQueue(Builder b) {
        // A tenant's bus runs only its tenant's commands: the queue is the tenant's view of the store it was given.
        if (b.store instanceof dev.eskit.tenancy.TenantScopedCommandQueueStore view && b.bus.tenantScope().isEmpty()) {
            throw new dev.eskit.tenancy.InvalidTenantException("The queue store is tenant \"" + view.scope().tenant()
                    + "\"'s view, but the bus belongs to no tenant, so its commands would run outside the tenant."
                    + " Build the queue on the tenant's bus (TenantCommandBus.forTenant(...)).");
        }
        // A bus of no tenant runs only commands outside every tenant: a tenant's command would run outside it.
        this.store = b.bus.tenantScope().map(scope -> (CommandQueueStore) scope.commandQueue(b.store))
                .orElseGet(() -> dev.eskit.tenancy.NoTenantCommandQueueStore.of(b.store));
        this.bus = b.bus;
        this.types = b.types;
        this.workers = b.workers;
        this.batchSize = b.batchSize;
        this.lease = b.lease;
        this.retry = b.retry;
        this.pollNanos = b.pollInterval.toNanos();
        this.workerPrefix = b.workerName;
        this.partitionByStream = b.partitionByStream;
        this.clock = b.clock;
        this.transientError = b.transientError;
        this.protector = b.protector != null ? b.protector : store.personalData().orElse(null);
        this.worker = new QueueWorker(store, bus, types, retry, clock, transientError, this::completed, protector,
                lease);
    }

    /** A builder for a queue over {@code store} that runs commands through {@code bus}, named by {@code types}. */
    public static Builder builder(CommandQueueStore store, CommandBus bus, CommandTypes types) {
        return new Builder(store, bus, types);
    }

    /** Enqueues {@code command} with a fresh id and no metadata; returns the id. */
    public String enqueue(Object command) {
        return enqueue(command, CommandContext.create(), null);
    }

    /** Enqueues {@code command} under {@code context}'s command id and metadata; returns the id. */
    public String enqueue(Object command, CommandContext context) {
        return enqueue(command, context, null);
    }

    /**
     * Enqueues {@code command} under {@code context}'s command id and metadata, after every unfinished command with
     * the same {@code partitionKey} ({@code null}: the stream when {@link Builder#partitionByStream()}, else none).
     * Enqueuing an id that is queued already changes nothing and returns the id (an idempotent retry of the caller).
     *
     * @throws dev.eskit.UnknownCommandException when the command has no command type or no route on the bus;
     *                                           nothing is stored
     * @throws CommandTooLargeException         when its payload is over {@link #MAX_PAYLOAD_BYTES}; nothing is
     *                                           stored
     */
    public String enqueue(Object command, CommandContext context, String partitionKey) {
        Objects.requireNonNull(command, "command");
        Objects.requireNonNull(context, "context");
        String type = types.nameOf(command);
        String partition = partitionKey;
        if (partition == null && partitionByStream) {
            partition = bus.streamOf(command).toString();
        } else if (partition == null) {
            bus.streamOf(command); // fails now, not in a worker, when the bus cannot route it
        }
        dev.eskit.Metadata metadata = store.metadataFor(context.metadata());
        store.enqueue(QueuedCommand.pending(context.commandId(), type, types.versionOf(command),
                payload(type, context.commandId(), command, metadata), stored(metadata), partition,
                clock.instant()));
        wake();
        return context.commandId();
    }

    /**
     * Enqueues {@code commands} with fresh ids and no metadata, in one transaction where the store has them (a bulk
     * load: much faster than one {@link #enqueue(Object)} each); returns their ids in order.
     *
     * @throws dev.eskit.UnknownCommandException when a command has no command type or no route; nothing is stored
     * @throws CommandTooLargeException         when a payload is over {@link #MAX_PAYLOAD_BYTES}; nothing is stored
     */
    public List<String> enqueueAll(List<?> commands) {
        List<QueuedCommand> queued = new ArrayList<>(commands.size());
        List<String> ids = new ArrayList<>(commands.size());
        java.time.Instant now = clock.instant();
        for (Object command : commands) {
            Objects.requireNonNull(command, "command");
            String id = CommandContext.create().commandId();
            String partition = partitionByStream ? bus.streamOf(command).toString() : null;
            if (partition == null) {
                bus.streamOf(command);
            }
            String type = types.nameOf(command);
            dev.eskit.Metadata metadata = store.metadataFor(dev.eskit.Metadata.empty());
            queued.add(QueuedCommand.pending(id, type, types.versionOf(command), payload(type, id, command, metadata),
                    metadata, partition, now));
            ids.add(id);
        }
        store.enqueueAll(queued);
        wake();
        return ids;
    }

    /** The stored payload: personal fields encrypted when there is a protector (as in the command log). */
    private String payload(String type, String id, Object command, dev.eskit.Metadata metadata) {
        byte[] json = types.encode(command);
        if (json.length > MAX_PAYLOAD_BYTES) {
            throw new CommandTooLargeException("Command \"" + type + "\" encodes to " + json.length + " bytes of JSON,"
                    + " more than the queue's limit of " + MAX_PAYLOAD_BYTES + " bytes (the most one append may"
                    + " store); nothing was queued. Keep bulky content out of commands: store it elsewhere and pass a"
                    + " reference.");
        }
        return protector == null ? new String(json, StandardCharsets.UTF_8)
                : protector.protectCommand(type, id, json, metadata);
    }

    private dev.eskit.Metadata stored(dev.eskit.Metadata metadata) {
        return protector == null ? metadata : protector.sealMetadata(metadata);
    }

    /** The command {@code id} as stored now: poll this for its status, or {@link #await(String)} it. */
    public Optional<QueuedCommand> find(String id) {
        return store.find(id);
    }

    /**
     * A future completed with command {@code id}'s outcome when it is final: when a worker of this queue finishes it
     * (or finished it lately), or, for a command finished on another node, at the next poll of a started queue (one
     * query for up to 500 awaited ids); a queue that is not started looks it up at once. Rejected and dead commands
     * complete it normally: check {@link QueueResult#succeeded()}.
     */
    public CompletableFuture<QueueResult> await(String id) {
        Objects.requireNonNull(id, "id");
        CompletableFuture<QueueResult> future = waiting.computeIfAbsent(id, key -> new CompletableFuture<>());
        QueueResult recent;
        synchronized (recentResults) {
            recent = recentResults.get(id);
        }
        if (recent != null) {
            completed(recent);
        } else if (!running) {
            // No poller runs: look once now. A started queue looks up all awaited ids in one query per poll.
            store.find(id).flatMap(QueuedCommand::outcome).ifPresent(this::completed);
        }
        return future;
    }

    /**
     * {@code store} for a {@link CommandBus} whose queued commands record their outcome in the transaction that
     * appends their events (where {@code queueStore} shares the event store's database, as
     * {@code JdbiCommandQueueStore} on the bus's {@code JdbiEventStore} does): a crash between the append and the
     * outcome cannot make the command run again. {@code CommandBus.Builder.queueOutcomes(queueStore)} does this.
     */
    public static dev.eskit.EventStore recordingOutcomes(dev.eskit.EventStore store, CommandQueueStore queueStore) {
        return new QueueAppends(store, queueStore);
    }

    private void completed(QueueResult result) {
        synchronized (recentResults) {
            recentResults.put(result.id(), result);
        }
        CompletableFuture<QueueResult> future = waiting.remove(result.id());
        if (future != null) {
            future.complete(result);
        }
    }

    /**
     * The store as this queue uses it: the tenant's view of the store it was built with when its bus is a tenant's
     * ({@link dev.eskit.tenancy.TenantScopedCommandQueueStore}), else the part outside every tenant
     * ({@link dev.eskit.tenancy.NoTenantCommandQueueStore}).
     */
    public CommandQueueStore store() {
        return store;
    }

    /** Starts the workers (and the poller of {@link #await} futures). */
    public synchronized CommandQueue start() {
        if (!threads.isEmpty()) {
            throw new EskitException("The command queue is already running. Call stop() first.");
        }
        stopRequested = false;
        for (int i = 1; i <= workers; i++) {
            String name = workerPrefix + "-" + i;
            threads.add(new Thread(() -> work(name), "eskit-command-queue-" + i));
        }
        threads.add(new Thread(this::watch, "eskit-command-queue-awaits"));
        running = true;
        threads.forEach(t -> {
            t.setDaemon(true);
            t.start();
        });
        return this;
    }

    /** Stops: each worker finishes the command it is running; commands it claimed but did not start go back. */
    public void stop() {
        stopRequested = true;
        List<Thread> current;
        synchronized (this) {
            current = List.copyOf(threads);
            threads.clear();
            running = false;
        }
        current.forEach(LockSupport::unpark);
        for (Thread thread : current) {
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

    /** Wakes this queue's workers to claim now. */
    public void wake() {
        wakePending = true;
        List<Thread> current;
        synchronized (this) {
            current = List.copyOf(threads);
        }
        current.forEach(LockSupport::unpark);
    }

    /**
     * Runs, on the calling thread, every command claimable now until a claim comes back empty (for tests and batch
     * jobs); returns how many it ran.
     */
    public int runOnce() {
        int ran = 0;
        while (true) {
            List<QueueClaim> claims = store.claim(workerPrefix + "-once", batchSize, lease);
            if (claims.isEmpty()) {
                return ran;
            }
            List<QueueFinish> finishes = new ArrayList<>(claims.size());
            for (QueueClaim claim : claims) {
                QueueFinish finish = worker.run(claim);
                if (finish != null) {
                    finishes.add(finish);
                }
                ran++;
            }
            worker.finish(finishes);
        }
    }

    private void work(String name) {
        while (!stopRequested) {
            wakePending = false;
            List<QueueClaim> claims;
            try {
                claims = store.claim(name, batchSize, lease);
            } catch (RuntimeException e) {
                LOG.warn("Command queue worker {} cannot claim commands; retrying in {}", name, retry.maxDelay(), e);
                pause(retry.maxDelay().toNanos(), false);
                continue;
            }
            if (claims.isEmpty()) {
                pause(pollNanos, true);
                continue;
            }
            // A batch never holds two commands of one partition (the second waits for the first to finish), so
            // its outcomes are recorded together at its end: one transaction instead of one per command.
            List<QueueFinish> finishes = new ArrayList<>(claims.size());
            for (int i = 0; i < claims.size(); i++) {
                if (stopRequested) {
                    worker.giveBack(claims.subList(i, claims.size()));
                    break;
                }
                QueueFinish finish = worker.run(claims.get(i));
                if (finish != null) {
                    finishes.add(finish);
                }
            }
            worker.finish(finishes);
        }
    }

    private void watch() {
        while (!stopRequested) {
            pause(pollNanos, false);
            List<String> ids = List.copyOf(waiting.keySet());
            for (int from = 0; from < ids.size() && !stopRequested; from += POLL_CHUNK) {
                List<String> chunk = ids.subList(from, Math.min(ids.size(), from + POLL_CHUNK));
                try {
                    store.findOutcomes(chunk).values().forEach(this::completed);
                } catch (RuntimeException e) {
                    LOG.debug("Cannot poll {} awaited queued commands", chunk.size(), e);
                }
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

    /** Options for a {@link CommandQueue}. */
    public static final class Builder {
        private final CommandQueueStore store;
        private final CommandBus bus;
        private final CommandTypes types;
        private int workers = 1;
        private int batchSize = 8;
        private Duration lease = Duration.ofSeconds(30);
        private Retry retry = Retry.defaults();
        private Duration pollInterval = Duration.ofMillis(200);
        private String workerName = "node-" + dev.eskit.internal.Ids.timeOrdered();
        private boolean partitionByStream;
        private Clock clock = Clock.systemUTC();
        private Predicate<RuntimeException> transientError = QueueWorker::isTransient;
        private dev.eskit.gdpr.PersonalDataProtector protector;

        private Builder(CommandQueueStore store, CommandBus bus, CommandTypes types) {
            this.store = Objects.requireNonNull(store, "store");
            this.bus = Objects.requireNonNull(bus, "bus");
            this.types = Objects.requireNonNull(types, "types");
        }

        /** Worker threads on this node (default 1; 0 for a node that only enqueues and awaits). */
        public Builder workers(int value) {
            if (value < 0 || value > 256) {
                throw new InvalidInputException("workers " + value + " is out of range. Use 0 to 256.");
            }
            workers = value;
            return this;
        }

        /** Commands a worker claims at once (default 8). */
        public Builder batchSize(int value) {
            if (value < 1 || value > 1000) {
                throw new InvalidInputException("batchSize " + value + " is out of range. Use 1 to 1000.");
            }
            batchSize = value;
            return this;
        }

        /**
         * How long a claim holds its commands (default 30 s): a command still unfinished then is claimed again by
         * another worker. Use more than the longest time a batch of commands takes.
         */
        public Builder lease(Duration value) {
            if (value.compareTo(Duration.ofMillis(100)) < 0) {
                throw new InvalidInputException("lease " + value + " is shorter than 100 ms. Use a lease longer than"
                        + " the longest time a batch of commands takes (30 s is the default).");
            }
            lease = value;
            return this;
        }

        /** Attempts and backoff for conflicts and transient failures (default {@link Retry#defaults()}). */
        public Builder retry(Retry value) {
            retry = Objects.requireNonNull(value, "retry");
            return this;
        }

        /** How often idle workers look for commands enqueued on other nodes (default 200 ms). */
        public Builder pollInterval(Duration value) {
            if (value.isNegative() || value.isZero()) {
                throw new InvalidInputException("pollInterval " + value + " must be positive.");
            }
            pollInterval = value;
            return this;
        }

        /** The prefix of this node's worker names, as stored with claims (default {@code node-<id>}). */
        public Builder workerName(String value) {
            Names.check("Worker name", value);
            workerName = value;
            return this;
        }

        /** Runs the commands of one stream one at a time, in enqueue order (the stream is the partition key). */
        public Builder partitionByStream() {
            partitionByStream = true;
            return this;
        }

        /** Which failures are retried (with backoff) instead of rejecting the command. */
        public Builder transientErrors(Predicate<RuntimeException> value) {
            transientError = Objects.requireNonNull(value, "transientErrors");
            return this;
        }

        /**
         * Encrypts the {@code @PersonalData} fields of queued payloads (and seals personal metadata) with
         * {@code value}, as the command log does, so that forgetting a subject shreds its pending and dead commands.
         * Default: the store's protector ({@link CommandQueueStore#personalData()}), none for the in-memory store.
         */
        public Builder personalData(dev.eskit.gdpr.PersonalDataProtector value) {
            protector = Objects.requireNonNull(value, "protector");
            return this;
        }

        /** The clock (for tests). */
        public Builder clock(Clock value) {
            clock = Objects.requireNonNull(value, "clock");
            return this;
        }

        /** Builds the queue; {@link CommandQueue#start()} starts its workers. */
        public CommandQueue build() {
            return new CommandQueue(this);
        }
    }
}
