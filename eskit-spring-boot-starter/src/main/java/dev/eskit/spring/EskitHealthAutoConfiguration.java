package dev.eskit.spring;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.annotation.Bean;

/** The {@code eskit} health indicator when Spring Boot's health support is on the class path. */
@AutoConfiguration(after = EskitAutoConfiguration.class)
@ConditionalOnClass(HealthIndicator.class)
@ConditionalOnBean(EskitSubscriptions.class)
@ConditionalOnBooleanProperty(name = "eskit.enabled", matchIfMissing = true)
public class EskitHealthAutoConfiguration {

    /** Subscription states and lag under {@code /actuator/health/eskit}. */
    @Bean(name = "eskitHealthIndicator")
    @ConditionalOnMissingBean(name = "eskitHealthIndicator")
    public EskitHealthIndicator eskitHealthIndicator(EskitSubscriptions subscriptions, EskitProperties properties) {
        return new EskitHealthIndicator(subscriptions, properties.getHealth().getMaxLag());
    }
}
