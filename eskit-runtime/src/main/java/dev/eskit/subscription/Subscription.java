package dev.eskit.subscription;

import dev.eskit.EventDecodingException;
import dev.eskit.EventStore;
import dev.eskit.InvalidInputException;
import dev.eskit.Limits;
import dev.eskit.Names;
import dev.eskit.Position;
import dev.eskit.StoredEvent;
import dev.eskit.StoredEventHeader;
import dev.eskit.store.ForwardingEventStore;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads the global log from a saved checkpoint and hands every event, in log order, to one {@link EventHandler} on a
 * thread of its own.
 *
 * <ul>
 *   <li><b>At least once.</b> The checkpoint is saved after every {@code checkpointEvery} events, after
 *       {@code checkpointInterval} with unsaved progress, and when the subscription stops. After a crash the events
 *       after the last saved checkpoint are handled again.</li>
 *   <li><b>In order.</b> Events arrive one at a time in global-log order; an event is handed over only after the one
 *       before it was handled or dead-lettered.</li>
 *   <li><b>Retries, then dead letters or a halt.</b> A handler exception is retried with exponential
 *       {@link Backoff}. A poison event (the handler failed on the last attempt, or the store cannot decode it) is
 *       dead-lettered when the subscription has a {@link DeadLetterStore} and the subscription moves on
 *       ({@link #replayDeadLetter(UUID)} runs it again later); without one the subscription delivers every event
 *       before it and halts loudly in state {@link SubscriptionState#HALTED}. See {@link PoisonPolicy}.</li>
 *   <li><b>Caught-up signal.</b> {@link #caughtUp()} completes, and {@link #state()} turns {@link SubscriptionState#LIVE},
 *       when a read reaches the end of the log and every event it returned is handled.</li>
 *   <li><b>Live wake-ups.</b> On a store that is an {@link AppendNotifier} (the in-memory store) an append wakes the
 *       subscription at once; otherwise, and as a fallback, it polls every {@code pollInterval}.</li>
 *   <li><b>Graceful stop.</b> {@link #stop()} lets the current event finish, saves the checkpoint and returns.</li>
 *   <li><b>Exactly-once effects</b> with {@link Builder#transactional}: the handler's writes and the checkpoint
 *       commit in one transaction of up to {@code checkpointEvery} events.</li>
 * </ul>
 *
 * <p>An {@link Error} from the handler is fatal: the subscription stops at once in state
 * {@link SubscriptionState#FAILED} without saving its checkpoint, as if the process had crashed. Failures of the store
 * or the checkpoint store are retried with the backoff delays until they succeed or the subscription is stopped
 * ({@link #lastError()} shows the latest).
 *
 * <pre>{@code
 * Subscription balances = Subscription.builder("balances", store, checkpoints)
 *     .eventTypes("bank.Deposited", "bank.Withdrawn")
 *     .handler(event -> view.apply(event))
 *     .onReset(view::clear)
 *     .build()
 *     .start();
 * balances.awaitCaughtUp(Duration.ofSeconds(10));
 * ...
 * balances.stop();
 * }</pre>
 */
public final class Subscription implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Subscription.class);

    /** How many events {@link #lag()} counts at most. */
    public static final int DEFAULT_LAG_CAP = 1000;

    private final String name;
    private final EventStore store;
    private final CheckpointStore checkpoints;
    private final DeadLetterStore deadLetters;
    /** The name a transactor saves the checkpoint under: the tenant's scoped name on a tenant's store. */
    private final String checkpointName;
    /** The plain handler, or null in transactional mode. */
    private final EventHandler handler;
    /** The transactional handler and its transactor, or null in plain mode. */
    private final TransactionalSink<?> transactional;
    private final Set<String> eventTypes;
    private final int batchSize;
    private final int checkpointEvery;
    private final long checkpointIntervalNanos;
    private final long pollIntervalNanos;
    private final Backoff backoff;
    private final AppendNotifier notifier;
    private final Runnable onReset;
    private final ThreadFactory threadFactory;
    private final Clock clock;
    private final BooleanSupplier guard;
    private final PoisonPolicy poisonPolicy;

    /** Serializes handler calls between the worker and dead-letter replays. */
    private final ReentrantLock handlerLock = new ReentrantLock();
    /** Guards nothing but {@link #changed}, which awaiting callers wait on. */
    private final ReentrantLock signalLock = new ReentrantLock();
    private final Condition changed = signalLock.newCondition();

    private volatile SubscriptionState state = SubscriptionState.NEW;
    private volatile Thread worker;
    /** True from start() until the worker has finished its last step. */
    private volatile boolean active;
    private volatile boolean stopRequested;
    private volatile boolean wakePending;
    /** Set when the guard said no: stop without saving anything more. */
    private volatile boolean fenced;
    private volatile Position position = Position.START;
    private volatile Position checkpoint;
    private volatile Throwable failure;
    private volatile Throwable lastError;
    private volatile CompletableFuture<Void> caughtUp = new CompletableFuture<>();
    /** Number of the latest read the worker started. */
    private volatile long readsStarted;
    /** Number of the latest read that reached the end of the log with all its events handled. */
    private volatile long caughtUpRead;
    // Worker-thread state.
    /** How many events the next read asks for: less than batchSize while it closes in on an undecodable event. */
    private int readLimit;
    private int unsaved;
    private long lastSaveNanos;

    private Subscription(Builder builder) {
        this.name = builder.name;
        this.store = builder.store;
        // A tenant's subscription keeps its checkpoint and dead letters under its own names (dev.eskit.tenancy).
        this.checkpoints = dev.eskit.tenancy.TenantScope.adopt(builder.store, builder.checkpoints);
        this.deadLetters = dev.eskit.tenancy.TenantScope.adopt(builder.store, builder.deadLetters);
        this.checkpointName = dev.eskit.tenancy.TenantScope.of(builder.store)
                .map(scope -> scope.name("Subscription name", builder.name)).orElse(builder.name);
        this.handler = builder.handler;
        this.transactional = builder.transactional;
        this.eventTypes = Set.copyOf(builder.eventTypes);
        this.batchSize = builder.batchSize;
        this.checkpointEvery = builder.checkpointEvery;
        this.checkpointIntervalNanos = builder.checkpointInterval.toNanos();
        this.pollIntervalNanos = builder.pollInterval.toNanos();
        this.backoff = builder.backoff;
        this.notifier = builder.notifier;
        this.onReset = builder.onReset;
        this.threadFactory = builder.threadFactory;
        this.clock = builder.clock;
        this.guard = builder.guard;
        this.poisonPolicy = builder.poisonPolicy != null ? builder.poisonPolicy
                : builder.deadLettersGiven ? PoisonPolicy.DEAD_LETTER : PoisonPolicy.HALT;
    }

    /**
     * A builder for subscription {@code name} on {@code store}, saving its position in {@code checkpoints}.
     *
     * @param name the subscription's name: its checkpoint's and dead letters' key; keep it stable
     */
    public static Builder builder(String name, EventStore store, CheckpointStore checkpoints) {
        return new Builder(name, store, checkpoints);
    }

    /** The subscription's name. */
    public String name() {
        return name;
    }

    /** The wire names it reads; empty for every type. */
    public Set<String> eventTypes() {
        return eventTypes;
    }

    /** Its current state. */
    public SubscriptionState state() {
        return state;
    }

    /** Whether its thread is running (it may be stopping). */
    public boolean isRunning() {
        return active;
    }

    /** The position of the last event it handled (or dead-lettered), or where it started. */
    public Position position() {
        return position;
    }

    /** The checkpoint it last loaded or saved, empty when it has none. */
    public Optional<Position> checkpoint() {
        return Optional.ofNullable(checkpoint);
    }

    /**
     * What stopped it: the {@link Error} from the handler when its state is {@link SubscriptionState#FAILED}, or a
     * {@link SubscriptionHaltedException} naming the poison event when it is {@link SubscriptionState#HALTED}.
     */
    public Optional<Throwable> failure() {
        return Optional.ofNullable(failure);
    }

    /** What it does with a poison event (see {@link PoisonPolicy}). */
    public PoisonPolicy poisonPolicy() {
        return poisonPolicy;
    }

    /** The latest failure it retried: a handler exception or a store or checkpoint-store failure. */
    public Optional<Throwable> lastError() {
        return Optional.ofNullable(lastError);
    }

    /**
     * Starts reading on a new thread, from the saved checkpoint (or the start of the log). A stopped subscription may
     * be started again.
     *
     * @return this subscription
     * @throws SubscriptionException when it is running
     */
    public synchronized Subscription start() {
        Thread previous = worker;
        if (previous != null && previous.isAlive()) {
            throw new SubscriptionException("Subscription \"" + name + "\" is already running. Call stop() before"
                    + " starting it again.");
        }
        stopRequested = false;
        wakePending = false;
        fenced = false;
        failure = null;
        if (caughtUp.isDone()) {
            caughtUp = new CompletableFuture<>();
        }
        // active before state: a waiter that sees the new state then also sees active (see await).
        active = true;
        state = SubscriptionState.CATCHING_UP;
        Thread thread = threadFactory.newThread(this::run);
        worker = thread;
        thread.start();
        return this;
    }

    /** Asks it to read now instead of at its next poll; harmless when it is not running. */
    public void wake() {
        wakePending = true;
        Thread thread = worker;
        if (thread != null) {
            LockSupport.unpark(thread);
        }
    }

    /**
     * Stops it gracefully and waits until it has stopped: the current event finishes (an event waiting for a retry is
     * left for next time), the checkpoint is saved, the thread ends. Returns at once when it is not running.
     */
    public void stop() {
        stop(Duration.ofDays(365));
    }

    /**
     * Stops it gracefully, waiting at most {@code timeout}. Called from the handler itself, it only asks, and returns
     * {@code false}: the subscription stops after the handler returns.
     *
     * @return whether it has stopped
     */
    public boolean stop(Duration timeout) {
        Thread thread;
        synchronized (this) {
            thread = worker;
            if (thread == null || !thread.isAlive()) {
                return true;
            }
            stopRequested = true;
            if (state == SubscriptionState.CATCHING_UP || state == SubscriptionState.LIVE) {
                state = SubscriptionState.STOPPING;
            }
        }
        LockSupport.unpark(thread);
        signalChanged();
        if (thread == Thread.currentThread()) {
            return false;
        }
        try {
            thread.join(Math.max(1, timeout.toMillis()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return !thread.isAlive();
    }

    /** Same as {@link #stop()}. */
    @Override
    public void close() {
        stop();
    }

    /**
     * Completes the first time the subscription catches up after {@link #start()}: a read reached the end of the log
     * and every event it returned is handled. Completes exceptionally when the handler stops it with an error.
     */
    public CompletableFuture<Void> caughtUp() {
        return caughtUp;
    }

    /**
     * Waits until the subscription has caught up since it was started (see {@link #caughtUp()}).
     *
     * @return {@code true} when it caught up, {@code false} when {@code timeout} passed or it stopped first
     * @throws SubscriptionException when the handler stopped it with an error
     */
    public boolean awaitCaughtUp(Duration timeout) {
        return await(timeout, () -> caughtUp.isDone());
    }

    /**
     * Waits until the subscription has handled every event of its types up to {@code target}, such as the position of
     * an event just appended (read-your-writes for a read model). It first waits until {@code target} is readable (on
     * PostgreSQL a commit becomes readable once every older append of the store has ended), then asks the subscription to read
     * at once, and returns when it has handled {@code target} or has caught up on a read that started after that
     * (which covers a {@code target} whose type it does not read).
     *
     * A subscription that is not started yet (one a {@code LeaderSupervisor} starts once it leads) is waited for.
     *
     * @return {@code true} when it got there, {@code false} when {@code timeout} passed or it stopped first
     * @throws SubscriptionException when the handler stopped it with an error
     */
    public boolean awaitPosition(Position target, Duration timeout) {
        Objects.requireNonNull(target, "target");
        long deadline = System.nanoTime() + timeout.toNanos();
        long pauseNanos = 1_000_000L;
        while (!readable(target)) {
            Throwable fatal = failure;
            if (fatal != null) {
                throw stoppedBy(fatal);
            }
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return false;
            }
            LockSupport.parkNanos(Math.min(left, pauseNanos));
            pauseNanos = Math.min(pauseNanos * 2, 50_000_000L);
        }
        // A read that starts after this point sees target; once such a read catches up, target is handled even
        // when its type is filtered out.
        long readsBefore = readsStarted;
        wake();
        return await(Duration.ofNanos(Math.max(0, deadline - System.nanoTime())),
                () -> position.compareTo(target) >= 0 || caughtUpRead > readsBefore);
    }

    /**
     * Whether {@code target} is handled or readable now: an unfiltered read after the subscription's position shows an
     * event at or after it. (The log is read in position order, so an event after {@code target} is readable only when
     * {@code target} is.) A full page of earlier events proves nothing yet; the caller asks again later.
     */
    private boolean readable(Position target) {
        Position from = position;
        if (from.compareTo(target) >= 0) {
            return true;
        }
        List<StoredEvent<Object>> page;
        try {
            page = store.readAll(from, 256, Set.of());
        } catch (EventDecodingException e) {
            // An undecodable event is readable too; the subscription dead-letters it or halts on it.
            return e.event().isPresent() && e.event().get().position().compareTo(target) >= 0;
        }
        return !page.isEmpty() && page.get(page.size() - 1).position().compareTo(target) >= 0;
    }

    private boolean await(Duration timeout, Supplier<Boolean> done) {
        long deadline = System.nanoTime() + timeout.toNanos();
        signalLock.lock();
        try {
            while (true) {
                Throwable fatal = failure;
                if (fatal != null) {
                    throw stoppedBy(fatal);
                }
                if (done.get()) {
                    return true;
                }
                // Stopped (or failed) is final; a subscription not started yet, such as one a LeaderSupervisor
                // starts once it leads, may still get there, so waiting goes on until the deadline.
                // Read state before active: start() writes active first, so a state past NEW comes with active set
                // unless the subscription has stopped since.
                SubscriptionState seen = state;
                if (seen != SubscriptionState.NEW && !active) {
                    return done.get();
                }
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                changed.awaitNanos(left);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } finally {
            signalLock.unlock();
        }
    }

    private SubscriptionException stoppedBy(Throwable fatal) {
        if (fatal instanceof SubscriptionHaltedException halted) {
            return new SubscriptionException(halted.getMessage(), halted);
        }
        return new SubscriptionException("Subscription \"" + name + "\" stopped with " + fatal
                + ". Fix the handler and start it again.", fatal);
    }

    /** {@link #lag(int)} with a cap of {@value #DEFAULT_LAG_CAP} events. */
    public SubscriptionLag lag() {
        return lag(DEFAULT_LAG_CAP);
    }

    /**
     * How far it is behind: counts up to {@code cap} committed events of its types after its position, including
     * events an open append transaction holds back ({@link SubscriptionLag#heldBack()}) when the store can tell (it is
     * a {@link BacklogProbe}, as the Jdbi stores are); otherwise reads the waiting events. A halted subscription's lag
     * includes its poison event and grows. Meant for monitoring; each call asks the store.
     */
    public SubscriptionLag lag(int cap) {
        EventStore.checkReadLimit(cap);
        BacklogProbe probe = probe(store);
        if (probe != null) {
            return probe.backlog(position, eventTypes, cap, clock.instant());
        }
        List<StoredEvent<Object>> waiting;
        try {
            waiting = store.readAll(position, cap, eventTypes);
        } catch (EventDecodingException e) {
            // The next event cannot even be decoded: at least that one waits.
            Duration age = e.event().map(h -> Duration.between(h.timestamp(), clock.instant())).orElse(Duration.ZERO);
            return new SubscriptionLag(1, true, age.isNegative() ? Duration.ZERO : age);
        }
        Duration age = waiting.isEmpty() ? Duration.ZERO
                : Duration.between(waiting.get(0).timestamp(), clock.instant());
        return new SubscriptionLag(waiting.size(), waiting.size() == cap, age.isNegative() ? Duration.ZERO : age);
    }

    /** The store itself, or the first store down its chain of decorators, that is a {@link BacklogProbe}. */
    private static BacklogProbe probe(EventStore store) {
        EventStore current = store;
        for (int depth = 0; current != null && depth < 16; depth++) {
            if (current instanceof BacklogProbe probe) {
                return probe;
            }
            current = current instanceof ForwardingEventStore forwarding ? forwarding.delegate() : null;
        }
        return null;
    }

    /** Up to 1,000 of its dead letters, oldest event first. */
    public List<DeadLetter> deadLetters() {
        return deadLetters.list(name, 1000);
    }

    /**
     * Hands a dead-lettered event to the handler again, now, on the calling thread (never at the same time as the
     * subscription's own handler calls). On success the dead letter is deleted; on failure it is kept with one more
     * attempt and the new error. Replayed events arrive out of log order by nature.
     *
     * @return whether the handler succeeded (false too when the event still cannot be decoded)
     * @throws SubscriptionException when this subscription has no such dead letter, or its event is gone
     * @throws Error                 whatever {@link Error} the handler throws
     */
    public boolean replayDeadLetter(UUID id) {
        DeadLetter letter = deadLetters.find(id).filter(l -> l.subscription().equals(name)).orElseThrow(() ->
                new SubscriptionException("Subscription \"" + name + "\" has no dead letter " + id
                        + ". List them with deadLetters()."));
        StoredEvent<Object> event = null;
        List<StoredEvent<Object>> loaded;
        try {
            loaded = store.load(letter.stream(), letter.version());
        } catch (EventDecodingException e) {
            // Still undecodable: keep it, with one more attempt.
            deadLetters.put(letter.failedAgain(e, clock.instant()));
            lastError = e;
            return false;
        }
        for (StoredEvent<Object> candidate : loaded) {
            if (candidate.id().equals(letter.eventId())) {
                event = candidate;
                break;
            }
        }
        if (event == null) {
            throw new SubscriptionException("Dead letter " + id + " refers to event " + letter.eventId() + " of "
                    + letter.stream() + " version " + letter.version() + ", which the store no longer has."
                    + " Delete the dead letter with deleteDeadLetter(id).");
        }
        handlerLock.lock();
        try {
            if (transactional != null) {
                transactional.handleAlone(event);
            } else {
                handler.handle(event);
            }
        } catch (Exception e) {
            deadLetters.put(letter.failedAgain(e, clock.instant()));
            lastError = e;
            return false;
        } finally {
            handlerLock.unlock();
        }
        deadLetters.delete(id);
        return true;
    }

    /**
     * Replays every dead letter of this subscription, oldest event first (see {@link #replayDeadLetter(UUID)}).
     *
     * @return how many succeeded and were deleted
     */
    public int replayDeadLetters() {
        int succeeded = 0;
        for (DeadLetter letter : deadLetters.list(name, Limits.MAX_READ_LIMIT)) {
            if (replayDeadLetter(letter.id())) {
                succeeded++;
            }
        }
        return succeeded;
    }

    /**
     * Deletes one of its dead letters without handling it.
     *
     * @return whether it existed
     */
    public boolean deleteDeadLetter(UUID id) {
        Optional<DeadLetter> letter = deadLetters.find(id);
        return letter.isPresent() && letter.get().subscription().equals(name) && deadLetters.delete(id);
    }

    /**
     * Starts over from the beginning of the log: stops the subscription if it runs, deletes its checkpoint and dead
     * letters, calls the reset hook ({@link Builder#onReset(Runnable)}), and starts it again if it was running.
     *
     * @throws SubscriptionException when called from the handler
     */
    public synchronized void rebuild() {
        if (Thread.currentThread() == worker) {
            throw new SubscriptionException("Subscription \"" + name + "\" cannot rebuild itself from its handler."
                    + " Call rebuild() from another thread.");
        }
        boolean wasRunning = isRunning();
        if (wasRunning) {
            stop();
        }
        checkpoints.delete(name);
        deadLetters.deleteAll(name);
        onReset.run();
        position = Position.START;
        checkpoint = null;
        if (wasRunning) {
            start();
        }
    }

    // ---------------------------------------------------------------- the worker

    private void run() {
        AppendNotifier.Registration registration = null;
        boolean saveOnExit = true;
        try {
            registration = notifier == null ? null : notifier.onAppend(this::wake);
            Optional<Optional<Position>> loaded = retrying(() -> Optional.of(checkpoints.load(name)));
            if (loaded.isEmpty()) {
                saveOnExit = false;
                return;
            }
            checkpoint = loaded.get().orElse(null);
            position = loaded.get().orElse(Position.START);
            unsaved = 0;
            lastSaveNanos = System.nanoTime();
            readLimit = batchSize;
            loop();
        } catch (Error | RuntimeException fatal) {
            saveOnExit = false;
            failure = fatal;
            caughtUp.completeExceptionally(fatal);
        } finally {
            if (saveOnExit && !fenced()) {
                state = SubscriptionState.STOPPING;
                if (unsaved > 0) {
                    try {
                        saveCheckpoint();
                    } catch (RuntimeException e) {
                        // Progress since the last checkpoint is handled again after the restart: at least once.
                        lastError = e;
                    }
                }
                state = failure instanceof SubscriptionHaltedException ? SubscriptionState.HALTED
                        : SubscriptionState.STOPPED;
            } else {
                state = failure == null ? SubscriptionState.STOPPED : SubscriptionState.FAILED;
            }
            if (registration != null) {
                registration.close();
            }
            active = false;
            signalChanged();
        }
    }

    private void loop() {
        while (!stopRequested) {
            if (unsaved > 0 && System.nanoTime() - lastSaveNanos >= checkpointIntervalNanos) {
                if (!saveRetrying()) {
                    return;
                }
            }
            if (fenced()) {
                return;
            }
            wakePending = false;
            long readNumber = readsStarted + 1;
            readsStarted = readNumber;
            int limit = readLimit;
            Optional<List<StoredEvent<Object>>> read = retrying(() -> readPage(limit));
            if (read.isEmpty()) {
                return;
            }
            List<StoredEvent<Object>> page = read.get();
            if (page == UNDECODABLE) {
                // Handled or halted on (see readPage); read again from the new position.
                continue;
            }
            int handled = transactional != null ? deliverTransactionally(page) : deliverPlain(page);
            if (handled < 0 || stopRequested) {
                return;
            }
            if (handled == page.size() && page.size() < limit) {
                caughtUpRead = readNumber;
                setRunningState(SubscriptionState.LIVE);
                caughtUp.complete(null);
                signalChanged();
                long wait = pollIntervalNanos;
                if (unsaved > 0) {
                    wait = Math.min(wait, lastSaveNanos + checkpointIntervalNanos - System.nanoTime());
                }
                pause(wait, true);
            } else {
                setRunningState(SubscriptionState.CATCHING_UP);
                signalChanged();
            }
        }
    }

    /** Marks a read that ran into an undecodable event, which {@link #readPage} has dealt with. */
    private static final List<StoredEvent<Object>> UNDECODABLE = List.of();

    /**
     * Reads up to {@code limit} events after the position. When the store cannot decode one of them, the reads that
     * follow ask for half as many events each time, so that the events before it are delivered; once a read of one
     * event fails, that event is the poison: it is dead-lettered or halted on ({@link PoisonPolicy}), and
     * {@link #UNDECODABLE} comes back.
     */
    private Optional<List<StoredEvent<Object>>> readPage(int limit) {
        List<StoredEvent<Object>> page;
        try {
            page = store.readAll(position, limit, eventTypes);
        } catch (EventDecodingException e) {
            if (e.event().isEmpty()) {
                throw e;
            }
            lastError = e;
            if (limit > 1) {
                readLimit = limit / 2;
                return Optional.of(UNDECODABLE);
            }
            readLimit = batchSize;
            StoredEventHeader poison = e.event().get();
            if (!poison(poison, 1, e)) {
                return Optional.of(List.of());
            }
            if (transactional == null) {
                position = poison.position();
                unsaved++;
            }
            return Optional.of(UNDECODABLE);
        }
        if (page.size() == limit && limit < batchSize) {
            // The prefix before an undecodable event: keep the smaller reads until it is dealt with.
            return Optional.of(page);
        }
        readLimit = batchSize;
        return Optional.of(page);
    }

    /**
     * Deals with a poison event after {@code attempts} failures, the last being {@code problem}: parks it and moves
     * the position past it ({@link PoisonPolicy#DEAD_LETTER}) or halts ({@link PoisonPolicy#HALT}).
     *
     * @return true when the subscription moved past it
     */
    private boolean poison(StoredEventHeader event, int attempts, Exception problem) {
        lastError = problem;
        if (poisonPolicy == PoisonPolicy.HALT) {
            SubscriptionHaltedException halted = new SubscriptionHaltedException(name, event, problem);
            LOG.error(halted.getMessage(), problem);
            failure = halted;
            caughtUp.completeExceptionally(halted);
            stopRequested = true;
            return false;
        }
        DeadLetter letter = DeadLetter.of(UUID.randomUUID(), name, event, attempts, problem, clock.instant());
        // Park it first, then move past it: a crash in between parks it twice, never loses it.
        boolean parked = retrying(() -> {
            deadLetters.put(letter);
            return Optional.of(Boolean.TRUE);
        }).isPresent();
        if (!parked) {
            return false;
        }
        LOG.warn("Subscription \"{}\" dead-lettered {} (dead letter {}) and moved on: {}", name, event.describe(),
                letter.id(), letter.error());
        if (transactional == null) {
            // The caller moves the position past it.
            return true;
        }
        boolean saved = retrying(() -> {
            try {
                transactional.saveAlone(checkpointName, event.position(), this::checkGuardInTransaction);
            } catch (RuntimeException e) {
                throw e;
            } catch (Exception e) {
                throw new SubscriptionException("Saving the checkpoint of \"" + name + "\" failed: " + e, e);
            }
            return Optional.of(Boolean.TRUE);
        }).isPresent();
        if (saved) {
            position = event.position();
            checkpoint = event.position();
        }
        return saved;
    }

    /** Hands a page to the plain handler, saving checkpoints as configured; -1 when the checkpoint save was stopped. */
    private int deliverPlain(List<StoredEvent<Object>> page) {
        int handled = 0;
        for (StoredEvent<Object> event : page) {
            if (stopRequested || !deliver(event)) {
                break;
            }
            position = event.position();
            unsaved++;
            handled++;
            if (unsaved >= checkpointEvery || System.nanoTime() - lastSaveNanos >= checkpointIntervalNanos) {
                if (!saveRetrying()) {
                    return -1;
                }
            }
        }
        return handled;
    }

    /**
     * Hands a page to the transactional handler in transactions of up to {@code checkpointEvery} events, each saving
     * the checkpoint. When a transaction fails, its events are retried one per transaction, so that only the failing
     * event is retried and dead-lettered. Returns how many events are done (handled or dead-lettered).
     */
    private int deliverTransactionally(List<StoredEvent<Object>> page) {
        int done = 0;
        int singlyUntil = 0;
        while (done < page.size() && !stopRequested) {
            if (done >= singlyUntil) {
                int end = Math.min(page.size(), done + checkpointEvery);
                if (end - done > 1) {
                    List<StoredEvent<Object>> chunk = page.subList(done, end);
                    Position last = chunk.get(chunk.size() - 1).position();
                    handlerLock.lock();
                    try {
                        transactional.handleAndSave(chunk, checkpointName, last, this::checkGuardInTransaction);
                        position = last;
                        checkpoint = last;
                        done = end;
                        continue;
                    } catch (Exception e) {
                        if (fenced) {
                            break;
                        }
                        lastError = e;
                        singlyUntil = end;
                    } finally {
                        handlerLock.unlock();
                    }
                }
            }
            if (!deliverInItsOwnTransaction(page.get(done))) {
                break;
            }
            done++;
        }
        return done;
    }

    /** One event in one transaction with its checkpoint, with retries and then a dead letter. */
    private boolean deliverInItsOwnTransaction(StoredEvent<Object> event) {
        List<StoredEvent<Object>> single = List.of(event);
        for (int attempt = 1; ; attempt++) {
            Exception problem;
            handlerLock.lock();
            try {
                transactional.handleAndSave(single, checkpointName, event.position(), this::checkGuardInTransaction);
                position = event.position();
                checkpoint = event.position();
                return true;
            } catch (Exception e) {
                problem = e;
            } finally {
                handlerLock.unlock();
            }
            if (fenced) {
                return false;
            }
            lastError = problem;
            if (attempt >= backoff.maxAttempts()) {
                return poison(StoredEventHeader.of(event), attempt, problem);
            }
            if (!pause(backoff.delayAfter(attempt).toNanos(), false)) {
                return false;
            }
        }
    }

    /** Hands one event to the handler with retries; false when asked to stop before it was handled or parked. */
    private boolean deliver(StoredEvent<Object> event) {
        for (int attempt = 1; ; attempt++) {
            // A node that lost its leadership stops before its next handler call, before another node can start.
            if (fenced()) {
                return false;
            }
            Exception problem;
            handlerLock.lock();
            try {
                handler.handle(event);
                return true;
            } catch (Exception e) {
                problem = e;
            } finally {
                handlerLock.unlock();
            }
            lastError = problem;
            if (attempt >= backoff.maxAttempts()) {
                return poison(StoredEventHeader.of(event), attempt, problem);
            }
            if (!pause(backoff.delayAfter(attempt).toNanos(), false)) {
                return false;
            }
        }
    }

    private boolean saveRetrying() {
        if (fenced()) {
            return false;
        }
        return retrying(() -> {
            saveCheckpoint();
            return Optional.of(Boolean.TRUE);
        }).isPresent();
    }

    private void saveCheckpoint() {
        Position current = position;
        checkpoints.save(name, current);
        checkpoint = current;
        unsaved = 0;
        lastSaveNanos = System.nanoTime();
    }

    /**
     * Asks the guard whether this node may still act; when not (or when the guard fails), stops the subscription at
     * once without saving anything more.
     */
    private boolean fenced() {
        if (guard == null || fenced) {
            return fenced;
        }
        boolean holds;
        try {
            holds = guard.getAsBoolean();
        } catch (RuntimeException e) {
            holds = false;
        }
        if (!holds) {
            fenced = true;
            stopRequested = true;
            lastError = new SubscriptionException("Subscription \"" + name + "\" stopped because its guard (such as"
                    + " its leadership) no longer holds. Another node may be running it; start it again only when"
                    + " the guard holds again.");
        }
        return fenced;
    }

    /** Inside a transaction, just before it saves the checkpoint: throws (rolling it back) when fenced. */
    private void checkGuardInTransaction() {
        if (fenced()) {
            throw new SubscriptionException("Subscription \"" + name + "\" lost its guard; rolling back.");
        }
    }

    /** Runs a store operation until it succeeds; empty when asked to stop first. */
    private <T> Optional<T> retrying(Supplier<Optional<T>> operation) {
        for (int failures = 1; ; failures++) {
            if (stopRequested) {
                return Optional.empty();
            }
            try {
                return operation.get();
            } catch (RuntimeException e) {
                lastError = e;
                if (failures == 1 || failures % 10 == 0) {
                    LOG.warn("Subscription \"{}\" failed on its store or checkpoint store ({} time(s) in a row),"
                            + " retrying: {}", name, failures, e.toString());
                }
            }
            if (!pause(backoff.delayAfter(failures).toNanos(), false)) {
                return Optional.empty();
            }
        }
    }

    /**
     * Waits up to {@code nanos}, or less when asked to stop (or, if {@code wakeable}, when woken).
     *
     * @return false when asked to stop
     */
    private boolean pause(long nanos, boolean wakeable) {
        long deadline = System.nanoTime() + nanos;
        while (!stopRequested && !(wakeable && wakePending)) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                break;
            }
            LockSupport.parkNanos(this, left);
            if (Thread.interrupted()) {
                // Interrupting the subscription's thread is a request to stop.
                stopRequested = true;
            }
        }
        return !stopRequested;
    }

    private void setRunningState(SubscriptionState value) {
        if (!stopRequested) {
            state = value;
        }
    }

    private void signalChanged() {
        signalLock.lock();
        try {
            changed.signalAll();
        } finally {
            signalLock.unlock();
        }
    }

    @Override
    public String toString() {
        return "Subscription[" + name + ", " + state + ", at " + position + "]";
    }

    /** A transactional handler with its transactor, generic in one place. */
    private static final class TransactionalSink<T> {
        private final Transactor<T> transactor;
        private final TransactionalHandler<T> handler;

        TransactionalSink(Transactor<T> transactor, TransactionalHandler<T> handler) {
            this.transactor = transactor;
            this.handler = handler;
        }

        /** {@code guard} runs before every handler call and before the save; it throws to roll back. */
        void handleAndSave(List<StoredEvent<Object>> events, String name, Position last, Runnable guard)
                throws Exception {
            transactor.inTransaction(transaction -> {
                for (StoredEvent<Object> event : events) {
                    guard.run();
                    handler.handle(transaction, event);
                }
                guard.run();
                transactor.saveCheckpoint(transaction, name, last);
            });
        }

        void handleAlone(StoredEvent<Object> event) throws Exception {
            transactor.inTransaction(transaction -> handler.handle(transaction, event));
        }

        void saveAlone(String name, Position position, Runnable beforeSave) throws Exception {
            transactor.inTransaction(transaction -> {
                beforeSave.run();
                transactor.saveCheckpoint(transaction, name, position);
            });
        }
    }

    /** Options for a {@link Subscription}. A handler (plain or transactional) is required. */
    public static final class Builder {
        private final String name;
        private final EventStore store;
        private final CheckpointStore checkpoints;
        private DeadLetterStore deadLetters = DeadLetterStore.inMemory();
        private EventHandler handler;
        private TransactionalSink<?> transactional;
        private Set<String> eventTypes = Set.of();
        private int batchSize = 256;
        private int checkpointEvery = 100;
        private Duration checkpointInterval = Duration.ofSeconds(1);
        private Duration pollInterval = Duration.ofMillis(500);
        private Backoff backoff = Backoff.defaults();
        private AppendNotifier notifier;
        private Runnable onReset = () -> { };
        private ThreadFactory threadFactory;
        private Clock clock = Clock.systemUTC();
        private BooleanSupplier guard;
        private PoisonPolicy poisonPolicy;
        private boolean deadLettersGiven;

        private Builder(String name, EventStore store, CheckpointStore checkpoints) {
            this.name = Names.check("Subscription name", name);
            this.store = Objects.requireNonNull(store, "store");
            this.checkpoints = Objects.requireNonNull(checkpoints, "checkpoints");
            this.notifier = store instanceof AppendNotifier appendNotifier ? appendNotifier : null;
        }

        /** The subscription's name. */
        public String name() {
            return name;
        }

        /** The handler that gets every event; this or {@link #transactional} is required. */
        public Builder handler(EventHandler value) {
            this.handler = Objects.requireNonNull(value, "handler");
            return this;
        }

        /**
         * Handles events inside transactions of {@code transactor} that also save the checkpoint (exactly-once effects
         * on a read model in the same database); replaces {@link #handler}. Each transaction holds up to
         * {@link #checkpointEvery} events; {@link #checkpointInterval} does not apply.
         */
        public <T> Builder transactional(Transactor<T> transactor, TransactionalHandler<T> value) {
            this.transactional = new TransactionalSink<>(Objects.requireNonNull(transactor, "transactor"),
                    Objects.requireNonNull(value, "handler"));
            return this;
        }

        /** Reads only these wire names (the store filters them); empty, the default, for every type. */
        public Builder eventTypes(Collection<String> values) {
            List<String> names = new ArrayList<>(values.size());
            for (String value : values) {
                names.add(Names.check("Event type", value));
            }
            this.eventTypes = Set.copyOf(names);
            return this;
        }

        /** Reads only these wire names; see {@link #eventTypes(Collection)}. */
        public Builder eventTypes(String... values) {
            return eventTypes(List.of(values));
        }

        /**
         * Where dead letters go. Giving one makes {@link PoisonPolicy#DEAD_LETTER} the default: poison events are
         * parked there and the subscription moves on. Without one the subscription halts on a poison event (see
         * {@link #onPoison}).
         */
        public Builder deadLetters(DeadLetterStore value) {
            this.deadLetters = Objects.requireNonNull(value, "deadLetters");
            this.deadLettersGiven = true;
            return this;
        }

        /**
         * What to do with a poison event: an event the store cannot decode, or one the handler still fails on after
         * the last retry. Default: {@link PoisonPolicy#DEAD_LETTER} when {@link #deadLetters} was given,
         * {@link PoisonPolicy#HALT} otherwise. {@code DEAD_LETTER} without a dead-letter store parks them in memory,
         * where they are lost when the JVM stops.
         */
        public Builder onPoison(PoisonPolicy value) {
            this.poisonPolicy = Objects.requireNonNull(value, "onPoison");
            return this;
        }

        /** How many events one read returns at most (default 256, at most {@value Limits#MAX_READ_LIMIT}). */
        public Builder batchSize(int value) {
            EventStore.checkReadLimit(value);
            this.batchSize = value;
            return this;
        }

        /** Saves the checkpoint after this many handled events (default 100; 1 saves after every event). */
        public Builder checkpointEvery(int value) {
            if (value < 1) {
                throw new InvalidInputException("checkpointEvery " + value + " is out of range. Use 1 or more.");
            }
            this.checkpointEvery = value;
            return this;
        }

        /** Saves the checkpoint at least this often while there is unsaved progress (default 1 s). */
        public Builder checkpointInterval(Duration value) {
            this.checkpointInterval = positive("checkpointInterval", value);
            return this;
        }

        /** How long it waits between reads when nothing wakes it (default 500 ms). */
        public Builder pollInterval(Duration value) {
            this.pollInterval = positive("pollInterval", value);
            return this;
        }

        /** Retries of a failing handler before the event is dead-lettered (default {@link Backoff#defaults()}). */
        public Builder retry(Backoff value) {
            this.backoff = Objects.requireNonNull(value, "retry");
            return this;
        }

        /**
         * What wakes it when events are appended (default: the store itself when it is an {@link AppendNotifier};
         * {@code null} to rely on polling alone).
         */
        public Builder notifier(AppendNotifier value) {
            this.notifier = value;
            return this;
        }

        /** Called by {@link Subscription#rebuild()} to clear what the handler built (a read model's tables). */
        public Builder onReset(Runnable value) {
            this.onReset = Objects.requireNonNull(value, "onReset");
            return this;
        }

        /** Makes the subscription's thread (default: a daemon thread named {@code eskit-subscription-<name>}). */
        public Builder threadFactory(ThreadFactory value) {
            this.threadFactory = Objects.requireNonNull(value, "threadFactory");
            return this;
        }

        /**
         * A check that this node may still act, such as {@code leadership::isHeld}. It is asked before every read,
         * before every checkpoint save, before every handler call (so that a node that lost its leadership stops
         * before another node can start) and, in transactional mode, inside every transaction just before it saves
         * the checkpoint. When it returns {@code false} (or throws), the subscription stops at once, saving nothing
         * more: events it handled since its last checkpoint are handled again by whoever runs it next.
         */
        public Builder guard(BooleanSupplier value) {
            this.guard = Objects.requireNonNull(value, "guard");
            return this;
        }

        /** The clock for dead-letter timestamps and lag (default: the system clock, UTC). */
        public Builder clock(Clock value) {
            this.clock = Objects.requireNonNull(value, "clock");
            return this;
        }

        /**
         * Builds the subscription, not yet started.
         *
         * @throws InvalidInputException when no handler was given
         */
        public Subscription build() {
            if (handler == null && transactional == null) {
                throw new InvalidInputException("Subscription \"" + name + "\" has no handler. Call"
                        + " handler(event -> ...) or transactional(transactor, handler) before build().");
            }
            if (handler != null && transactional != null) {
                throw new InvalidInputException("Subscription \"" + name + "\" has both a handler and a"
                        + " transactional handler. Give it one of them.");
            }
            if (threadFactory == null) {
                String threadName = "eskit-subscription-" + name;
                threadFactory = runnable -> {
                    Thread thread = new Thread(runnable, threadName);
                    thread.setDaemon(true);
                    return thread;
                };
            }
            return new Subscription(this);
        }

        private static Duration positive(String what, Duration value) {
            Objects.requireNonNull(value, what);
            if (value.isNegative() || value.isZero()) {
                throw new InvalidInputException(what + " " + value + " must be positive.");
            }
            return value;
        }
    }
}
