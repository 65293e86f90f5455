package dev.eskit.benchmarks;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.eskit.AppendRequest;
import dev.eskit.ExpectedVersion;
import dev.eskit.StreamRef;
import dev.eskit.benchmarks.domain.AccountDecider;
import dev.eskit.benchmarks.domain.Deposit;
import dev.eskit.command.CommandBus;
import dev.eskit.command.CommandTypes;
import dev.eskit.command.queue.CommandQueue;
import dev.eskit.jdbi.JdbiEventStore;
import dev.eskit.jdbi.command.JdbiCommandQueueStore;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.jdbi.v3.core.Jdbi;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * The durable command queue against the direct command path, one thread, on SQLite and PostgreSQL:
 * {@code directCommand} sends a deposit through the bus (load, decide, append); {@code enqueue} only stores one (one
 * insert, one commit); {@code drain} runs 100 queued deposits through {@code CommandQueue.runOnce()} (claim in batches
 * of 8, run through a bus with {@code queueOutcomes}: each outcome commits in its append's transaction), so its score
 * is commands drained per second; {@code drainOutcomeAfterAppend} drains the same way through a bus without
 * {@code queueOutcomes} (the store's own append, then the outcomes of each batch in one transaction).
 *
 * <p>On an idle machine: {@code mvn -q -pl benchmarks -am package -DskipTests && java -jar
 * benchmarks/target/eskit-benchmarks.jar --include CommandQueueBenchmark}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class CommandQueueBenchmark {

    static final int STREAMS = 2_000;
    static final int DRAIN_BATCH = 100;

    @Param({"sqlite", "postgres"})
    public String db;

    private Path dir;
    private JdbiEventStore store;
    private HikariDataSource pool;
    private CommandBus bus;
    private CommandQueue queue;
    private CommandQueue plainQueue;
    private String[] ids;
    private int next;

    @Setup
    public void open() {
        dir = Databases.tempDirectory();
        store = Databases.eskit(db, dir, "bench_queue");
        ids = new String[STREAMS];
        for (int i = 0; i < STREAMS; i++) {
            ids[i] = "a-" + i;
            store.append(AppendRequest.of(StreamRef.of("account", ids[i]), ExpectedVersion.noStream(),
                    CommandBenchmark.history(ids[i])));
        }
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(db.equals("sqlite") ? "jdbc:sqlite:" + dir.resolve("bench_queue.db")
                : Databases.pgUrl() + (Databases.pgUrl().contains("?") ? "&" : "?") + "currentSchema=bench_queue");
        config.setMaximumPoolSize(2);
        pool = new HikariDataSource(config);
        bus = CommandBus.builder(store).register(AccountDecider.routes()).build();
        JdbiCommandQueueStore queueStore = JdbiCommandQueueStore.create(Jdbi.create(pool), store);
        CommandBus outcomesInAppend = CommandBus.builder(store).register(AccountDecider.routes())
                .queueOutcomes(queueStore).build();
        queue = CommandQueue.builder(queueStore, outcomesInAppend, CommandTypes.discover()).workers(0).build();
        plainQueue = CommandQueue.builder(queueStore, bus, CommandTypes.discover()).workers(0).build();
    }

    @TearDown
    public void close() {
        pool.close();
        store.close();
        Databases.dropIfPostgres(db, "bench_queue");
        Databases.deleteRecursively(dir);
    }

    private String nextId() {
        String id = ids[next];
        next = (next + 1) % STREAMS;
        return id;
    }

    /** The direct path: {@code CommandBus.send}, as a caller that needs the result now does. */
    @Benchmark
    public Object directCommand() {
        String id = nextId();
        return bus.send(new Deposit(id, 100));
    }

    /** Enqueue rate: {@code CommandQueue.enqueue}, one row and one commit per command. */
    @Benchmark
    public String enqueue() {
        String id = nextId();
        return queue.enqueue(new Deposit(id, 100));
    }

    /** Fills the queue with the next invocation's commands (not timed). */
    @State(Scope.Thread)
    public static class Backlog {
        @Setup(Level.Invocation)
        public void fill(CommandQueueBenchmark benchmark) {
            List<Object> commands = new ArrayList<>(DRAIN_BATCH);
            for (int i = 0; i < DRAIN_BATCH; i++) {
                String id = benchmark.nextId();
                commands.add(new Deposit(id, 100));
            }
            benchmark.queue.enqueueAll(commands);
        }
    }

    /** Drain rate: one worker runs 100 queued commands; each outcome commits with its append. */
    @Benchmark
    @OperationsPerInvocation(DRAIN_BATCH)
    public int drain(Backlog backlog) {
        return queue.runOnce();
    }

    /** Drain rate without {@code queueOutcomes}: the store's own append, then each batch's outcomes together. */
    @Benchmark
    @OperationsPerInvocation(DRAIN_BATCH)
    public int drainOutcomeAfterAppend(Backlog backlog) {
        return plainQueue.runOnce();
    }
}
