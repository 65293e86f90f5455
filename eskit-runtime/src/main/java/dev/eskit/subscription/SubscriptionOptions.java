package dev.eskit.subscription;

import dev.eskit.EventStore;
import dev.eskit.InvalidInputException;
import dev.eskit.Limits;
import dev.eskit.Names;
import dev.eskit.Retry;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ThreadFactory;
import java.util.function.BooleanSupplier;

/**
 * The settings of a {@link Subscription}: what it reads, how it hands events over, how it saves its checkpoint and
 * what it does when a handler fails. {@link Subscription.Builder} is the one to use; this class holds its settings so
 * that every kind of subscription builder shares them.
 *
 * @param <B> the concrete builder, returned by every setter
 */
public abstract class SubscriptionOptions<B extends SubscriptionOptions<B>> {
    final String name;
    final EventStore store;
    final CheckpointStore checkpoints;
    DeadLetterStore deadLetters = DeadLetterStore.inMemory();
    boolean deadLettersGiven;
    EventHandler handler;
    TransactionalSink<?> transactional;
    Set<String> eventTypes = Set.of();
    int batchSize = 256;
    int checkpointEvery = 100;
    /** The longest poll and checkpoint interval. */
    static final Duration LONGEST_INTERVAL = Duration.ofDays(365);

    Duration checkpointInterval = Duration.ofSeconds(1);
    Duration pollInterval = Duration.ofMillis(500);
    Retry retry = Retry.defaults();
    AppendNotifier notifier;
    Runnable onReset = () -> { };
    ThreadFactory threadFactory;
    Clock clock = Clock.systemUTC();
    BooleanSupplier guard;
    PoisonPolicy poisonPolicy;

    SubscriptionOptions(String name, EventStore store, CheckpointStore checkpoints) {
        this.name = Names.check("Subscription name", name);
        if (!name.strip().equals(name)) {
            throw new InvalidInputException("Subscription name \"" + name + "\" is blank or has blanks around it."
                    + " Use a name without surrounding blanks, as @Projection names.");
        }
        this.store = Objects.requireNonNull(store, "store");
        this.checkpoints = Objects.requireNonNull(checkpoints, "checkpoints");
        this.notifier = store instanceof AppendNotifier appendNotifier ? appendNotifier : null;
    }

    /** This builder, typed. */
    abstract B self();

    /** The subscription's name. */
    public String name() {
        return name;
    }

    /** The handler that gets every event; this or {@link #transactional} is required. */
    public B handler(EventHandler value) {
        this.handler = Objects.requireNonNull(value, "handler");
        return self();
    }

    /**
     * Handles events inside transactions of {@code transactor} that also save the checkpoint (exactly-once effects
     * on a read model in the same database); replaces {@link #handler}. Each transaction holds up to
     * {@link #checkpointEvery} events; {@link #checkpointInterval} does not apply.
     */
    public <T> B transactional(Transactor<T> transactor, TransactionalHandler<T> value) {
        this.transactional = new TransactionalSink<>(Objects.requireNonNull(transactor, "transactor"),
                Objects.requireNonNull(value, "handler"));
        return self();
    }

    /** Reads only these wire names (the store filters them); empty, the default, for every type. */
    public B eventTypes(Collection<String> values) {
        Objects.requireNonNull(values, "eventTypes: pass the wire names to read, or none for every type");
        List<String> names = new ArrayList<>(values.size());
        for (String value : values) {
            names.add(Names.check("Event type", value));
        }
        this.eventTypes = Set.copyOf(names);
        return self();
    }

    /** Reads only these wire names; see {@link #eventTypes(Collection)}. */
    public B eventTypes(String... values) {
        return eventTypes(java.util.Arrays.asList(Objects.requireNonNull(values,
                "eventTypes: pass the wire names to read, or none for every type")));
    }

    /**
     * Where dead letters go. Giving one makes {@link PoisonPolicy#DEAD_LETTER} the default: poison events are
     * parked there and the subscription moves on. Without one the subscription halts on a poison event (see
     * {@link #onPoison}).
     */
    public B deadLetters(DeadLetterStore value) {
        this.deadLetters = Objects.requireNonNull(value, "deadLetters");
        this.deadLettersGiven = true;
        return self();
    }

