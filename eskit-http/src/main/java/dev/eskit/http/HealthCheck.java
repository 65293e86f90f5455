package dev.eskit.http;

import dev.eskit.InvalidInputException;
import dev.eskit.subscription.Subscription;
import dev.eskit.subscription.SubscriptionLag;
import dev.eskit.subscription.SubscriptionState;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.function.Predicate;

/**
 * The health of a node's subscriptions as JSON and an HTTP status: 200 when every subscription runs within the lag
 * bounds, 503 when one has failed or lags beyond a bound. {@link LiveHttpServer} serves it; any other server can call
 * {@link #check()} and write the {@link Report}.
 *
 * <pre>{@code
 * HealthCheck health = HealthCheck.builder()
 *         .subscription(balances).subscription(transfers)
 *         .maxLagEvents(500).maxLagAge(Duration.ofMinutes(1))
 *         .build();
 * HealthCheck.Report report = health.check();   // report.status(), report.json()
 * }</pre>
 *
 * <p>The JSON: {@code {"status":"UP"|"DOWN","subscriptions":[{"name":..., "state":"LIVE", "healthy":true,
 * "lag":{"events":0,"atLeast":false,"ageMillis":0}, "heldBack":false, "lastError":null, "problems":[]}]}}.
 * {@code heldBack} (with {@code heldBackMillis}) says whether committed events wait behind an open append transaction
 * ({@link SubscriptionLag#heldBack()}); a {@link Builder#heldBack held-back test} replaces it. Each check reads the
 * lag from the store (one bounded read per subscription).
 */
public final class HealthCheck {

    private final List<Subscription> subscriptions;
    private final long maxLagEvents;
    private final Duration maxLagAge;
    private final Predicate<Subscription> heldBack;

    private HealthCheck(Builder builder) {
        this.subscriptions = List.copyOf(builder.subscriptions);
        this.maxLagEvents = builder.maxLagEvents;
        this.maxLagAge = builder.maxLagAge;
        this.heldBack = builder.heldBack;
    }

    /** A builder with no subscriptions and no lag bounds. */
    public static Builder builder() {
        return new Builder();
    }

    /** The subscriptions it reports on. */
    public List<Subscription> subscriptions() {
        return subscriptions;
    }

    /** Checks every subscription now. */
    public Report check() {
        StringBuilder json = new StringBuilder(256).append("{\"status\":\"");
        int statusAt = json.length();
        json.append("\",\"subscriptions\":[");
        boolean healthy = true;
        for (int i = 0; i < subscriptions.size(); i++) {
            Subscription subscription = subscriptions.get(i);
            List<String> problems = new ArrayList<>();
            SubscriptionState state = subscription.state();
            if (state == SubscriptionState.FAILED || state == SubscriptionState.HALTED) {
                problems.add(state.name().toLowerCase(java.util.Locale.ROOT) + ": "
                        + subscription.failure().map(Throwable::toString).orElse("unknown"));
            }
            SubscriptionLag lag = null;
            try {
                lag = subscription.lag(lagCap());
            } catch (RuntimeException e) {
                problems.add("lag unknown: " + e);
            }
            if (lag != null && maxLagEvents >= 0 && lag.events() > maxLagEvents) {
                problems.add((lag.atLeast() ? "at least " : "") + lag.events() + " events behind, more than "
                        + maxLagEvents);
            }
            if (lag != null && maxLagAge != null && lag.oldestAge().compareTo(maxLagAge) > 0) {
                problems.add("oldest unhandled event is " + lag.oldestAge().toMillis() + " ms old, more than "
                        + maxLagAge.toMillis() + " ms");
            }
            healthy &= problems.isEmpty();
            json.append(i == 0 ? "" : ",").append("{\"name\":").append(Json.string(subscription.name()))
                    .append(",\"state\":\"").append(state.name()).append("\",\"healthy\":")
                    .append(problems.isEmpty());
            if (lag != null) {
                json.append(",\"lag\":{\"events\":").append(lag.events()).append(",\"atLeast\":")
                        .append(lag.atLeast()).append(",\"ageMillis\":").append(lag.oldestAge().toMillis())
                        .append('}');
            }
            if (heldBack != null) {
                json.append(",\"heldBack\":").append(heldBack.test(subscription));
            } else if (lag != null) {
                json.append(",\"heldBack\":").append(lag.heldBack()).append(",\"heldBackMillis\":")
                        .append(lag.heldBackAge().toMillis());
            }
            json.append(",\"lastError\":")
                    .append(Json.string(subscription.lastError().map(Throwable::toString).orElse(null)))
                    .append(",\"problems\":[");
            for (int p = 0; p < problems.size(); p++) {
                json.append(p == 0 ? "" : ",").append(Json.string(problems.get(p)));
            }
            json.append("]}");
        }
        json.append("]}");
        json.insert(statusAt, healthy ? "UP" : "DOWN");
        return new Report(healthy ? 200 : 503, json.toString());
    }

    private int lagCap() {
        return maxLagEvents >= 0 && maxLagEvents < Subscription.DEFAULT_LAG_CAP
                ? (int) maxLagEvents + 1 : Subscription.DEFAULT_LAG_CAP;
    }

    /**
     * A health check's outcome.
     *
     * @param status the HTTP status: 200 when healthy, 503 otherwise
     * @param json   the JSON body
     */
    public record Report(int status, String json) {
        /** Checks the values. */
        public Report {
            Objects.requireNonNull(json, "json");
        }

        /** Whether every subscription is healthy. */
        public boolean healthy() {
            return status == 200;
        }
    }

    /** Options for a {@link HealthCheck}. */
    public static final class Builder {
        private final List<Subscription> subscriptions = new ArrayList<>();
        private long maxLagEvents = -1;
        private Duration maxLagAge;
        private Predicate<Subscription> heldBack;

        private Builder() {
        }

        /** Reports on {@code subscription}. */
        public Builder subscription(Subscription subscription) {
            subscriptions.add(Objects.requireNonNull(subscription, "subscription"));
            return this;
        }

        /** Reports on each of {@code values}. */
        public Builder subscriptions(Collection<Subscription> values) {
            values.forEach(this::subscription);
            return this;
        }

        /** Unhealthy when a subscription is more than {@code value} events behind (no bound by default). */
        public Builder maxLagEvents(long value) {
            if (value < 0) {
                throw new InvalidInputException("maxLagEvents must not be negative, not " + value + ".");
            }
            maxLagEvents = value;
            return this;
        }

        /** Unhealthy when a subscription's oldest unhandled event is older than {@code value} (no bound by default). */
        public Builder maxLagAge(Duration value) {
            if (value.isNegative()) {
                throw new InvalidInputException("maxLagAge must not be negative, not " + value + ".");
            }
            maxLagAge = value;
            return this;
        }

        /**
         * Computes the {@code heldBack} field with {@code test} instead of from the lag's held-back flag (report only;
         * it does not make the check unhealthy on its own).
         */
        public Builder heldBack(Predicate<Subscription> test) {
            heldBack = Objects.requireNonNull(test, "test");
            return this;
        }

        /** The check. */
        public HealthCheck build() {
            return new HealthCheck(this);
        }
    }
}
