package dev.eskit.spring;

import dev.eskit.leader.LeaderSupervisor;
import dev.eskit.subscription.Subscription;
import dev.eskit.todo.TodoProcessor;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.springframework.context.SmartLifecycle;

/**
 * The subscriptions and todo processors of the application, started by the Spring context once every bean exists
 * (the last lifecycle phase, after the web server) and stopped first when the context closes: each finishes the event
 * it is handling and saves its checkpoint, within {@code eskit.subscriptions.stop-timeout}.
 *
 * <p>The starter builds one subscription for each {@code Projector}, generated {@code ProjectionHandler} and
 * {@code Automation} bean, and adds every {@link Subscription} and {@link TodoProcessor} bean the application defines
 * (built, not started). With leader election on, the starter's own subscriptions run under a
 * {@link LeaderSupervisor}, so only one node runs each.
 *
 * <pre>{@code
 * @Autowired EskitSubscriptions subscriptions;
 * subscriptions.find("balances").orElseThrow().awaitCaughtUp(Duration.ofSeconds(5));
 * }</pre>
 */
public final class EskitSubscriptions implements SmartLifecycle {

    /** The lifecycle phase: after the web server starts, and stopped before it stops accepting requests. */
    public static final int PHASE = Integer.MAX_VALUE - 1000;

    private final List<Subscription> subscriptions;
    private final List<TodoProcessor> todoProcessors;
    private final LeaderSupervisor supervisor;
    private final List<Subscription> supervised;
    private final Duration stopTimeout;
    private final boolean autoStartup;
    private volatile boolean running;

    /**
     * Creates the set.
     *
     * @param subscriptions  subscriptions started and stopped directly
     * @param supervisor     the leader supervisor that starts {@code supervised}, or {@code null}
     * @param supervised     subscriptions the supervisor runs (empty without a supervisor)
     * @param todoProcessors todo processors started and stopped directly
     * @param stopTimeout    how long stopping waits for each subscription
     * @param autoStartup    whether the context starts them
     */
    public EskitSubscriptions(List<Subscription> subscriptions, LeaderSupervisor supervisor,
                              List<Subscription> supervised, List<TodoProcessor> todoProcessors,
                              Duration stopTimeout, boolean autoStartup) {
        this.subscriptions = List.copyOf(subscriptions);
        this.supervisor = supervisor;
        this.supervised = List.copyOf(supervised);
        this.todoProcessors = List.copyOf(todoProcessors);
        this.stopTimeout = Objects.requireNonNull(stopTimeout, "stopTimeout");
        this.autoStartup = autoStartup;
    }

    /** Every subscription, supervised ones included, in registration order. */
    public List<Subscription> all() {
        List<Subscription> all = new ArrayList<>(subscriptions);
        all.addAll(supervised);
        return Collections.unmodifiableList(all);
    }

    /** The subscription named {@code name}. */
    public Optional<Subscription> find(String name) {
        return all().stream().filter(s -> s.name().equals(name)).findFirst();
    }

    /** The todo processors. */
    public List<TodoProcessor> todoProcessors() {
        return todoProcessors;
    }

    /** The leader supervisor, when leader election is on. */
    public Optional<LeaderSupervisor> supervisor() {
        return Optional.ofNullable(supervisor);
    }

    @Override
    public synchronized void start() {
        if (running) {
            return;
        }
        for (Subscription subscription : subscriptions) {
            if (!subscription.isRunning()) {
                subscription.start();
            }
        }
        if (supervisor != null) {
            supervisor.start();
        }
        for (TodoProcessor processor : todoProcessors) {
            if (!processor.isRunning()) {
                processor.start();
            }
        }
        running = true;
    }

    @Override
    public synchronized void stop() {
        if (!running) {
            return;
        }
        running = false;
        RuntimeException first = null;
        for (TodoProcessor processor : todoProcessors) {
            first = attempt(first, processor::stop);
        }
        if (supervisor != null) {
            first = attempt(first, supervisor::close);
        }
        for (Subscription subscription : subscriptions) {
            first = attempt(first, () -> subscription.stop(stopTimeout));
        }
        if (first != null) {
            throw first;
        }
    }

    private static RuntimeException attempt(RuntimeException first, Runnable action) {
        try {
            action.run();
            return first;
        } catch (RuntimeException e) {
            if (first == null) {
                return e;
            }
            first.addSuppressed(e);
            return first;
        }
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    @Override
    public boolean isAutoStartup() {
        return autoStartup;
    }

    @Override
    public int getPhase() {
        return PHASE;
    }
}
