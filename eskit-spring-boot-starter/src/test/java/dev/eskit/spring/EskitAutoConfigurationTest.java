package dev.eskit.spring;

import static org.assertj.core.api.Assertions.assertThat;

import dev.eskit.EventStore;
import dev.eskit.StreamRef;
import dev.eskit.automation.Automation;
import dev.eskit.codec.EventTypes;
import dev.eskit.command.CommandBus;
import dev.eskit.jdbi.JdbiEventStore;
import dev.eskit.samples.bank.AccountOpened;
import dev.eskit.samples.bank.Balances;
import dev.eskit.samples.bank.BalancesHandlers;
import dev.eskit.samples.bank.Deposit;
import dev.eskit.samples.bank.OpenAccount;
import dev.eskit.subscription.Subscription;
import dev.eskit.subscription.SubscriptionState;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

class EskitAutoConfigurationTest {

    @TempDir
    Path dir;

    private ApplicationContextRunner sqlite() {
        return new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(DataSourceAutoConfiguration.class,
                        EskitAutoConfiguration.class))
                .withPropertyValues("spring.datasource.url=jdbc:sqlite:" + dir.resolve("app.db"),
                        "eskit.subscriptions.poll-interval=50ms");
    }

    @Test
    void anEventTypeIndexIsKeptOnSqliteWhenAskedFor() {
        String index = "SELECT count(*) FROM sqlite_master WHERE type = 'index' AND name = 'eskit_events_type'";
        sqlite().run(context -> assertThat(new org.springframework.jdbc.core.JdbcTemplate(
                context.getBean(javax.sql.DataSource.class)).queryForObject(index, Integer.class)).isZero());
        sqlite().withPropertyValues("eskit.store.event-type-index=true").run(context -> assertThat(
                new org.springframework.jdbc.core.JdbcTemplate(context.getBean(javax.sql.DataSource.class))
                        .queryForObject(index, Integer.class)).isEqualTo(1));
    }

    @Test
    void anInMemorySqliteDataSourceFailsTheStartNamingTheUrl() {
        sqlite().withPropertyValues("spring.datasource.url=jdbc:sqlite::memory:").run(context -> {
            assertThat(context).hasFailed();
            assertThat(context.getStartupFailure()).rootCause()
                    .isInstanceOf(dev.eskit.jdbi.StoreConfigurationException.class)
                    .hasMessageContaining("\"jdbc:sqlite::memory:\" is an in-memory SQLite database")
                    .hasMessageContaining("Use a file");
        });
    }

    @Test
    void anOutOfRangePropertyFailsTheStartNamingItsValueAndRangeAndWritesNothing() {
        Map<String, String> expected = Map.of(
                "eskit.commands.retry-attempts=0", "use 1 to 100",
                "eskit.commands.retry-attempts=101", "use 1 to 100",
                "eskit.commands.queue.retry-attempts=0", "use 1 to 100",
                "eskit.health.max-lag=-1", "use 0 or more",
                "eskit.subscriptions.batch-size=0", "use 1 to 10000",
                "eskit.subscriptions.batch-size=10001", "use 1 to 10000",
                "eskit.commands.queue.workers=-1", "use 0 to 256",
                "eskit.commands.queue.batch-size=0", "use 1 to 1000",
                "eskit.commands.queue.lease=50ms", "use at least 100ms",
                "eskit.subscriptions.poll-interval=0s", "use a positive duration");
        expected.forEach((setting, range) -> sqlite().withPropertyValues(setting, "eskit.commands.queue.enabled=true")
                .withUserConfiguration(Projections.class).run(context -> {
                    assertThat(context).hasFailed();
                    // Durations are named in ISO-8601 (eskit.commands.queue.lease=PT0.05S), numbers as given.
                    String named = setting.matches(".*=-?[0-9]+") ? setting
                            : setting.substring(0, setting.indexOf('=') + 1);
                    assertThat(context.getStartupFailure()).as(setting)
                            .hasStackTraceContaining(named)
                            .hasStackTraceContaining(" is out of range: " + range);
                    assertThat(dir.resolve("app.db")).as("nothing written").doesNotExist();
                }));
        sqlite().withPropertyValues("eskit.commands.retry-attempts=1", "eskit.health.max-lag=0",
                "eskit.subscriptions.batch-size=10000").run(context -> assertThat(context).hasNotFailed());
    }

    @Test
    void wiresTheGeneratedRegistriesAndRoutesOnBootsSqliteDataSource() {
        sqlite().run(context -> {
            assertThat(context).hasSingleBean(JdbiEventStore.class).hasSingleBean(CommandBus.class);
            JdbiEventStore store = context.getBean(JdbiEventStore.class);
            assertThat(store.databaseName()).isEqualTo("SQLite");
            assertThat(context.getBean(EventTypes.class).findByName("bank.Deposited")).isNotNull();
            CommandBus bus = context.getBean(CommandBus.class);
            assertThat(bus.commandTypes()).contains(OpenAccount.class, Deposit.class);
            bus.send(new OpenAccount("alice", "Alice"));
            bus.send(new Deposit("alice", 500));
            assertThat(store.streamVersion(StreamRef.of("account", "alice"))).isEqualTo(2);
            assertThat(store.load(StreamRef.of("account", "alice"), 0).get(0).data())
                    .isEqualTo(new AccountOpened("alice", "Alice"));
        });
    }

    @Test
    void everyBeanBacksOffWhenTheApplicationDefinesItsOwn() {
        sqlite().withUserConfiguration(OwnStore.class).run(context -> {
            assertThat(context).doesNotHaveBean(JdbiEventStore.class);
            assertThat(context.getBean(EventStore.class)).isSameAs(OwnStore.STORE);
            context.getBean(CommandBus.class).send(new OpenAccount("bob", "Bob"));
            assertThat(OwnStore.STORE.streamVersion(StreamRef.of("account", "bob"))).isEqualTo(1);
        });
        sqlite().withUserConfiguration(OwnBus.class).run(context ->
                assertThat(context.getBean(CommandBus.class)).isSameAs(context.getBean("ownBus")));
    }

    @Test
    void projectionsAndAutomationsRunAfterStartAndStopGracefullyOnClose() {
        Subscription[] kept = new Subscription[2];
        sqlite().withUserConfiguration(Projections.class).run(context -> {
            EskitSubscriptions subscriptions = context.getBean(EskitSubscriptions.class);
            assertThat(subscriptions.all()).extracting(Subscription::name)
                    .containsExactlyInAnyOrder("balances", "welcomeBonus");
            assertThat(subscriptions.isRunning()).isTrue();
            context.getBean(CommandBus.class).send(new OpenAccount("carol", "Carol"));
            Subscription balances = subscriptions.find("balances").orElseThrow();
            Subscription bonus = subscriptions.find("welcomeBonus").orElseThrow();
            // The automation deposits a bonus for each new account; the projection sees both events.
            JdbiEventStore store = context.getBean(JdbiEventStore.class);
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            while (store.streamVersion(StreamRef.of("account", "carol")) < 2 && System.nanoTime() < deadline) {
                bonus.awaitCaughtUp(Duration.ofMillis(200));
            }
            assertThat(store.streamVersion(StreamRef.of("account", "carol"))).isEqualTo(2);
            assertThat(balances.awaitPosition(store.load(StreamRef.of("account", "carol"), 0).get(1).position(),
                    Duration.ofSeconds(20))).isTrue();
            assertThat(context.getBean(Balances.class).all()).isEqualTo(Map.of("carol", 10L));
            kept[0] = balances;
            kept[1] = bonus;
        });
        assertThat(kept[0].state()).isEqualTo(SubscriptionState.STOPPED);
        assertThat(kept[1].state()).isEqualTo(SubscriptionState.STOPPED);
        assertThat(kept[0].checkpoint()).isPresent();
    }

    @Test
    void autoStartupCanBeTurnedOff() {
        sqlite().withUserConfiguration(Projections.class)
                .withPropertyValues("eskit.subscriptions.auto-startup=false")
                .run(context -> {
                    EskitSubscriptions subscriptions = context.getBean(EskitSubscriptions.class);
                    assertThat(subscriptions.isRunning()).isFalse();
                    assertThat(subscriptions.find("balances").orElseThrow().state()).isEqualTo(SubscriptionState.NEW);
                });
    }

    @Test
    void turnedOffItConfiguresNothing() {
        sqlite().withPropertyValues("eskit.enabled=false").run(context ->
                assertThat(context).doesNotHaveBean(EventStore.class).doesNotHaveBean(CommandBus.class));
    }

    @Test
    void leaderElectionOnSqliteFailsWithAMessageSayingWhatToDo() {
        sqlite().withUserConfiguration(Projections.class)
                .withPropertyValues("eskit.subscriptions.leader-election=true")
                .run(context -> assertThat(context).hasFailed().getFailure()
                        .rootCause().hasMessageContaining("needs the eskit store on a PostgreSQL DataSource"));
    }

    @Test
    void configurationMetadataListsTheEskitProperties() throws Exception {
        try (var in = getClass().getResourceAsStream("/META-INF/spring-configuration-metadata.json")) {
            assertThat(in).isNotNull();
            String json = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            assertThat(json).contains("\"eskit.subscriptions.stop-timeout\"", "\"eskit.store.schema\"",
                    "\"eskit.health.max-lag\"", "\"eskit.commands.retry-attempts\"");
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class OwnStore {
        static final EventStore STORE = EventStore.inMemory();

        @Bean
        EventStore ownStore() {
            return STORE;
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class OwnBus {
        @Bean
        CommandBus ownBus() {
            return CommandBus.builder(EventStore.inMemory()).build();
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class Projections {
        @Bean
        Balances balances() {
            return new Balances();
        }

        @Bean
        BalancesHandlers balancesHandlers(Balances balances) {
            return new BalancesHandlers(balances);
        }

        @Bean
        Automation welcomeBonus() {
            return event -> event.data() instanceof AccountOpened opened
                    ? List.of(new Deposit(opened.accountId(), 10)) : List.of();
        }
    }
}
