package dev.eskit.spring;

import static org.assertj.core.api.Assertions.assertThat;

import dev.eskit.StreamRef;
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
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
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
