package dev.eskit.benchmarks;

import dev.eskit.AppendRequest;
import dev.eskit.ExpectedVersion;
import dev.eskit.StoredEvent;
import dev.eskit.StreamRef;
import dev.eskit.benchmarks.domain.AccountDecider;
import dev.eskit.benchmarks.domain.AccountEvent;
import dev.eskit.benchmarks.domain.AccountState;
import dev.eskit.benchmarks.domain.Deposited;
import dev.eskit.benchmarks.domain.Opened;
import dev.eskit.benchmarks.domain.Withdrawn;
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

/** Stream load + decode + fold of one stream of {@code events} events. */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class LoadBenchmark {

    @Param({"sqlite", "postgres"})
    public String db;

    @Param({"100", "10000"})
    public int events;

    private Path dir;
    private JdbiEventStore eskit;
    private RawStore raw;
    private final AccountDecider decider = new AccountDecider();
    private static final StreamRef STREAM = StreamRef.of("account", "long");

    @Setup
    public void open() throws SQLException {
        dir = Databases.tempDirectory();
        eskit = Databases.eskit(db, dir, "bench_load_eskit");
        raw = Databases.raw(db, dir, "bench_load_raw");
        fill(events, (version, batch) -> {
            eskit.append(AppendRequest.of(STREAM, ExpectedVersion.exactly(version), batch));
            raw.append(STREAM.type(), STREAM.id(), version, batch, null);
        });
    }

    interface Sink {
        void append(long version, List<AccountEvent> batch) throws SQLException;
    }

    /** Appends {@code total} events (an opening, then deposits with every tenth a withdrawal) in batches of 1,000. */
    static void fill(int total, Sink sink) throws SQLException {
        long version = 0;
        while (version < total) {
            List<AccountEvent> batch = new ArrayList<>();
            for (int i = 0; i < 1_000 && version + batch.size() < total; i++) {
                long n = version + batch.size();
                if (n == 0) {
                    batch.add(new Opened("long", "owner", "EUR"));
                } else if (n % 10 == 0) {
                    batch.add(new Withdrawn("long", 50, "fee"));
                } else {
                    batch.add(new Deposited("long", 100 + n % 7, "invoice " + n, 1_700_000_000_000L + n));
                }
            }
            sink.append(version, batch);
            version += batch.size();
        }
    }

    /** 100 events of account {@code id}: an opening, deposits, every tenth a withdrawal. */
    static List<AccountEvent> history100(String id) {
        List<AccountEvent> batch = new ArrayList<>();
        batch.add(new Opened(id, "owner", "EUR"));
        for (int n = 1; n < 100; n++) {
            batch.add(n % 10 == 0 ? new Withdrawn(id, 50, "fee")
                    : new Deposited(id, 100 + n % 7, "invoice " + n, 1_700_000_000_000L + n));
        }
        return batch;
    }

    @TearDown
    public void close() throws SQLException {
        eskit.close();
        Databases.dropIfPostgres(db, "bench_load_eskit");
        raw.close();
        Databases.deleteRecursively(dir);
    }

    /** eskit: {@code store.load} (decoding to {@code StoredEvent}s) and the generated decider's {@code evolve}. */
    @Benchmark
    public AccountState eskitLoadFold() {
        AccountState state = decider.initialState();
        for (StoredEvent<Object> event : eskit.load(STREAM)) {
            state = decider.evolve(state, (AccountEvent) event.data());
        }
        return state;
    }

    /** Raw JDBC: select the same columns, decode with cached Jackson readers, fold with a hand-written switch. */
    @Benchmark
    public AccountState rawLoadFold() throws SQLException {
        return raw.load(STREAM.type(), STREAM.id()).state();
    }
}
