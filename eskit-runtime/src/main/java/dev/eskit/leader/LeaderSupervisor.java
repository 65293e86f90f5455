package dev.eskit.leader;

import dev.eskit.InvalidInputException;
import dev.eskit.Names;
import dev.eskit.subscription.Subscription;
import dev.eskit.subscription.SubscriptionState;
import dev.eskit.todo.TodoProcessor;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs each supervised role (a subscription, a todo processor) on this node only while this node leads it, so that
 * among N nodes pointed at one database each role runs exactly once.
 *
 * <p>Every {@code checkInterval} it tries to acquire the leadership of each role it does not lead, and starts the role
 * when it gets it; it re-verifies each leadership it holds, and stops the role and gives the leadership up when it is
 * lost (or when the role stopped by itself, such as after a fatal handler error, so that another node can try). A
 * role {@linkplain Role#isHalted() halted} on a poison event is not restarted: this node keeps its leadership and the
 * role stays halted, visibly, until the application starts it again.
 * A supervised subscription also checks its leadership itself before every read, handler call, checkpoint save and
 * transaction ({@link Subscription.Builder#guard}), and a supervised todo processor before every claim and item
 * ({@link TodoProcessor.Builder#guard}), so a node that lost its lock stops acting without waiting for the next check.
 *
 * <p>Takeover time: when a leader dies or loses its lock, another node starts the role within one
 * {@code checkInterval} of the lock being released (on PostgreSQL the server releases a session lock when it notices
 * the connection is gone: at once when the process dies, after TCP keepalive when the network fails). A leader JVM
 * that is frozen rather than dead ({@code kill -STOP}, a long GC pause) keeps its connection, and so its lock: no
 * other node takes over while it is frozen.
 *
 * <pre>{@code
 * LeaderSupervisor supervisor = LeaderSupervisor.create(election, Duration.ofSeconds(1));
 * Subscription balances = supervisor.supervise(projector.subscription(store, checkpoints));
 * supervisor.start();
 * ...
 * supervisor.close();   // stops the roles it runs, gracefully, and gives up their leaderships
 * }</pre>
 */
public final class LeaderSupervisor implements AutoCloseable {

    /** Something that runs on one node at a time. */
    public interface Role {
        /** Starts it; called when this node becomes its leader. */
        void start();

        /** Stops it and waits until it has stopped; called when the leadership is lost or the supervisor closes. */
        void stop();

        /** Whether it is running; a role that stopped by itself gives its leadership up (unless it is halted). */
        boolean isRunning();

        /**
         * Whether it stopped by itself on something a restart would only repeat, such as a subscription
         * {@link dev.eskit.subscription.SubscriptionState#HALTED HALTED} on a poison event. The supervisor then keeps
         * its leadership, so that no other node starts it either, and does not restart it: it stays halted until
         * the application starts it again (or the node restarts). Default: never.
         */
        default boolean isHalted() {
            return false;
        }
    }

    private static final Logger LOG = LoggerFactory.getLogger(LeaderSupervisor.class);
    /** How often a failure that repeats at every check is logged again at most. */
    static final Duration REPORT_EVERY = Duration.ofMinutes(1);
    /** The longest check interval. */
    public static final Duration MAX_CHECK_INTERVAL = Duration.ofDays(1);

    private static final class Entry {
        final String name;
        final FailureLog starts;
        volatile Role role;
        volatile Leadership leadership;
        /** Whether the role's current halt was logged. */
        boolean haltLogged;

        Entry(String name) {
            this.name = name;
            this.starts = new FailureLog(LOG, "start role \"" + name + "\"", REPORT_EVERY.toNanos(), System::nanoTime);
        }

        boolean holds() {
            Leadership current = leadership;
            return current != null && current.isHeld();
        }
    }

    private final LeaderElection election;
    private final long checkIntervalNanos;
    private final List<Entry> entries = new CopyOnWriteArrayList<>();
    private final FailureLog acquires = new FailureLog(LOG, "acquire leaderships from the election",
            REPORT_EVERY.toNanos(), System::nanoTime);
    private volatile Thread thread;
    private volatile boolean closing;
    private volatile Throwable lastError;

    private LeaderSupervisor(LeaderElection election, Duration checkInterval) {
        this.election = Objects.requireNonNull(election, "election");
        Objects.requireNonNull(checkInterval, "checkInterval");
        if (checkInterval.isNegative() || checkInterval.isZero()
                || checkInterval.compareTo(MAX_CHECK_INTERVAL) > 0) {
            throw new InvalidInputException("checkInterval " + checkInterval + " is out of range. Use more than 0"
                    + " and at most " + MAX_CHECK_INTERVAL + " (1 day); it bounds the takeover time, so seconds are"
                    + " typical.");
        }
        this.checkIntervalNanos = checkInterval.toNanos();
    }

    /**
     * A supervisor that competes in {@code election} and checks its leaderships every {@code checkInterval}.
     *
     * @throws InvalidInputException when {@code checkInterval} is not more than 0 and at most
     *                               {@link #MAX_CHECK_INTERVAL} (1 day)
     */
    public static LeaderSupervisor create(LeaderElection election, Duration checkInterval) {
        return new LeaderSupervisor(election, checkInterval);
    }

    /**
     * Builds {@code builder}'s subscription guarded by its leadership (named like the subscription) and supervises
     * it. Do not start the returned subscription yourself, except to restart it after it
     * {@linkplain SubscriptionState#HALTED halted} (on the node that leads it: see {@link Role#isHalted()}).
     */
    public Subscription supervise(Subscription.Builder builder) {
        Objects.requireNonNull(builder, "builder");
        Entry entry = add(builder.name());
        Subscription subscription;
        try {
            subscription = builder.guard(entry::holds).build();
        } catch (RuntimeException e) {
            entries.remove(entry);
            throw e;
        }
        entry.role = role(subscription::start, subscription::stop, subscription::isRunning,
                () -> subscription.state() == SubscriptionState.HALTED);
        return subscription;
    }

    /**
     * Builds {@code builder}'s todo processor guarded by its leadership, named {@code "todo:" + list}, and supervises
     * it: the processor runs on one node at a time and checks its leadership before every claim and every item. Do
     * not start the returned processor yourself. (Todo processors that may run on every node at once need no
     * supervisor: their claims' leases keep them apart.)
     */
    public TodoProcessor supervise(TodoProcessor.Builder builder) {
        Objects.requireNonNull(builder, "builder");
        Entry entry = add("todo:" + builder.list());
        TodoProcessor processor;
        try {
            processor = builder.guard(entry::holds).build();
        } catch (RuntimeException e) {
            entries.remove(entry);
            throw e;
        }
        entry.role = role(processor::start, processor::stop, processor::isRunning, () -> false);
        return processor;
    }

    private static Role role(Runnable start, Runnable stop, BooleanSupplier running, BooleanSupplier halted) {
        return new Role() {
            @Override
            public void start() {
                start.run();
            }

            @Override
            public void stop() {
                stop.run();
            }

            @Override
            public boolean isRunning() {
                return running.getAsBoolean();
            }

            @Override
            public boolean isHalted() {
                return halted.getAsBoolean();
            }
        };
    }

    /**
     * Supervises {@code role} under leadership {@code name}. Give the role {@link #guard(String)} so that it can
     * re-verify its leadership before it acts.
     */
    public void supervise(String name, Role role) {
        Objects.requireNonNull(role, "role");
        add(name).role = role;
    }

    /** A check that this node leads {@code name}, re-verified on every call; for roles to call before acting. */
    public BooleanSupplier guard(String name) {
        Names.check("Leadership name", name);
        return () -> {
            for (Entry entry : entries) {
                if (entry.name.equals(name)) {
                    return entry.holds();
                }
            }
            return false;
        };
    }

    /** Whether this node currently leads {@code name} (re-verified). */
    public boolean isLeader(String name) {
        return guard(name).getAsBoolean();
    }

    /**
     * The latest failure of the election (such as a database it cannot connect to) or of a role's {@code start()}, if
     * any; it stays after a recovery. Both are retried at every check, and logged: the first failure at once (WARN),
     * then at most once a minute while they repeat, and once (INFO) when they stop.
     */
    public Optional<Throwable> lastError() {
        return Optional.ofNullable(lastError);
    }

    /** Starts competing for the leaderships, on a daemon thread; the first check happens at once. */
    public synchronized LeaderSupervisor start() {
        if (thread != null) {
            throw new InvalidInputException("This supervisor was already started. Create a new one instead.");
        }
        Thread started = new Thread(this::run, "eskit-leader-supervisor");
        started.setDaemon(true);
        thread = started;
        started.start();
        return this;
    }

    /** Stops every role this node runs, gracefully, and gives up its leaderships. */
    @Override
    public void close() {
        closing = true;
        Thread running = thread;
        if (running != null) {
            LockSupport.unpark(running);
            if (running != Thread.currentThread()) {
                try {
                    running.join();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }
        for (Entry entry : entries) {
            release(entry);
        }
    }

    private Entry add(String name) {
        Names.check("Leadership name", name);
        synchronized (entries) {
            for (Entry existing : entries) {
                if (existing.name.equals(name)) {
                    throw new InvalidInputException("Role \"" + name + "\" is supervised twice. Give every"
                            + " subscription and processor its own name.");
                }
            }
            Entry entry = new Entry(name);
            entries.add(entry);
            return entry;
        }
    }

    private void run() {
        while (!closing) {
            for (Entry entry : entries) {
                if (closing) {
                    break;
                }
                check(entry);
            }
            long deadline = System.nanoTime() + checkIntervalNanos;
            while (!closing) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    break;
                }
                LockSupport.parkNanos(this, left);
            }
        }
    }

    private void check(Entry entry) {
        Role role = entry.role;
        if (role == null) {
            return;
        }
        if (entry.leadership == null) {
            try {
                entry.leadership = election.tryAcquire(entry.name).orElse(null);
                acquires.succeeded();
            } catch (RuntimeException e) {
                // The database may be down; try again at the next check.
                entry.leadership = null;
                lastError = e;
                acquires.failed(e, "Role \"" + entry.name + "\" (and any other it does not lead) waits; the"
                        + " supervisor retries every " + checkIntervalMillis() + " ms (lastError() has the latest)");
            }
            if (entry.leadership != null) {
                try {
                    role.start();
                    entry.starts.succeeded();
                } catch (RuntimeException e) {
                    lastError = e;
                    entry.starts.failed(e, "Its leadership is released; the supervisor tries again at its next check"
                            + " (lastError() has the latest)");
                    release(entry);
                }
            }
        } else if (!entry.holds()) {
            release(entry);
        } else if (role.isRunning()) {
            entry.haltLogged = false;
        } else if (role.isHalted()) {
            // Restarting would only halt again on the same event: keep the leadership, so no node loops on it.
            if (!entry.haltLogged) {
                entry.haltLogged = true;
                LOG.warn("Role \"{}\" is halted; this node keeps its leadership and does not restart it, so no node"
                        + " runs it until it is started again: fix the event's data or the handler, then start() it"
                        + " on this node or restart the node", entry.name);
            }
        } else {
            // It stopped by itself otherwise (an Error from the handler): let any node try again.
            release(entry);
        }
    }

    private long checkIntervalMillis() {
        return Math.max(1, checkIntervalNanos / 1_000_000);
    }

    private void release(Entry entry) {
        Role role = entry.role;
        if (role != null) {
            role.stop();
        }
        Leadership held = entry.leadership;
        entry.leadership = null;
        entry.haltLogged = false;
        if (held != null) {
            held.close();
        }
    }
}
