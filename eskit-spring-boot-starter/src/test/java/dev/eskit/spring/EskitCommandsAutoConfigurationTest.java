package dev.eskit.spring;

import static org.assertj.core.api.Assertions.assertThat;

import dev.eskit.EventStore;
import dev.eskit.StreamRef;
import dev.eskit.codec.EventTypes;
import dev.eskit.codec.JsonEventCodec;
import dev.eskit.command.CommandBus;
import dev.eskit.command.CommandContext;
import dev.eskit.command.log.CommandLogEntry;
import dev.eskit.command.log.CommandOutcome;
import dev.eskit.command.log.CommandRecorder;
import dev.eskit.command.queue.CommandQueue;
import dev.eskit.command.queue.CommandQueueStore;
import dev.eskit.command.queue.QueueResult;
import dev.eskit.jdbi.JdbiEventStore;
import dev.eskit.jdbi.command.JdbiCommandLog;
import dev.eskit.jdbi.command.JdbiCommandQueueStore;
import dev.eskit.samples.bank.Deposit;
import dev.eskit.samples.bank.OpenAccount;
import dev.eskit.store.ForwardingEventStore;
import dev.eskit.subscription.CheckpointStore;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.ConfigurableApplicationContext;

/** The command log and the durable command queue through {@code eskit.commands.*} properties. */
class EskitCommandsAutoConfigurationTest {

    @TempDir
    Path dir;

