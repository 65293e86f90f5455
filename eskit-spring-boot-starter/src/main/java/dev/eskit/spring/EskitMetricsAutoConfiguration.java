package dev.eskit.spring;

import dev.eskit.command.CommandMiddleware;
import dev.eskit.observability.EskitObservability;
import dev.eskit.subscription.Subscription;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;

/**
 * Micrometer metrics when {@code eskit-observability} and a {@code MeterRegistry} are present: timers and counters
 * around every command and append ({@code docs/observability.md}) and gauge {@code eskit.subscription.lag} for every
 * subscription the starter runs, plus {@code eskit.subscription.dead_letters}.
 */
@AutoConfiguration(after = EskitAutoConfiguration.class, afterName = {
        "org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration",
        "org.springframework.boot.micrometer.metrics.autoconfigure.export.simple.SimpleMetricsExportAutoConfiguration"})
@ConditionalOnClass({EskitObservability.class, MeterRegistry.class})
@ConditionalOnBean(MeterRegistry.class)
@ConditionalOnBooleanProperty(name = "eskit.enabled", matchIfMissing = true)
public class EskitMetricsAutoConfiguration {

    /** eskit's metrics on the application's registry. */
    @Bean
    @ConditionalOnMissingBean
    public EskitObservability eskitObservability(MeterRegistry registry) {
        return EskitObservability.builder().meterRegistry(registry).build();
    }

    /** Measures every command; first, so that the timer covers the application's middleware too. */
    @Bean
    @Order(Ordered.HIGHEST_PRECEDENCE)
    public CommandMiddleware eskitMetricsMiddleware(EskitObservability observability) {
        return observability.commandMiddleware();
    }

    /** Measures every append of the command bus. */
    @Bean
    @Order(Ordered.LOWEST_PRECEDENCE)
    public EventStoreDecorator eskitMetricsStoreDecorator(EskitObservability observability) {
        return observability::instrument;
    }

    /** Registers the lag and dead-letter gauges of every subscription once all beans exist. */
    @Bean
    public SmartInitializingSingleton eskitSubscriptionGauges(EskitObservability observability,
                                                              EskitSubscriptions subscriptions) {
        return () -> {
            for (Subscription subscription : subscriptions.all()) {
                observability.subscriptionLag(subscription.name(), () -> subscription.lag().events());
                observability.deadLetters(subscription.name(), () -> subscription.deadLetters().size());
            }
        };
    }
}
