package dev.eskit.benchmarks;

import dev.eskit.AppendRequest;
import dev.eskit.ExpectedVersion;
import dev.eskit.StreamRef;
import dev.eskit.benchmarks.domain.Deposited;
import dev.eskit.jdbi.JdbiEventStore;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/** Batch append: 100 events per transaction, each batch to a new stream (many streams). */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class AppendBenchmark {

    @Param({"sqlite", "postgres"})
    public String db;

    private Path dir;
    private JdbiEventStore eskit;
    private RawStore raw;
    /** The simplest correct store written by hand (one table, a unique constraint); see {@link SimpleJdbc}. */
    private SimpleJdbc simple;
    private List<Deposited> batch;
    private long next;

    @Setup
    public void open() {
        dir = Databases.tempDirectory();
        eskit = Databases.eskit(db, dir, "bench_append_eskit");
        raw = Databases.raw(db, dir, "bench_append_raw");
        simple = Databases.simple(db, dir, "bench_append_simple");
        batch = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            batch.add(new Deposited("x", 100 + i, "invoice " + i, 1_700_000_000_000L + i));
        }
    }

    @TearDown
    public void close() throws SQLException {
        eskit.close();
        Databases.dropIfPostgres(db, "bench_append_eskit");
        raw.close();
        simple.close();
        Databases.dropIfPostgres(db, "bench_append_simple");
        Databases.deleteRecursively(dir);
    }

    /** eskit: one {@code append} of 100 events to a new stream. */
    @Benchmark
    public Object eskitBatch100() {
        return eskit.append(AppendRequest.of(StreamRef.of("account", "a-" + next++), ExpectedVersion.noStream(),
                batch));
    }

    /** Raw JDBC: the same rows in the same transaction. */
    @Benchmark
    public long rawBatch100() throws SQLException {
        return raw.append("account", "a-" + next++, 0, batch, null);
    }

    /** The hand-written yardstick: the same 100 events as one JDBC batch into its one table, one commit. */
    @Benchmark
    public int simpleBatch100() throws SQLException {
        return simple.batch("a-" + next++, batch);
    }
}
