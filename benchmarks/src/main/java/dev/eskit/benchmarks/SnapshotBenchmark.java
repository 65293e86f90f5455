package dev.eskit.benchmarks;

import dev.eskit.AppendRequest;
import dev.eskit.ExpectedVersion;
import dev.eskit.StreamRef;
import dev.eskit.benchmarks.domain.AccountCommand;
import dev.eskit.benchmarks.domain.AccountDecider;
import dev.eskit.benchmarks.domain.AccountEvent;
import dev.eskit.benchmarks.domain.AccountState;
import dev.eskit.benchmarks.domain.Deposit;
import dev.eskit.benchmarks.domain.Inspect;
import dev.eskit.command.CommandHandler;
import dev.eskit.jdbi.JdbiEventStore;
import dev.eskit.snapshot.StateCodec;
import java.nio.file.Path;
import java.sql.SQLException;
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

/**
 * A command on a 10,000-event stream through {@code CommandHandler}, with and without snapshots (every 1,000 events,
 * in the store's own snapshot table). The command decides nothing, so the stream stays at the same length.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class SnapshotBenchmark {

    @Param({"sqlite", "postgres"})
    public String db;

    private Path dir;
    private JdbiEventStore store;
    private CommandHandler<AccountState, AccountCommand, AccountEvent> plain;
    private CommandHandler<AccountState, AccountCommand, AccountEvent> snapshotting;
    private static final StreamRef STREAM = StreamRef.of("account", "long");

    @Setup
    public void open() throws SQLException {
        dir = Databases.tempDirectory();
        store = Databases.eskit(db, dir, "bench_snapshot");
        LoadBenchmark.fill(9_999, (version, batch) ->
                store.append(AppendRequest.of(STREAM, ExpectedVersion.exactly(version), batch)));
        // No state cache (the proven-immutable state would get one by default): each command loads, as measured.
        plain = CommandHandler.builder(store, new AccountDecider(), "account").cacheStates(0).build();
        snapshotting = CommandHandler.builder(store, new AccountDecider(), "account").cacheStates(0)
                .snapshots(store.snapshots(), StateCodec.json(AccountState.class), 1_000).build();
        // The 10,000th event is appended through the snapshotting handler, which saves the snapshot at 10,000.
        snapshotting.handle("long", new Deposit("long", 1));
        if (store.snapshots().load(STREAM).orElseThrow().version() != 10_000) {
            throw new IllegalStateException("no snapshot at 10,000");
        }
    }

    @TearDown
    public void close() {
        store.close();
        Databases.dropIfPostgres(db, "bench_snapshot");
        Databases.deleteRecursively(dir);
    }

    /** Loads the snapshot, then the (no) events after it. */
    @Benchmark
    public AccountState commandWithSnapshot() {
        return snapshotting.handle("long", new Inspect("long")).state();
    }

    /** Folds all 10,000 events. */
    @Benchmark
    public AccountState commandWithoutSnapshot() {
        return plain.handle("long", new Inspect("long")).state();
    }
}
