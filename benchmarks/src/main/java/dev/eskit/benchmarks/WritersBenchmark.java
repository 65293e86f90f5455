package dev.eskit.benchmarks;

import dev.eskit.AppendRequest;
import dev.eskit.ExpectedVersion;
import dev.eskit.StreamRef;
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
import java.util.concurrent.atomic.AtomicLong;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * The single-command path against {@link SimpleJdbc}, the simplest correct store written by hand (one table, a unique
 * (stream, version) constraint, nothing else), at as many concurrent writers as JMH's {@code -t} says (1 by default;
 * {@code benchmarks/run-writers.sh} runs 1, 2, 4, 8, 16 and 32). Each command loads one of {@value #STREAMS} streams
 * (the threads walk them round robin together), folds it, decides one {@code Deposited} and appends it; both sides
 * retry on a version conflict. Streams stay short, as a command's aggregate usually is: once the walk has given every
 * stream {@code streamLength} more events it moves on to {@value #STREAMS} new streams (a new stream's first command
 * appends to "no stream"), so a command loads about {@code streamLength / 2} events on average whatever the run's
 * length (before the eighth wave the streams grew for the whole run, to about a hundred events, so the load and fold
 * outweighed the append). {@code eskitWriters} runs with group commit (SQLite's default),
 * {@code eskitWritersNoGroup} without (PostgreSQL's default), both with {@code cacheStates(0)};
 * {@code eskitWritersCached} is eskit as a user gets it, no option set: the database's default for group commit and,
 * since the decider's state is proven immutable, the default state cache (a warm command appends at the cached head
 * without reading). Score: commands per second, all threads together.
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

    /** How many events the walk gives each stream before it moves on to new streams. */
    @Param({"20"})
    public int streamLength;

    /** The commands handed out so far, all threads together: where the walk is. */
    final AtomicLong walked = new AtomicLong();

    /** An eskit store with group commit, seeded with the streams; only set up for the benchmarks that use it. */
    @State(Scope.Benchmark)
    public static class Eskit {
        Path dir;
        JdbiEventStore store;
        CommandHandler<AccountState, AccountCommand, AccountEvent> handler;
        String db;

        boolean groupCommit() {
            return true;
        }

        /** How many streams the handler's state cache keeps: 0 (no cache), or -1 for the handler's default. */
        int cachedStreams() {
            return 0;
        }

        @Setup
        public void open(WritersBenchmark benchmark) {
            db = benchmark.db;
            dir = Databases.tempDirectory();
            store = Databases.eskit(db, dir, ESKIT_SCHEMA, groupCommit());
            var builder = CommandHandler.builder(store, new AccountDecider(), "account")
                    .retry(new RetryPolicy(100, Duration.ZERO, Duration.ZERO));
            if (cachedStreams() >= 0) {
                builder.cacheStates(cachedStreams());
            }
            handler = builder.build();
            for (int i = 0; i < STREAMS; i++) {
                String id = "a-" + i;
                store.append(AppendRequest.of(StreamRef.of("account", id), ExpectedVersion.noStream(),
                        CommandBenchmark.history(id).subList(0, 1)));
            }
        }

        @TearDown
        public void close() {
            store.close();
            Databases.dropIfPostgres(db, ESKIT_SCHEMA);
            Databases.deleteRecursively(dir);
        }
    }

    /** The same store with group commit off: every append a transaction of its own. */
    @State(Scope.Benchmark)
    public static class EskitNoGroup extends Eskit {
        @Override
        boolean groupCommit() {
            return false;
        }
    }

    /** Eskit as a user gets it: the database's group commit default, the handler's default state cache. */
    @State(Scope.Benchmark)
    public static class EskitCached extends Eskit {
        @Override
        boolean groupCommit() {
            return db.equals("sqlite");
        }

        @Override
        int cachedStreams() {
            return -1;
        }
    }

    /** The hand-written store's table, seeded with the streams. */
    @State(Scope.Benchmark)
    public static class Simple {
        Path dir;
        String url;
        String db;

        @Setup
        public void open(WritersBenchmark benchmark) throws SQLException {
            db = benchmark.db;
            dir = Databases.tempDirectory();
            if (db.equals("sqlite")) {
                url = "jdbc:sqlite:" + dir.resolve("simple.db");
            } else {
                Databases.dropSchema(SIMPLE_SCHEMA);
                url = Databases.pgUrl();
            }
            try (SimpleJdbc simple = SimpleJdbc.open(db, url, SIMPLE_SCHEMA)) {
                for (int i = 0; i < STREAMS; i++) {
                    simple.open("a-" + i);
                }
            }
        }

        @TearDown
        public void close() {
            Databases.dropIfPostgres(db, SIMPLE_SCHEMA);
            Databases.deleteRecursively(dir);
        }
    }

    /** The walk over the streams, shared by the threads; see the class. */
    @State(Scope.Thread)
    public static class Walk {
        WritersBenchmark benchmark;

        @Setup
        public void start(WritersBenchmark benchmark) {
            this.benchmark = benchmark;
        }

        String nextId() {
            long step = benchmark.walked.getAndIncrement();
            long generation = step / ((long) STREAMS * benchmark.streamLength);
            String id = "a-" + step % STREAMS;
            return generation == 0 ? id : id + "." + generation;
        }
    }

    /** One hand-written writer thread: its own connection and statements. */
    @State(Scope.Thread)
    public static class SimpleWriter {
        SimpleJdbc simple;

        @Setup
        public void open(Simple table) throws SQLException {
            simple = SimpleJdbc.open(table.db, table.url, SIMPLE_SCHEMA);
        }

        @TearDown
        public void close() throws SQLException {
            simple.close();
        }
    }

    /** eskit with group commit (the default on SQLite) and no state cache. */
    @Benchmark
    public Object eskitWriters(Eskit eskit, Walk walk) {
        String id = walk.nextId();
        return eskit.handler.handle(id, new Deposit(id, 100));
    }

    /** eskit with group commit off (the default on PostgreSQL) and no state cache. */
    @Benchmark
    public Object eskitWritersNoGroup(EskitNoGroup eskit, Walk walk) {
        String id = walk.nextId();
        return eskit.handler.handle(id, new Deposit(id, 100));
    }

    /** eskit as it comes: the database's group commit default and the default state cache. */
    @Benchmark
    public Object eskitWritersCached(EskitCached eskit, Walk walk) {
        String id = walk.nextId();
        return eskit.handler.handle(id, new Deposit(id, 100));
    }

    /** The hand-written store. */
    @Benchmark
    public long simpleWriters(SimpleWriter writer, Walk walk) throws SQLException {
        return writer.simple.deposit(walk.nextId(), 100);
    }
}