    /**
     * What to do with a poison event: an event the store cannot decode, or one the handler still fails on after
     * the last retry. Default: {@link PoisonPolicy#DEAD_LETTER} when {@link #deadLetters} was given,
     * {@link PoisonPolicy#HALT} otherwise. {@code DEAD_LETTER} without a dead-letter store parks them in memory,
     * where they are lost when the JVM stops.
     */
    public B onPoison(PoisonPolicy value) {
        this.poisonPolicy = Objects.requireNonNull(value, "onPoison");
        return self();
    }

    /** How many events one read returns at most (default 256, at most {@value Limits#MAX_READ_LIMIT}). */
    public B batchSize(int value) {
        EventStore.checkReadLimit(value);
        this.batchSize = value;
        return self();
    }

    /** Saves the checkpoint after this many handled events (default 100; 1 saves after every event). */
    public B checkpointEvery(int value) {
        if (value < 1) {
            throw new InvalidInputException("checkpointEvery " + value + " is out of range. Use 1 or more.");
        }
        this.checkpointEvery = value;
        return self();
    }

    /** Saves the checkpoint at least this often while there is unsaved progress (default 1 s). */
    public B checkpointInterval(Duration value) {
        this.checkpointInterval = positive("checkpointInterval", value);
        return self();
    }

    /** How long it waits between reads when nothing wakes it (default 500 ms). */
    public B pollInterval(Duration value) {
        this.pollInterval = positive("pollInterval", value);
        return self();
    }

    /**
     * Attempts of a failing handler before the event is a poison event, and the waits between them (default
     * {@link Retry#defaults()}: 5 attempts, 100 ms doubling up to 10 s). The same waits pace retries of a failing
     * store or checkpoint store.
     */
    public B retry(Retry value) {
        this.retry = Objects.requireNonNull(value, "retry");
        return self();
    }

    /**
     * Same as {@link #retry(Retry)} with {@code value.toRetry()}.
     *
     * @deprecated use {@link #retry(Retry)}
     */
    @Deprecated
    public B retry(Backoff value) {
        return retry(Objects.requireNonNull(value, "retry").toRetry());
    }

    /**
     * What wakes it when events are appended (default: the store itself when it is an {@link AppendNotifier};
     * {@code null} to rely on polling alone).
     */
    public B notifier(AppendNotifier value) {
        this.notifier = value;
        return self();
    }

    /** Called by {@link Subscription#rebuild()} to clear what the handler built (a read model's tables). */
    public B onReset(Runnable value) {
        this.onReset = Objects.requireNonNull(value, "onReset");
        return self();
    }

    /** Makes the subscription's thread (default: a daemon thread named {@code eskit-subscription-<name>}). */
    public B threadFactory(ThreadFactory value) {
        this.threadFactory = Objects.requireNonNull(value, "threadFactory");
        return self();
    }

    /**
     * A check that this node may still act, such as {@code leadership::isHeld}. It is asked before every read,
     * before every checkpoint save, before every handler call (so that a node that lost its leadership stops
     * before another node can start) and, in transactional mode, inside every transaction before each handler call
     * and before it saves the checkpoint. When it returns {@code false} (or throws), the subscription stops at once,
     * saving nothing more: events it handled since its last checkpoint are handled again by whoever runs it next.
     */
    public B guard(BooleanSupplier value) {
        this.guard = Objects.requireNonNull(value, "guard");
        return self();
    }

    /** The clock for dead-letter timestamps and lag (default: the system clock, UTC). */
    public B clock(Clock value) {
        this.clock = Objects.requireNonNull(value, "clock");
        return self();
    }

    /** Checks that exactly one handler was given; fills in the default thread factory. */
    void validate() {
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
    }

    /** The poison policy in effect: the one set, or the default that follows from {@link #deadLetters}. */
    PoisonPolicy effectivePoisonPolicy() {
        if (poisonPolicy != null) {
            return poisonPolicy;
        }
        return deadLettersGiven ? PoisonPolicy.DEAD_LETTER : PoisonPolicy.HALT;
    }

    private static Duration positive(String what, Duration value) {
        Objects.requireNonNull(value, what);
        if (value.isNegative() || value.isZero()) {
            throw new InvalidInputException(what + " " + value + " must be positive.");
        }
        if (value.compareTo(LONGEST_INTERVAL) > 0) {
            throw new InvalidInputException(what + " " + value + " is longer than " + LONGEST_INTERVAL.toDays()
                    + " days. Use a positive duration of at most that.");
        }
        return value;
    }
}
