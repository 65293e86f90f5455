package dev.eskit.benchmarks;

import dev.eskit.AppendRequest;
import dev.eskit.ExpectedVersion;
import dev.eskit.Position;
import dev.eskit.StoredEvent;
import dev.eskit.StreamRef;
import dev.eskit.benchmarks.domain.AccountEvent;
import dev.eskit.benchmarks.domain.Totals;
import dev.eskit.benchmarks.domain.TotalsHandlers;
import dev.eskit.jdbi.JdbiEventStore;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * Global log catch-up: read all 10,000 events (100 streams of 100) from the start in pages of 1,000, filtered by the
 * projection's event types, and apply each to a projection. Scores are events per second.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class CatchUpBenchmark {

    static final int EVENTS = 10_000;
    static final int PAGE = 1_000;

    @Param({"sqlite", "postgres"})
    public String db;

    private Path dir;
    private JdbiEventStore eskit;
    private RawStore raw;

    @Setup
    public void open() throws SQLException {
        dir = Databases.tempDirectory();
        eskit = Databases.eskit(db, dir, "bench_catchup_eskit");
        raw = Databases.raw(db, dir, "bench_catchup_raw");
        for (int s = 0; s < 100; s++) {
            String id = "a-" + s;
            List<AccountEvent> history = LoadBenchmark.history100(id);
            eskit.append(AppendRequest.of(StreamRef.of("account", id), ExpectedVersion.noStream(), history));
            raw.append("account", id, 0, history, null);
        }
    }

    @TearDown
    public void close() throws SQLException {
        eskit.close();
        Databases.dropIfPostgres(db, "bench_catchup_eskit");
        raw.close();
        Databases.deleteRecursively(dir);
    }

    /** eskit: {@code readAll} pages through the generated {@code TotalsHandlers}. */
    @Benchmark
    @OperationsPerInvocation(EVENTS)
    public long eskitCatchUp() {
        Totals totals = new Totals();
        TotalsHandlers handler = new TotalsHandlers(totals);
        Position after = Position.START;
        long seen = 0;
        while (true) {
            List<StoredEvent<Object>> page = eskit.readAll(after, PAGE, handler.eventTypes());
            for (StoredEvent<Object> event : page) {
                handler.handle(event);
            }
            seen += page.size();
            if (page.size() < PAGE) {
                break;
            }
            after = page.get(page.size() - 1).position();
        }
        if (seen != EVENTS) {
            throw new IllegalStateException("saw " + seen);
        }
        return totals.checksum();
    }

    /** Raw JDBC: the same pages, decoded by hand, applied by a hand-written {@code instanceof} chain. */
    @Benchmark
    @OperationsPerInvocation(EVENTS)
    public long rawCatchUp() throws SQLException {
        Totals totals = new Totals();
        long seen = raw.catchUp(totals, PAGE);
        if (seen != EVENTS) {
            throw new IllegalStateException("saw " + seen);
        }
        return totals.checksum();
    }
}
