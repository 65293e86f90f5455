package dev.eskit.spring;

import dev.eskit.leader.LeaderSupervisor;
import dev.eskit.subscription.Subscription;
import dev.eskit.subscription.SubscriptionLag;
import dev.eskit.subscription.SubscriptionState;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;

/**
 * Actuator health of eskit's subscriptions ({@code /actuator/health/eskit}): each one's state, position and lag,
 * and the latest error it retried ({@code lastError}, {@code Subscription.lastError()}) when it has one. DOWN when
 * one has failed or halted on a poison event, or when a running one lags more than {@code eskit.health.max-lag}
 * events; a subscription that this node does not lead (leader election) is reported as standby and does not count.
 * With leader election, the supervisor's latest failure (its election unreachable, a role that failed to start) is
 * shown under {@code leaderSupervisor.lastError}; it stays after a recovery, so it does not make the health DOWN by
 * itself.
 */
public final class EskitHealthIndicator implements HealthIndicator {

    private final EskitSubscriptions subscriptions;
    private final long maxLag;

    /** An indicator over {@code subscriptions}; {@code maxLag} 0 reports lag without judging it. */
    public EskitHealthIndicator(EskitSubscriptions subscriptions, long maxLag) {
        this.subscriptions = subscriptions;
        this.maxLag = maxLag;
    }

    @Override
    public Health health() {
        boolean up = true;
        Map<String, Object> details = new LinkedHashMap<>();
        for (Subscription subscription : subscriptions.all()) {
            Map<String, Object> detail = new LinkedHashMap<>();
            SubscriptionState state = subscription.state();
            detail.put("state", state.name());
            detail.put("position", subscription.position().toString());
            if (state == SubscriptionState.FAILED || state == SubscriptionState.HALTED) {
                up = false;
                subscription.failure().ifPresent(f -> detail.put("failure", String.valueOf(f)));
            } else if (subscription.isRunning()) {
                SubscriptionLag lag = subscription.lag();
                detail.put("lag", lag.events());
                detail.put("lagIsAtLeast", lag.atLeast());
                if (lag.oldestAge() != null) {
                    detail.put("oldestUnhandledAge", lag.oldestAge().toString());
                }
                if (maxLag > 0 && lag.events() > maxLag) {
                    up = false;
                    detail.put("problem", "lag above eskit.health.max-lag=" + maxLag);
                }
            } else if (subscriptions.supervisor().isPresent()) {
                detail.put("role", subscriptions.supervisor().get().isLeader(subscription.name()) ? "leader"
                        : "standby");
            }
            // What it keeps retrying (a handler, the store or the checkpoint store): a subscription stuck on one
            // error still reads as running, so this is where an operator sees why, as in eskit-http's HealthCheck.
            subscription.lastError().ifPresent(e -> detail.put("lastError", e.toString()));
            details.put(subscription.name(), detail);
        }
        Health.Builder health = (up ? Health.up() : Health.down()).withDetail("subscriptions", details);
        subscriptions.supervisor().flatMap(LeaderSupervisor::lastError).ifPresent(error ->
                health.withDetail("leaderSupervisor", Map.of("lastError", String.valueOf(error))));
        return health.build();
    }
}
