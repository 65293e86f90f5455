package dev.eskit.spring;

import dev.eskit.command.queue.CommandQueue;
import java.util.Objects;
import org.springframework.context.SmartLifecycle;

/**
 * Runs the workers of the starter's {@link CommandQueue} with the application context: they start once the context
 * is refreshed and stop (each finishing the command it runs; claimed commands it did not start go back) before the
 * DataSource closes. Enqueue and await through {@link #queue()} or the {@code CommandQueue} bean.
 */
public final class EskitCommandQueue implements SmartLifecycle {

    private final CommandQueue queue;
    private volatile boolean running;

    /** Runs {@code queue}'s workers with the context. */
    public EskitCommandQueue(CommandQueue queue) {
        this.queue = Objects.requireNonNull(queue, "queue");
    }

    /** The queue. */
    public CommandQueue queue() {
        return queue;
    }

    @Override
    public synchronized void start() {
        if (!running) {
            queue.start();
            running = true;
        }
    }

    @Override
    public synchronized void stop() {
        if (running) {
            running = false;
            queue.stop();
        }
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    /** Starts with the subscriptions, so commands they enqueue find workers; stops before them. */
    @Override
    public int getPhase() {
        return EskitSubscriptions.PHASE;
    }
}
