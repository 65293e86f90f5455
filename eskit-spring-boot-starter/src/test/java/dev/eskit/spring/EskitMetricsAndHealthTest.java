package dev.eskit.spring;

import static org.assertj.core.api.Assertions.assertThat;

import dev.eskit.command.CommandBus;
import dev.eskit.projection.Projector;
import dev.eskit.samples.bank.Balances;
import dev.eskit.samples.bank.BalancesHandlers;
import dev.eskit.samples.bank.OpenAccount;
import dev.eskit.subscription.Subscription;
import dev.eskit.subscription.SubscriptionState;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

class EskitMetricsAndHealthTest {

    @TempDir
    Path dir;

    private ApplicationContextRunner runner() {
        return new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(DataSourceAutoConfiguration.class,
                        EskitAutoConfiguration.class, EskitMetricsAutoConfiguration.class,
                        EskitHealthAutoConfiguration.class))
                .withPropertyValues("spring.datasource.url=jdbc:sqlite:" + dir.resolve("app.db"),
                        "eskit.subscriptions.poll-interval=50ms")
                .withUserConfiguration(Registry.class, Projection.class);
    }

    @Test
    void commandsAppendsAndSubscriptionLagAreMeasured() {
        runner().run(context -> {
            context.getBean(CommandBus.class).send(new OpenAccount("dave", "Dave"));
            MeterRegistry registry = context.getBean(MeterRegistry.class);
            Set<String> names = new java.util.TreeSet<>();
            registry.getMeters().forEach(m -> names.add(m.getId().getName()));
            assertThat(names).anyMatch(n -> n.startsWith("eskit.command"))
                    .anyMatch(n -> n.startsWith("eskit.append"))
                    .contains("eskit.subscription.lag");
            assertThat(registry.find("eskit.subscription.lag").tag("subscription", "balances").gauge()).isNotNull();
        });
    }

    @Test
    void theCommandBusStateCacheIsMeasured() {
        runner().run(context -> {
            CommandBus bus = context.getBean(CommandBus.class);
            bus.send(new OpenAccount("gina", "Gina"));
            bus.send(new OpenAccount("gina", "Gina"));
            MeterRegistry registry = context.getBean(MeterRegistry.class);
            // The bank's AccountState is proven immutable: its handler caches states without being asked.
            assertThat(registry.get("eskit.commands.state_cache.streams").tag("stream.type", "account").gauge()
                    .value()).isEqualTo(1.0);
            assertThat(registry.get("eskit.commands.state_cache.misses").tag("stream.type", "account")
                    .functionCounter().count()).isEqualTo(1.0);
            assertThat(registry.get("eskit.commands.state_cache.hits").tag("stream.type", "account")
                    .functionCounter().count()).isGreaterThanOrEqualTo(1.0);
        });
    }

    @Test
    void healthReportsEachSubscriptionsStateAndLag() {
        runner().run(context -> {
            context.getBean(CommandBus.class).send(new OpenAccount("erin", "Erin"));
            Subscription balances = context.getBean(EskitSubscriptions.class).find("balances").orElseThrow();
            assertThat(balances.awaitCaughtUp(Duration.ofSeconds(20))).isTrue();
            Health health = context.getBean(EskitHealthIndicator.class).health();
            assertThat(health.getStatus()).isEqualTo(Status.UP);
            @SuppressWarnings("unchecked")
            Map<String, Map<String, Object>> subscriptions =
                    (Map<String, Map<String, Object>>) health.getDetails().get("subscriptions");
            assertThat(subscriptions.get("balances")).containsKeys("state", "position", "lag");
        });
    }

    @Test
    void aFailedSubscriptionMakesTheHealthDown() {
        runner().withUserConfiguration(Failing.class).run(context -> {
            context.getBean(CommandBus.class).send(new OpenAccount("frank", "Frank"));
            Subscription failing = context.getBean(EskitSubscriptions.class).find("failing").orElseThrow();
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            while (failing.state() != SubscriptionState.FAILED && System.nanoTime() < deadline) {
                try {
                    failing.awaitCaughtUp(Duration.ofMillis(100));
                } catch (dev.eskit.subscription.SubscriptionException stopped) {
                    break; // awaiting a failed subscription says so
                }
            }
            assertThat(failing.state()).isEqualTo(SubscriptionState.FAILED);
            Health health = context.getBean(EskitHealthIndicator.class).health();
            assertThat(health.getStatus()).isEqualTo(Status.DOWN);
        });
    }

    @Test
    void healthShowsTheErrorASubscriptionKeepsRetrying() {
        runner().withUserConfiguration(Retrying.class).run(context -> {
            context.getBean(CommandBus.class).send(new OpenAccount("hana", "Hana"));
            Subscription retrying = context.getBean(EskitSubscriptions.class).find("retrying").orElseThrow();
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            while (retrying.lastError().isEmpty() && System.nanoTime() < deadline) {
                java.util.concurrent.locks.LockSupport.parkNanos(Duration.ofMillis(10).toNanos()); // poll
            }
            assertThat(retrying.lastError()).isPresent();
            Health health = context.getBean(EskitHealthIndicator.class).health();
            @SuppressWarnings("unchecked")
            Map<String, Map<String, Object>> subscriptions =
                    (Map<String, Map<String, Object>>) health.getDetails().get("subscriptions");
            assertThat(subscriptions.get("retrying").get("lastError")).asString()
                    .contains("IllegalStateException").contains("mail server down");
            assertThat(subscriptions.get("balances")).doesNotContainKey("lastError");
        });
    }

    @Test
    void aHaltedSubscriptionMakesTheHealthDown() {
        runner().withUserConfiguration(Halting.class).run(context -> {
            context.getBean(CommandBus.class).send(new OpenAccount("ivy", "Ivy"));
            Subscription halting = context.getBean(EskitSubscriptions.class).find("halting").orElseThrow();
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            while (halting.state() != SubscriptionState.HALTED && System.nanoTime() < deadline) {
                java.util.concurrent.locks.LockSupport.parkNanos(Duration.ofMillis(10).toNanos()); // poll
            }
            assertThat(halting.state()).isEqualTo(SubscriptionState.HALTED);
            Health health = context.getBean(EskitHealthIndicator.class).health();
            assertThat(health.getStatus()).isEqualTo(Status.DOWN);
            @SuppressWarnings("unchecked")
            Map<String, Map<String, Object>> subscriptions =
                    (Map<String, Map<String, Object>>) health.getDetails().get("subscriptions");
            assertThat(subscriptions.get("halting").get("failure")).asString().contains("poison");
        });
    }

    @Test
    void theLeaderSupervisorsLastErrorIsShownInTheHealth() {
        dev.eskit.leader.LeaderElection unreachable = name -> {
            throw new IllegalStateException("FATAL: role \"nosuchuser\" does not exist");
        };
        try (dev.eskit.leader.LeaderSupervisor supervisor =
                     dev.eskit.leader.LeaderSupervisor.create(unreachable, Duration.ofMillis(5))) {
            EskitSubscriptions subscriptions = new EskitSubscriptions(java.util.List.of(), supervisor,
                    java.util.List.of(), java.util.List.of(), Duration.ofSeconds(1), false);
            EskitHealthIndicator indicator = new EskitHealthIndicator(subscriptions, 0);
            assertThat(indicator.health().getDetails()).doesNotContainKey("leaderSupervisor");
            supervisor.supervise("role", new dev.eskit.leader.LeaderSupervisor.Role() {
                @Override
                public void start() {
                }

                @Override
                public void stop() {
                }

                @Override
                public boolean isRunning() {
                    return false;
                }
            });
            supervisor.start();
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            while (supervisor.lastError().isEmpty() && System.nanoTime() < deadline) {
                java.util.concurrent.locks.LockSupport.parkNanos(1_000_000);
            }
            Health health = indicator.health();
            assertThat(health.getStatus()).isEqualTo(Status.UP);
            assertThat(String.valueOf(health.getDetails().get("leaderSupervisor"))).contains("nosuchuser");
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class Registry {
        @Bean
        MeterRegistry meterRegistry() {
            return new SimpleMeterRegistry();
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class Projection {
        @Bean
        BalancesHandlers balancesHandlers() {
            return new BalancesHandlers(new Balances());
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class Failing {
        @Bean
        Projector failing() {
            return Projector.of("failing", Set.of(), event -> {
                throw new StackOverflowError("an Error stops a subscription without retries");
            });
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class Retrying {
        @Bean
        Projector retrying() {
            return Projector.of("retrying", Set.of(), event -> {
                throw new IllegalStateException("mail server down");
            });
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class Halting {
        @Bean
        Subscription halting(dev.eskit.EventStore store, dev.eskit.subscription.CheckpointStore checkpoints) {
            return Subscription.builder("halting", store, checkpoints)
                    .onPoison(dev.eskit.subscription.PoisonPolicy.HALT).retry(dev.eskit.Retry.none())
                    .pollInterval(Duration.ofMillis(50))
                    .handler(event -> {
                        throw new IllegalStateException("poison");
                    }).build();
        }
    }
}
