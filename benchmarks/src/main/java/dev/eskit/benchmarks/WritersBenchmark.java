package dev.eskit.benchmarks;

import dev.eskit.benchmarks.domain.AccountCommand;
import dev.eskit.benchmarks.domain.AccountDecider;
import dev.eskit.benchmarks.domain.AccountEvent;
import dev.eskit.benchmarks.domain.AccountState;
import dev.eskit.benchmarks.domain.Deposit;
import dev.eskit.command.CommandHandler;
import dev.eskit.command.RetryPolicy;
import dev.eskit.jdbi.JdbiEventStore;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;

/**
 * The single-command path at 1, 8 and 32 concurrent writers, against {@link SimpleJdbc}: the simplest correct store
 * written by hand (one table, a unique (stream, version) constraint, nothing else). Each command loads one of
 * {@value #STREAMS} streams (each thread walks them round robin from its own offset), folds it, decides one
 * {@code Deposited} and appends it; both sides retry on a version conflict. Score: commands per second, all threads
 * together.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class WritersBenchmark {

    static final int STREAMS = 2_000;
    private static final String ESKIT_SCHEMA = "bench_writers_eskit";
    private static final String SIMPLE_SCHEMA = "bench_writers_simple";

    @Param({"sqlite", "postgres"})
    public String db;

    private Path dir;
    private JdbiEventStore store;
    private CommandHandler<AccountState, AccountCommand, AccountEvent> handler;
    private String simpleUrl;
    private final AtomicInteger threads = new AtomicInteger();

    @Setup
    public void open() throws SQLException {
        dir = Databases.tempDirectory();
        store = Databases.eskit(db, dir, ESKIT_SCHEMA);
        handler = CommandHandler.builder(store, new AccountDecider(), "account")
                .retry(new RetryPolicy(100, Duration.ZERO, Duration.ZERO)).build();
        if (db.equals("sqlite")) {
            simpleUrl = "jdbc:sqlite:" + dir.resolve("simple.db");
        } else {
            Databases.dropSchema(SIMPLE_SCHEMA);
            simpleUrl = Databases.pgUrl();
        }
        try (SimpleJdbc simple = SimpleJdbc.open(db, simpleUrl, SIMPLE_SCHEMA)) {
            for (int i = 0; i < STREAMS; i++) {
                String id = "a-" + i;
                store.append(dev.eskit.AppendRequest.of(dev.eskit.StreamRef.of("account", id),
                        dev.eskit.ExpectedVersion.noStream(), CommandBenchmark.history(id).subList(0, 1)));
                simple.open(id);
            }
        }
    }

    @TearDown
    public void close() {
        store.close();
        Databases.dropIfPostgres(db, ESKIT_SCHEMA);
        Databases.dropIfPostgres(db, SIMPLE_SCHEMA);
        Databases.deleteRecursively(dir);
    }

    /** One benchmark thread: its own connection for the hand-written side, its own walk over the streams. */
    @State(Scope.Thread)
    public static class Writer {
        SimpleJdbc simple;
        int next;

        @Setup
        public void open(WritersBenchmark benchmark) throws SQLException {
            simple = SimpleJdbc.open(benchmark.db, benchmark.simpleUrl, SIMPLE_SCHEMA);
            next = (benchmark.threads.getAndIncrement() * 61) % STREAMS;
        }

        @TearDown
        public void close() throws SQLException {
            simple.close();
        }

        String nextId() {
            String id = "a-" + next;
            next = (next + 1) % STREAMS;
            return id;
        }
    }

    private Object eskit(Writer writer) {
        String id = writer.nextId();
        return handler.handle(id, new Deposit(id, 100));
    }

    private static long simple(Writer writer) throws SQLException {
        return writer.simple.deposit(writer.nextId(), 100);
    }

    /** eskit, one writer. */
    @Benchmark
    @Threads(1)
    public Object eskitWriters01(Writer writer) {
        return eskit(writer);
    }

    /** Hand-written, one writer. */
    @Benchmark
    @Threads(1)
    public long simpleWriters01(Writer writer) throws SQLException {
        return simple(writer);
    }

    /** eskit, 8 writers. */
    @Benchmark
    @Threads(8)
    public Object eskitWriters08(Writer writer) {
        return eskit(writer);
    }

    /** Hand-written, 8 writers. */
    @Benchmark
    @Threads(8)
    public long simpleWriters08(Writer writer) throws SQLException {
        return simple(writer);
    }

    /** eskit, 32 writers. */
    @Benchmark
    @Threads(32)
    public Object eskitWriters32(Writer writer) {
        return eskit(writer);
    }

    /** Hand-written, 32 writers. */
    @Benchmark
    @Threads(32)
    public long simpleWriters32(Writer writer) throws SQLException {
        return simple(writer);
    }
}
