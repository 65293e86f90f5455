package dev.eskit.change;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Optional;
import java.util.function.UnaryOperator;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One subscriber's view of a {@link ChangeNotifier}: the changes of its topics, in the order they were published,
 * in a bounded buffer. Publishing never waits for a subscriber: when the buffer is full, its contents are dropped and
 * the next signal {@link #poll(Duration) polled} is a {@link Resync}, after which changes flow again. Read it from one
 * thread; close it when done (closing wakes a waiting {@link #poll(Duration)}).
 *
 * <pre>{@code
 * try (ChangeSubscription changes = notifier.subscribe(List.of(Topic.of("balances")))) {
 *     while (running) {
 *         changes.poll(Duration.ofSeconds(15)).ifPresent(signal -> {
 *             if (signal instanceof Change c) refresh(c.keys()); else reloadEverything();
 *         });
 *     }
 * }
 * }</pre>
 */
public final class ChangeSubscription implements AutoCloseable {

    private final ChangeNotifier notifier;
    /** The topics as the (shared) notifier keeps them: a tenant view's read models carry the tenant's prefix. */
    private final List<Topic> kept;
    /** The topics as the subscriber named them. */
    private final List<Topic> topics;
    /** Turns a change as the notifier keeps it into the change as the subscriber knows it. */
    private final UnaryOperator<Change> view;
    private final int capacity;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition available = lock.newCondition();
    private final ArrayDeque<ChangeSignal> buffer = new ArrayDeque<>();
    private volatile Runnable listener;
    private long overflows;
    private boolean closed;

    ChangeSubscription(ChangeNotifier notifier, List<Topic> kept, List<Topic> topics, UnaryOperator<Change> view,
                       int capacity) {
        this.notifier = notifier;
        this.kept = List.copyOf(kept);
        this.topics = List.copyOf(topics);
        this.view = view;
        this.capacity = capacity;
    }

    /** The topics as the notifier keeps them. */
    List<Topic> keptTopics() {
        return kept;
    }

    /** Whether {@code change}, as the notifier keeps it, concerns one of its topics. */
    boolean accepts(Change change) {
        for (Topic topic : kept) {
            if (topic.matches(change)) {
                return true;
            }
        }
        return false;
    }

    /** The topics it receives. */
    public List<Topic> topics() {
        return topics;
    }

    /** How many signals it buffers before it drops them for a {@link Resync}. */
    public int capacity() {
        return capacity;
    }

    /** Whether {@code change} concerns one of its topics. */
    public boolean matches(Change change) {
        for (Topic topic : topics) {
            if (topic.matches(change)) {
                return true;
            }
        }
        return false;
    }

    /**
     * The next signal, waiting up to {@code timeout} for one.
     *
     * @return empty when {@code timeout} passed, or when the subscription is closed and its buffer is empty
     * @throws InterruptedException when the waiting thread is interrupted
     */
    public Optional<ChangeSignal> poll(Duration timeout) throws InterruptedException {
        long left = timeout.toNanos();
        lock.lockInterruptibly();
        try {
            while (buffer.isEmpty()) {
                if (closed || left <= 0) {
                    return Optional.empty();
                }
                left = available.awaitNanos(left);
            }
            return Optional.of(buffer.removeFirst());
        } finally {
            lock.unlock();
        }
    }

    /** The next signal if one is buffered, without waiting. */
    public Optional<ChangeSignal> poll() {
        lock.lock();
        try {
            return Optional.ofNullable(buffer.pollFirst());
        } finally {
            lock.unlock();
        }
    }

    /**
     * Calls {@code onSignal} (on the publishing thread, so it must be quick and must not throw) whenever a signal is
     * buffered; for adapters that wake a reader (a coroutine, a selector) instead of blocking in {@link #poll}.
     */
    public void onSignal(Runnable onSignal) {
        this.listener = onSignal;
        if (onSignal != null && size() > 0) {
            onSignal.run();
        }
    }

    /** How many signals are buffered. */
    public int size() {
        lock.lock();
        try {
            return buffer.size();
        } finally {
            lock.unlock();
        }
    }

    /** How many times its buffer overflowed and was replaced by a {@link Resync}. */
    public long overflows() {
        lock.lock();
        try {
            return overflows;
        } finally {
            lock.unlock();
        }
    }

    /** Whether it is closed. */
    public boolean isClosed() {
        lock.lock();
        try {
            return closed;
        } finally {
            lock.unlock();
        }
    }

    /** Stops the deliveries and wakes a waiting {@link #poll(Duration)}; closing twice is harmless. */
    @Override
    public void close() {
        lock.lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
            available.signalAll();
        } finally {
            lock.unlock();
        }
        notifier.remove(this);
    }

    /** Buffers {@code signal}, or on overflow replaces the buffer with one resync. Never blocks for long. */
    void offer(ChangeSignal offered) {
        ChangeSignal signal = offered;
        lock.lock();
        try {
            if (closed) {
                return;
            }
            if (signal instanceof Change change) {
                signal = view.apply(change);
            }
            if (signal instanceof Resync) {
                // A resync makes everything buffered before it moot.
                buffer.clear();
                buffer.addLast(signal);
            } else if (buffer.size() >= capacity) {
                overflows++;
                buffer.clear();
                buffer.addLast(new Resync(signal.position(), "overflow"));
            } else {
                buffer.addLast(signal);
            }
            available.signalAll();
        } finally {
            lock.unlock();
        }
        Runnable wake = listener;
        if (wake != null) {
            wake.run();
        }
    }

    @Override
    public String toString() {
        return "ChangeSubscription" + topics;
    }
}
