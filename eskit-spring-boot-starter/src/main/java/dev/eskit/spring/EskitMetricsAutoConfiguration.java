package dev.eskit.spring;

import dev.eskit.command.CommandBus;
import dev.eskit.command.CommandMiddleware;
import dev.eskit.observability.EskitObservability;
import dev.eskit.subscription.DeadLetterStore;
import dev.eskit.subscription.Subscription;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.beans.factory.ObjectProvider;
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
 * subscription the starter runs, plus {@code eskit.subscription.dead_letters}, and the command bus's state cache
 * figures ({@code eskit.commands.state_cache.*} per stream type).
 */
@AutoConfiguration(after = EskitAutoConfiguration.class, afterName = {
        "org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration",
        "org.springframework.boot.micrometer.metrics.autoconfigure.export.simple.SimpleMetricsExportAutoConfiguration"})
@ConditionalOnClass({EskitObservability.class, MeterRegistry.class})
@ConditionalOnBean(MeterRegistry.class)
@ConditionalOnBooleanProperty(name = "eskit.enabled", matchIfMissing = true)
public class EskitMetricsAutoConfiguration {

    // EskitObservability is not a bean: Spring introspects a bean's fields, and its tracer field needs
    // OpenTelemetry on the class path. Each bean below builds one on the registry (they share its meters).

    /** Measures every command; first, so that the timer covers the application's middleware too. */
    @Bean
    @Order(Ordered.HIGHEST_PRECEDENCE)
    @ConditionalOnMissingBean(name = "eskitMetricsMiddleware")
    public CommandMiddleware eskitMetricsMiddleware(MeterRegistry registry) {
        return observability(registry).commandMiddleware();
    }

    /** Measures every append of the command bus. */
    @Bean
    @Order(Ordered.LOWEST_PRECEDENCE)
    @ConditionalOnMissingBean(name = "eskitMetricsStoreDecorator")
    public EventStoreDecorator eskitMetricsStoreDecorator(MeterRegistry registry) {
        EskitObservability observability = observability(registry);
        return observability::instrument;
    }

    /** Registers the lag and dead-letter gauges of every subscription once all beans exist. */
    @Bean
    @ConditionalOnMissingBean(name = "eskitSubscriptionGauges")
    public SmartInitializingSingleton eskitSubscriptionGauges(MeterRegistry registry,
                                                              EskitSubscriptions subscriptions,
                                                              DeadLetterStore deadLetters) {
        return () -> {
            EskitObservability observability = observability(registry);
            for (Subscription subscription : subscriptions.all()) {
                observability.subscriptionLag(subscription.name(), () -> subscription.lag().events());
                observability.deadLetters(subscription.name(), () -> deadLetters.count(subscription.name()));
            }
        };
    }

    /**
     * Registers the state cache meters of the command bus ({@code eskit.commands.state_cache.*}, one set per stream
     * type whose handler caches states) once all beans exist.
     */
    @Bean
    @ConditionalOnMissingBean(name = "eskitStateCacheMeters")
    public SmartInitializingSingleton eskitStateCacheMeters(MeterRegistry registry, ObjectProvider<CommandBus> bus) {
        return () -> bus.ifUnique(observability(registry)::stateCaches);
    }

    private static EskitObservability observability(MeterRegistry registry) {
        return EskitObservability.builder().meterRegistry(registry).build();
    }
}
