package dev.eskit.hooks;

import dev.eskit.InvalidInputException;
import dev.eskit.command.CommandEnvelope;
import dev.eskit.command.CommandMiddleware;
import dev.eskit.command.CommandResult;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Command middleware that lets one command at a time run per stream in this JVM, so commands on a hot stream queue up
 * instead of failing with concurrency conflicts. Streams map onto a fixed number of lock stripes by hash; two streams
 * sharing a stripe also wait for each other, which is safe but slower, so pick more stripes than the commands you
 * run at once. Other streams are not blocked.
 *
 * <p>This serialises writers inside one process only. Several application nodes still race through the store's
 * optimistic concurrency check; add {@link RetryMiddleware} (outside this one) for that.
 *
 * <pre>{@code
 * CommandBus.builder(store)
 *     .middleware(RetryMiddleware.of(Retry.attempts(3)))
 *     .middleware(SingleWriterMiddleware.create())
 *     .register(routes).build();
 * }</pre>
 */
public final class SingleWriterMiddleware implements CommandMiddleware {

    /** The number of stripes {@link #create()} uses. */
    public static final int DEFAULT_STRIPES = 1024;

    private final ReentrantLock[] stripes;

    private SingleWriterMiddleware(int count) {
        stripes = new ReentrantLock[count];
        for (int i = 0; i < count; i++) {
            stripes[i] = new ReentrantLock();
        }
    }

    /** Middleware with {@link #DEFAULT_STRIPES} stripes. */
    public static SingleWriterMiddleware create() {
        return new SingleWriterMiddleware(DEFAULT_STRIPES);
    }

    /**
     * Middleware with {@code stripes} lock stripes.
     *
     * @throws InvalidInputException when {@code stripes} is not between 1 and 1,048,576
     */
    public static SingleWriterMiddleware withStripes(int stripes) {
        if (stripes < 1 || stripes > 1 << 20) {
            throw new InvalidInputException("Stripe count " + stripes + " is out of range. Use 1 to 1048576.");
        }
        return new SingleWriterMiddleware(stripes);
    }

    /**
     * Runs the rest of the chain holding the stream's lock; waits (interruptibly) for it.
     *
     * @throws CommandInterruptedException when the thread is interrupted while waiting; the command did not run
     */
    @Override
    public CommandResult<?, ?> handle(CommandEnvelope command, Next next) {
        ReentrantLock lock = stripes[Math.floorMod(spread(command.stream().hashCode()), stripes.length)];
        try {
            lock.lockInterruptibly();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CommandInterruptedException("Interrupted while waiting to write to " + command.stream()
                    + "; the command did not run. Send it again if it is still wanted.", e);
        }
        try {
            return next.proceed(command);
        } finally {
            lock.unlock();
        }
    }

    private static int spread(int hash) {
        return hash ^ (hash >>> 16);
    }
}
