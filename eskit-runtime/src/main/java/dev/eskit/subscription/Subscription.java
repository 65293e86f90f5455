package dev.eskit.subscription;

import dev.eskit.EventStore;
import dev.eskit.Position;
import dev.eskit.internal.WorkerLoop;
import dev.eskit.tenancy.TenantScope;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.function.UnaryOperator;

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
 *       backoff ({@link dev.eskit.Retry}). A poison event (the handler failed on the last attempt, or the store cannot decode it) is
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

    /** How many events {@link #lag()} counts at most. */
    public static final int DEFAULT_LAG_CAP = 1000;

    private final String name;
    private final Set<String> eventTypes;
    private final Runnable onReset;
    private final Clock clock;
    // The parts, each with one job; see their classes.
    private final WorkerLoop loop = new WorkerLoop();
    private final Status status;
    private final Reader reader;
    private final Checkpointer checkpointer;
    private final ErrorPolicy errors;
    private final DeadLetterReplay deadLetters;
    private final Lifecycle lifecycle;

    private Subscription(Builder options) {
        this.name = options.name;
        this.eventTypes = Set.copyOf(options.eventTypes);
        this.onReset = options.onReset;
        this.clock = options.clock;
        // A tenant's subscription keeps its checkpoint and dead letters under its own names (dev.eskit.tenancy).
        CheckpointStore checkpoints = TenantScope.adopt(options.store, options.checkpoints);
        DeadLetterStore letters = TenantScope.adopt(options.store, options.deadLetters);
        String checkpointName = TenantScope.of(options.store)
                .map(scope -> scope.name("Subscription name", name)).orElse(name);
        this.status = new Status(name);
        Fence fence = new Fence(name, options.guard, status, loop);
        this.reader = new Reader(options.store, eventTypes, options.batchSize);
        this.checkpointer = new Checkpointer(name, checkpoints, options.checkpointEvery,
                options.checkpointInterval.toNanos(), System::nanoTime);
        // What the log shows of a failure: on a store that protects personal data, the redacted letter (the message of
        // a personal event's failure may quote decrypted data).
        this.errors = new ErrorPolicy(name, options.retry, options.effectivePoisonPolicy(), letters, clock, status,
                loop, fence, options.store.personalData()
                        .<UnaryOperator<DeadLetter>>map(protector -> protector::redact)
                        .orElse(UnaryOperator.identity()));
        Delivery delivery = options.transactional != null
                ? new TransactionalDelivery(options.transactional, checkpointName, options.checkpointEvery, reader,
                        checkpointer, errors, fence, status, loop)
                : new PlainDelivery(options.handler, reader, checkpointer, errors, fence, status, loop);
        this.deadLetters = new DeadLetterReplay(name, options.store, letters, delivery, status, clock);
        SubscriptionWorker worker = new SubscriptionWorker(reader, checkpointer, delivery, errors, fence, status, loop,
                options.notifier, options.pollInterval.toNanos());
        this.lifecycle = new Lifecycle(name, loop, status, fence, reader, options.threadFactory, worker);
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
        return status.state();
    }

    /** Whether its thread is running (it may be stopping). */
    public boolean isRunning() {
        return status.active();
    }

    /** The position of the last event it handled (or dead-lettered), or where it started. */
    public Position position() {
        return reader.position();
    }

    /** The checkpoint it last loaded or saved, empty when it has none. */
    public Optional<Position> checkpoint() {
        return checkpointer.checkpoint();
    }

    /**
     * What stopped it: the {@link Error} from the handler when its state is {@link SubscriptionState#FAILED}, or a
     * {@link SubscriptionHaltedException} naming the poison event when it is {@link SubscriptionState#HALTED}.
     */
    public Optional<Throwable> failure() {
        return Optional.ofNullable(status.failure());
    }

    /** What it does with a poison event (see {@link PoisonPolicy}). */
    public PoisonPolicy poisonPolicy() {
        return errors.poisonPolicy();
    }

    /** The latest failure it retried: a handler exception or a store or checkpoint-store failure. */
    public Optional<Throwable> lastError() {
        return Optional.ofNullable(status.lastError());
    }

    /**
     * Starts reading on a new thread, from the saved checkpoint (or the start of the log). A stopped subscription may
     * be started again.
     *
     * @return this subscription
     * @throws SubscriptionException when it is running
     */
    public Subscription start() {
        lifecycle.start();
        return this;
    }

    /** Asks it to read now instead of at its next poll; harmless when it is not running. */
    public void wake() {
        loop.wake();
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
        return lifecycle.stop(timeout);
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
        return status.caughtUp();
    }

    /**
     * Waits until the subscription has caught up since it was started (see {@link #caughtUp()}).
     *
     * @return {@code true} when it caught up, {@code false} when {@code timeout} passed or it stopped first
     * @throws SubscriptionException when the handler stopped it with an error
     */
    public boolean awaitCaughtUp(Duration timeout) {
        return lifecycle.awaitCaughtUp(timeout);
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
        return lifecycle.awaitPosition(Objects.requireNonNull(target, "target"), timeout);
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
        if (cap < 1) {
            throw new dev.eskit.InvalidReadLimitException("Lag cap " + cap + " of subscription \"" + name
                    + "\" must be at least 1: it is how many waiting events lag() counts at most (lag() counts "
                    + DEFAULT_LAG_CAP + ").");
        }
        return reader.lag(cap, clock);
    }

    /** Up to 1,000 of its dead letters, oldest event first. */
    public List<DeadLetter> deadLetters() {
        return deadLetters.list(1000);
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
        return deadLetters.replay(id);
    }

    /**
     * Replays every dead letter of this subscription, oldest event first (see {@link #replayDeadLetter(UUID)}).
     *
     * @return how many succeeded and were deleted
     */
    public int replayDeadLetters() {
        return deadLetters.replayAll();
    }

    /**
     * Deletes one of its dead letters without handling it.
     *
     * @return whether it existed
     */
    public boolean deleteDeadLetter(UUID id) {
        return deadLetters.delete(id);
    }

    /**
     * Starts over from the beginning of the log: stops the subscription if it runs, deletes its checkpoint and dead
     * letters, calls the reset hook ({@link Builder#onReset(Runnable)}), and starts it again if it was running.
     *
     * @throws SubscriptionException when called from the handler
     */
    public void rebuild() {
        lifecycle.restartAround(() -> {
            checkpointer.forget();
            deadLetters.deleteAll();
            onReset.run();
            reader.reset(Position.START);
        });
    }

    @Override
    public String toString() {
        return "Subscription[" + name + ", " + status.state() + ", at " + reader.position() + "]";
    }

    /** Options for a {@link Subscription} (see {@link SubscriptionOptions}). A handler (plain or transactional) is required. */
    public static final class Builder extends SubscriptionOptions<Builder> {

        private Builder(String name, EventStore store, CheckpointStore checkpoints) {
            super(name, store, checkpoints);
        }

        @Override
        Builder self() {
            return this;
        }

        /**
         * Builds the subscription, not yet started.
         *
         * @throws dev.eskit.InvalidInputException when no handler was given
         */
        public Subscription build() {
            validate();
            return new Subscription(this);
        }
    }
}
