package dev.eskit.hooks;

import dev.eskit.ConcurrencyException;
import dev.eskit.Retry;
import dev.eskit.command.CommandEnvelope;
import dev.eskit.command.CommandMiddleware;
import dev.eskit.command.CommandResult;
import dev.eskit.command.RetryPolicy;
import java.util.Objects;
import java.util.concurrent.locks.LockSupport;

/**
 * Command middleware that runs the rest of the chain again when it fails with a {@link ConcurrencyException}, as
 * {@link Retry} describes (attempts, exponential backoff with jitter). Unlike the handler's built-in
 * {@code retry(...)}, it wraps the middleware added after it too, so inner middleware (a lock, a span) runs once per
 * attempt. Each attempt reloads the stream, so the decision sees the latest state.
 *
 * <pre>{@code
 * CommandBus.builder(store).middleware(RetryMiddleware.of(Retry.attempts(5))).register(routes).build();
 * }</pre>
 */
public final class RetryMiddleware implements CommandMiddleware {

    private final Retry policy;

    private RetryMiddleware(Retry policy) {
        this.policy = policy;
    }

    /** Retries as {@code policy} says. */
    public static RetryMiddleware of(Retry policy) {
        return new RetryMiddleware(Objects.requireNonNull(policy, "policy"));
    }

    /**
     * Same as {@link #of(Retry)} with {@code policy.toRetry()}.
     *
     * @deprecated use {@link #of(Retry)}
     */
    @Deprecated
    public static RetryMiddleware of(RetryPolicy policy) {
        return of(Objects.requireNonNull(policy, "policy").toRetry());
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
                LockSupport.parkNanos(policy.pauseAfter(attempt).toNanos());
                if (Thread.currentThread().isInterrupted()) {
                    throw conflict;
                }
            }
        }
    }
}
