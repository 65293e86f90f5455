package dev.eskit.jdbi;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.eskit.AppendRequest;
import dev.eskit.AppendResult;
import dev.eskit.EventStore;
import dev.eskit.Retry;
import dev.eskit.command.CommandBus;
import dev.eskit.command.queue.CommandQueue;
import dev.eskit.jdbi.command.JdbiCommandQueueStore;
import dev.eskit.store.ForwardingEventStore;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import org.jdbi.v3.core.Jdbi;

/**
 * The child process of the command queue tests: runs queue workers until it is killed. Arguments: {@code drain|crash
 * <workers>} and then {@code sqlite <url>} or {@code postgres <url> <schema> <prefix>}. In {@code crash} mode the
 * fifth append that commits prints {@code appended <command id>} and its worker then hangs, so that the process dies
 * with that command appended but not recorded as done.
 */
public final class QueueWorkerMain {

    static final Duration LEASE = Duration.ofSeconds(2);

    private QueueWorkerMain() {
    }

    /** Runs the workers. */
    public static void main(String[] args) {
        String mode = args[0];
        int workers = Integer.parseInt(args[1]);
        List<String> location = List.of(args).subList(2, args.length);
        JdbiEventStore.Builder builder = JdbiEventStore.builder(TestEvents.codec()).url(location.get(1))
                .maxConnections(workers);
        if (location.get(0).equals("postgres")) {
            builder.schema(location.get(2)).tablePrefix(location.get(3));
        }
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(location.get(1));
        config.setMaximumPoolSize(workers + 1);
        config.setMinimumIdle(1);
        try (JdbiEventStore store = builder.build(); HikariDataSource pool = new HikariDataSource(config)) {
            AtomicInteger appends = new AtomicInteger();
            EventStore target = !mode.equals("crash") ? store : new ForwardingEventStore(store) {
                @Override
                public AppendResult append(AppendRequest request) {
                    AppendResult result = super.append(request);
                    if (appends.incrementAndGet() == 5) {
                        System.out.println("appended " + request.idempotencyKey());
                        System.out.flush();
                        while (true) {
                            LockSupport.park();
                        }
                    }
                    return result;
                }
            };
            JdbiCommandQueueStore queueStore = JdbiCommandQueueStore.create(Jdbi.create(pool), store);
            // ESKIT_QUEUE_OUTCOMES_IN_APPEND=true records outcomes in the append's transaction (drain mode only: the
            // crash mode's wrapper store appends, then the queue records the outcome, and it dies in between).
            CommandBus.Builder busBuilder = CommandBus.builder(target).register(CommandDomain.routes())
                    .retry(Retry.attempts(20));
            if ("true".equals(System.getenv("ESKIT_QUEUE_OUTCOMES_IN_APPEND"))) {
                busBuilder.queueOutcomes(queueStore);
            }
            CommandBus bus = busBuilder.build();
            CommandQueue queue = CommandQueue.builder(queueStore, bus, CommandDomain.TYPES)
                    .workers(workers).batchSize(4).lease(LEASE).pollInterval(Duration.ofMillis(50))
                    .retry(Retry.exponential(100, Duration.ofMillis(5), Duration.ofMillis(200)))
                    .workerName("child-" + ProcessHandle.current().pid())
                    .build().start();
            System.out.println("started");
            System.out.flush();
            while (queue.store() != null) {
                LockSupport.park();
            }
        }
    }
}
