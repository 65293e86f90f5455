package dev.eskit.hooks;

import dev.eskit.ConcurrencyException;
import dev.eskit.command.CommandEnvelope;
import dev.eskit.command.CommandMiddleware;
import dev.eskit.command.CommandResult;
import dev.eskit.command.RetryPolicy;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.locks.LockSupport;

/**
 * Command middleware that runs the rest of the chain again when it fails with a {@link ConcurrencyException}, as
 * {@link RetryPolicy} describes (attempts, exponential backoff with jitter). Unlike the handler's built-in
 * {@code retry(...)}, it wraps the middleware added after it too, so inner middleware (a lock, a span) runs once per
 * attempt. Each attempt reloads the stream, so the decision sees the latest state.
 *
 * <pre>{@code
 * CommandBus.builder(store).middleware(RetryMiddleware.of(RetryPolicy.attempts(5))).register(routes).build();
 * }</pre>
 */
public final class RetryMiddleware implements CommandMiddleware {

    private final RetryPolicy policy;

    private RetryMiddleware(RetryPolicy policy) {
        this.policy = policy;
    }

    /** Retries as {@code policy} says. */
    public static RetryMiddleware of(RetryPolicy policy) {
        return new RetryMiddleware(Objects.requireNonNull(policy, "policy"));
    }

    /**
     * Proceeds, retrying on conflicts.
     *
     * @throws ConcurrencyException the last conflict when every attempt failed, or at once when interrupted
     */
    @Override
    public CommandResult<?, ?> handle(CommandEnvelope command, Next next) {
        for (int attempt = 1; ; attempt++) {
            try {
                return next.proceed(command);
            } catch (ConcurrencyException conflict) {
                if (attempt >= policy.maxAttempts()) {
                    throw conflict;
                }
                LockSupport.parkNanos(backoffNanos(attempt + 1));
                if (Thread.currentThread().isInterrupted()) {
                    throw conflict;
                }
            }
        }
    }

    /** Full-jitter exponential backoff before {@code attempt} (2 for the first retry), as {@link RetryPolicy} has it. */
    private long backoffNanos(int attempt) {
        long base = policy.initialBackoff().toNanos();
        long cap = policy.maxBackoff().toNanos();
        long exponential = base << Math.min(attempt - 2, 20);
        long bound = Math.max(0, Math.min(cap, exponential < 0 ? cap : exponential));
        return bound == 0 ? 0 : ThreadLocalRandom.current().nextLong(bound / 2, bound + 1);
    }
}