    private ApplicationContextRunner sqlite() {
        return new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(DataSourceAutoConfiguration.class,
                        EskitAutoConfiguration.class))
                .withPropertyValues("spring.datasource.url=jdbc:sqlite:" + dir.resolve("app.db"));
    }

    @Test
    void bothAreOffByDefault() {
        sqlite().run(context -> assertThat(context).hasSingleBean(CommandBus.class)
                .doesNotHaveBean(CommandRecorder.class).doesNotHaveBean(CommandQueue.class)
                .doesNotHaveBean(CommandQueueStore.class));
    }

    @Test
    void theStateCacheIsOneLineAndANegativeSizeFailsAtStart() {
        sqlite().withPropertyValues("eskit.commands.state-cache=1000").run(context -> {
            CommandBus bus = context.getBean(CommandBus.class);
            bus.send(new OpenAccount("erin", "Erin"));
            bus.send(new Deposit("erin", 300));
            assertThat(bus.send(new Deposit("erin", 200)).state(dev.eskit.samples.bank.AccountState.class)
                    .balanceCents()).isEqualTo(500);
        });
        sqlite().run(context -> assertThat(context.getBean(EskitProperties.class).getCommands().getStateCache())
                .as("unset: each decider's default (a cache when its states are proven immutable)").isNull());
        sqlite().withPropertyValues("eskit.commands.state-cache=0").run(context -> assertThat(
                context.getBean(EskitProperties.class).getCommands().getStateCache()).isZero());
        sqlite().withPropertyValues("eskit.commands.state-cache=-1").run(context -> assertThat(context)
                .hasFailed().getFailure().hasStackTraceContaining("State cache size -1 is negative"));
    }

    @Test
    void oneLineTurnsTheCommandLogOnInTheStoresDatabase() {
        sqlite().withPropertyValues("eskit.commands.log.enabled=true", "eskit.commands.log.retention=7d")
                .run(context -> {
                    CommandRecorder recorder = context.getBean(CommandRecorder.class);
                    assertThat(recorder.log()).isInstanceOf(JdbiCommandLog.class);
                    CommandContext command = CommandContext.create();
                    context.getBean(CommandBus.class).send(new OpenAccount("carol", "Carol"), command);
                    CommandLogEntry entry = recorder.log().find(command.commandId()).orElseThrow();
                    assertThat(entry.commandType()).isEqualTo("bank.OpenAccount");
                    assertThat(entry.outcome()).isEqualTo(CommandOutcome.ACCEPTED);
                    assertThat(entry.eventCount()).isEqualTo(1);
                });
    }

    @Test
    void theLogAndTheQueueOfAnOwnStoreOnAnotherDatabaseAreKeptInThatDatabase() throws Exception {
        String other = "jdbc:sqlite:" + dir.resolve("other.db");
        sqlite().withPropertyValues("eskit.commands.log.enabled=true", "eskit.commands.queue.enabled=true",
                        "eskit.commands.queue.poll-interval=20ms")
                .withBean(JdbiEventStore.class, () -> JdbiEventStore.sqlite(other,
                        JsonEventCodec.create(EventTypes.discover())))
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    context.getBean(CommandBus.class).send(new OpenAccount("ivan", "Ivan"));
                    CommandQueue queue = context.getBean(CommandQueue.class);
                    QueueResult deposited = queue.await(queue.enqueue(new Deposit("ivan", 100)))
                            .get(30, TimeUnit.SECONDS);
                    assertThat(deposited.succeeded()).as(deposited.toString()).isTrue();
                    try (Connection connection = DriverManager.getConnection(other);
                         Statement statement = connection.createStatement()) {
                        assertThat(count(statement, "SELECT count(*) FROM eskit_events")).isEqualTo(2);
                        assertThat(count(statement, "SELECT count(*) FROM eskit_command_log")).isEqualTo(2);
                        assertThat(count(statement, "SELECT count(*) FROM eskit_command_queue")).isEqualTo(1);
                    }
                    try (Connection connection = context.getBean(DataSource.class).getConnection();
                         Statement statement = connection.createStatement()) {
                        assertThat(count(statement, "SELECT count(*) FROM sqlite_master WHERE name LIKE 'eskit_%'"))
                                .as("nothing of eskit's in Boot's database").isZero();
                    }
                });
    }

    @Test
    void joiningSpringTransactionsWithAnOwnStoreOnAnotherDatabaseFailsTheStart() {
        String other = "jdbc:sqlite:" + dir.resolve("other.db");
        sqlite().withPropertyValues("eskit.store.join-spring-transactions=true")
                .withBean(JdbiEventStore.class, () -> JdbiEventStore.sqlite(other,
                        JsonEventCodec.create(EventTypes.discover())))
                .run(context -> assertThat(context).hasFailed().getFailure().hasStackTraceContaining(
                        "eskit.store.join-spring-transactions=true needs the starter's store"));
    }

    @Test
    void aDurableLogOrQueueOnAStoreWithoutAKnownDatabaseFailsTheStartInsteadOfLivingInMemory() {
        for (String property : new String[] {"eskit.commands.log.enabled", "eskit.commands.queue.enabled"}) {
            sqlite().withPropertyValues(property + "=true")
                    .withBean(EventStore.class, () -> new ForwardingEventStore(EventStore.inMemory()) { })
                    .withBean(CheckpointStore.class, CheckpointStore::inMemory)
                    .run(context -> assertThat(context).hasFailed().getFailure().rootCause()
                            .hasMessageContaining(property + "=true, but the event store bean is a")
                            .hasMessageContaining("will not keep it in memory")
                            .hasMessageContaining("or set " + property + "=false"));
        }
    }

    private static long count(Statement statement, String sql) throws Exception {
        try (ResultSet rows = statement.executeQuery(sql)) {
            rows.next();
            return rows.getLong(1);
        }
    }

    @Test
    void theQueuesWorkersRunWithTheContextWithTheConfiguredSettings() {
        sqlite().withPropertyValues("eskit.commands.queue.enabled=true", "eskit.commands.queue.workers=2",
                        "eskit.commands.queue.lease=10s", "eskit.commands.queue.retry-attempts=3",
                        "eskit.commands.queue.poll-interval=20ms", "eskit.commands.queue.partition-by-stream=true",
                        "eskit.commands.queue.outcomes-in-append=true")
                .run(context -> {
                    assertThat(context).hasSingleBean(CommandQueue.class).hasSingleBean(EskitCommandQueue.class);
                    assertThat(context.getBean(CommandQueueStore.class)).isInstanceOf(JdbiCommandQueueStore.class);
                    EskitCommandQueue lifecycle = context.getBean(EskitCommandQueue.class);
                    assertThat(lifecycle.isRunning()).isTrue();
                    CommandQueue queue = context.getBean(CommandQueue.class);
                    String open = queue.enqueue(new OpenAccount("dave", "Dave"));
                    String deposit = queue.enqueue(new Deposit("dave", 700));
                    QueueResult opened = queue.await(open).get(30, TimeUnit.SECONDS);
                    QueueResult deposited = queue.await(deposit).get(30, TimeUnit.SECONDS);
                    assertThat(opened.succeeded()).isTrue();
                    assertThat(deposited.succeeded()).as(deposited.toString()).isTrue();
                    assertThat(deposited.streamVersion()).isEqualTo(2);
                    JdbiEventStore store = context.getBean(JdbiEventStore.class);
                    assertThat(store.streamVersion(StreamRef.of("account", "dave"))).isEqualTo(2);
                    ((ConfigurableApplicationContext) context.getSourceApplicationContext()).stop();
                    assertThat(lifecycle.isRunning()).isFalse();
                });
    }

    @Test
    void theStartersQueueBelongsToNoTenantAndLeavesTenantsCommandsAlone() {
        sqlite().withPropertyValues("eskit.commands.queue.enabled=true", "eskit.commands.queue.poll-interval=20ms")
                .run(context -> {
                    CommandQueueStore queueStore = context.getBean(CommandQueueStore.class);
                    JdbiEventStore store = context.getBean(JdbiEventStore.class);
                    dev.eskit.tenancy.TenantCommandBus tenants = dev.eskit.tenancy.TenantCommandBus.create(store,
                            s -> CommandBus.builder(s).register(dev.eskit.samples.bank.AccountDecider.routes())
                                    .build());
                    CommandQueue acme = CommandQueue.builder(queueStore,
                            tenants.forTenant(dev.eskit.tenancy.TenantId.of("acme")),
                            context.getBean(dev.eskit.command.CommandTypes.class)).workers(0).build();
                    String acmeId = acme.enqueue(new OpenAccount("erin", "Erin"));
                    // Enqueued after acme's: claimed oldest first, so the running workers have seen acme's by now.
                    CommandQueue queue = context.getBean(CommandQueue.class);
                    String own = queue.enqueue(new OpenAccount("erin", "Erin"));
                    assertThat(queue.await(own).get(30, TimeUnit.SECONDS).succeeded()).isTrue();
                    var waiting = acme.find(acmeId).orElseThrow();
                    assertThat(waiting.status()).isEqualTo(dev.eskit.command.queue.QueueStatus.PENDING);
                    assertThat(waiting.attempts()).as("never claimed outside its tenant").isZero();
                    assertThat(store.streamVersion(StreamRef.of("acme::account", "erin"))).isZero();
                });
    }
}
