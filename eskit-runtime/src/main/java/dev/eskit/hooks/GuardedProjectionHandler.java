package dev.eskit.hooks;

import dev.eskit.StoredEvent;
import dev.eskit.projection.ProjectionHandler;
import java.time.Duration;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link ProjectionHandler} decorator that applies a {@link ProjectionErrorPolicy} when the wrapped handler throws.
 * Whatever runs projections (a subscription, a loop over {@code readAll}) runs the guarded handler instead.
 *
 * <pre>{@code
 * ProjectionHandler balances = GuardedProjectionHandler.of(new BalancesHandlers(view),
 *     ProjectionErrorPolicy.retry(3, Duration.ofMillis(20), ProjectionErrorPolicy.skip()));
 * }</pre>
 *
 * <p>Skipped events are logged at WARN (logger {@code dev.eskit.hooks.GuardedProjectionHandler}). After a halt every
 * call throws {@link ProjectionHaltedException} until {@link #resume()}, so a runner that ignores the first exception
 * still cannot apply later events out of order.
 */
public final class GuardedProjectionHandler implements ProjectionHandler {

    private static final Logger LOG = LoggerFactory.getLogger(GuardedProjectionHandler.class);
    private static final long MAX_BACKOFF_NANOS = Duration.ofSeconds(30).toNanos();

    private final ProjectionHandler delegate;
    private final ProjectionErrorPolicy policy;
    private final ProjectionErrorHook hook;
    private volatile ProjectionHaltedException halted;

    private GuardedProjectionHandler(ProjectionHandler delegate, ProjectionErrorPolicy policy,
                                     ProjectionErrorHook hook) {
        this.delegate = Objects.requireNonNull(delegate, "delegate");
        this.policy = Objects.requireNonNull(policy, "policy");
        this.hook = Objects.requireNonNull(hook, "hook");
    }

    /** Guards {@code delegate} with {@code policy}. */
    public static GuardedProjectionHandler of(ProjectionHandler delegate, ProjectionErrorPolicy policy) {
        return new GuardedProjectionHandler(delegate, policy, (name, event, attempt, error) -> { });
    }

    /** Guards {@code delegate} with {@code policy} and tells {@code hook} about every failure. */
    public static GuardedProjectionHandler of(ProjectionHandler delegate, ProjectionErrorPolicy policy,
                                              ProjectionErrorHook hook) {
        return new GuardedProjectionHandler(delegate, policy, hook);
    }

    @Override
    public String name() {
        return delegate.name();
    }

    @Override
    public Set<String> eventTypes() {
        return delegate.eventTypes();
    }

    /** Whether the projection halted and waits for {@link #resume()}. */
    public boolean isHalted() {
        return halted != null;
    }

    /** Clears a halt, so the next call tries again (normally the event it halted at). */
    public void resume() {
        halted = null;
    }

    /**
     * Applies {@code event}, following the policy when the handler throws.
     *
     * @throws ProjectionHaltedException when the policy halts here, or the projection halted earlier
     */
    @Override
    public void handle(StoredEvent<?> event) {
        ProjectionHaltedException stop = halted;
        if (stop != null) {
            throw new ProjectionHaltedException("Projection \"" + name() + "\" halted at position "
                    + stop.position() + " and does not apply later events. Fix the cause, call resume() and run it"
                    + " from its checkpoint.", stop.position(), stop);
        }
        int attempts = policy instanceof ProjectionErrorPolicy.Retry retry ? retry.attempts() : 1;
        ProjectionErrorPolicy fallback = policy instanceof ProjectionErrorPolicy.Retry retry ? retry.then() : policy;
        long pause = policy instanceof ProjectionErrorPolicy.Retry retry ? retry.backoff().toNanos() : 0;
        for (int attempt = 1; ; attempt++) {
            try {
                delegate.handle(event);
                return;
            } catch (RuntimeException error) {
                notifyHook(event, attempt, error);
                if (attempt < attempts) {
                    LockSupport.parkNanos(pause);
                    pause = Math.min(MAX_BACKOFF_NANOS, pause * 2);
                    if (!Thread.currentThread().isInterrupted()) {
                        continue;
                    }
                }
                if (fallback instanceof ProjectionErrorPolicy.Skip) {
                    LOG.warn("Projection \"{}\" skipped event {} ({} at position {}) after {} failed attempt(s)",
                            name(), event.id(), event.eventType(), event.position(), attempt, error);
                    return;
                }
                ProjectionHaltedException halt = new ProjectionHaltedException("Projection \"" + name()
                        + "\" halted at event " + event.id() + " (" + event.eventType() + " at position "
                        + event.position() + ") after " + attempt + " failed attempt(s): " + error
                        + ". Fix the cause, call resume() and run it from its checkpoint.", event.position(), error);
                halted = halt;
                throw halt;
            }
        }
    }

    private void notifyHook(StoredEvent<?> event, int attempt, RuntimeException error) {
        try {
            hook.onError(name(), event, attempt, error);
        } catch (RuntimeException e) {
            LOG.warn("Projection error hook failed for projection \"{}\"", name(), e);
        }
    }
}
