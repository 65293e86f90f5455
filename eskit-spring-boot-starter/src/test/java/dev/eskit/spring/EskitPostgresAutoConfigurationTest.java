package dev.eskit.spring;

import static org.assertj.core.api.Assertions.assertThat;

import dev.eskit.command.CommandBus;
import dev.eskit.jdbi.JdbiEventStore;
import dev.eskit.samples.bank.Balances;
import dev.eskit.samples.bank.BalancesHandlers;
import dev.eskit.samples.bank.Deposit;
import dev.eskit.samples.bank.OpenAccount;
import dev.eskit.subscription.Subscription;
import dev.eskit.testkit.EskitDatabase;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The starter on PostgreSQL (Boot's Hikari pool, a schema of its own), with leader election. Skipped with a message
 * when the server at {@code ESKIT_PG_URL} is unreachable, unless {@code ESKIT_REQUIRE_PG=1}.
 */
class EskitPostgresAutoConfigurationTest {

    @RegisterExtension
    static final EskitDatabase DB = EskitDatabase.postgres();

    @Test
    void theStoreLivesInTheConfiguredSchemaAndALeaderRunsTheProjection() {
        new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(DataSourceAutoConfiguration.class,
                        EskitAutoConfiguration.class, EskitHealthAutoConfiguration.class))
                .withPropertyValues("spring.datasource.url=" + DB.url(), "eskit.store.schema=" + DB.schema(),
                        "eskit.subscriptions.leader-election=true",
                        "eskit.subscriptions.leader-namespace=" + DB.schema(),
                        "eskit.subscriptions.leader-check-interval=100ms",
                        "eskit.subscriptions.poll-interval=50ms")
                .withUserConfiguration(Projection.class)
                .run(context -> {
                    JdbiEventStore store = context.getBean(JdbiEventStore.class);
                    assertThat(store.databaseName()).isEqualTo("PostgreSQL");
                    assertThat(store.tableNames().schema()).isEqualTo(DB.schema());
                    EskitSubscriptions subscriptions = context.getBean(EskitSubscriptions.class);
                    assertThat(subscriptions.supervisor()).isPresent();
                    CommandBus bus = context.getBean(CommandBus.class);
                    bus.send(new OpenAccount("pg", "Pat"));
                    var events = bus.send(new Deposit("pg", 42)).events();
                    Subscription balances = subscriptions.find("balances").orElseThrow();
                    assertThat(balances.awaitPosition(events.get(0).position(), Duration.ofSeconds(30))).isTrue();
                    assertThat(subscriptions.supervisor().get().isLeader("balances")).isTrue();
                    synchronized (context.getBean(Balances.class)) {
                        assertThat(context.getBean(Balances.class).all()).isEqualTo(Map.of("pg", 42L));
                    }
                });
    }

    @Configuration(proxyBeanMethods = false)
    static class Projection {
        @Bean
        Balances balances() {
            return new Balances();
        }

        @Bean
        BalancesHandlers balancesHandlers(Balances balances) {
            return new BalancesHandlers(balances);
        }
    }
}
