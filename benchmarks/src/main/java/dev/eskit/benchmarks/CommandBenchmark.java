package dev.eskit.benchmarks;

import dev.eskit.AppendRequest;
import dev.eskit.ExpectedVersion;
import dev.eskit.StreamRef;
import dev.eskit.benchmarks.domain.Account;
import dev.eskit.benchmarks.domain.AccountCommand;
import dev.eskit.benchmarks.domain.AccountDecider;
import dev.eskit.benchmarks.domain.AccountEvent;
import dev.eskit.benchmarks.domain.AccountState;
import dev.eskit.benchmarks.domain.Deposit;
import dev.eskit.benchmarks.domain.Deposited;
import dev.eskit.benchmarks.domain.Opened;
import dev.eskit.command.CommandHandler;
import dev.eskit.internal.Ids;
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

/**
 * Single-event command: load a short stream (10 events to start with), fold, decide, append one event with the
 * loaded version and the command's metadata, commit. Streams are used round robin, so each grows by a few events.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class CommandBenchmark {

    static final int STREAMS = 2_000;

    @Param({"sqlite", "postgres"})
    public String db;

    private Path dir;
    private JdbiEventStore eskitStore;
    private CommandHandler<AccountState, AccountCommand, AccountEvent> handler;
    private RawStore raw;
    private String[] ids;
    private int next;

    @Setup
    public void open() throws SQLException {
        dir = Databases.tempDirectory();
        eskitStore = Databases.eskit(db, dir, "bench_command_eskit");
        raw = Databases.raw(db, dir, "bench_command_raw");
        // Without the state cache the decider's proven-immutable state would get by default: every command reads.
        handler = CommandHandler.builder(eskitStore, new AccountDecider(), "account").cacheStates(0).build();
        ids = new String[STREAMS];
        for (int i = 0; i < STREAMS; i++) {
            ids[i] = "a-" + i;
            List<AccountEvent> history = history(ids[i]);
            eskitStore.append(AppendRequest.of(StreamRef.of("account", ids[i]), ExpectedVersion.noStream(), history));
            raw.append("account", ids[i], 0, history, null);
        }
    }

    static List<AccountEvent> history(String id) {
        List<AccountEvent> events = new ArrayList<>();
        events.add(new Opened(id, "owner of " + id, "EUR"));
        for (int i = 1; i < 10; i++) {
            events.add(new Deposited(id, i * 100L, "invoice " + i, 1_700_000_000_000L + i));
        }
        return events;
    }

    @TearDown
    public void close() throws SQLException {
        eskitStore.close();
        Databases.dropIfPostgres(db, "bench_command_eskit");
        raw.close();
        Databases.deleteRecursively(dir);
    }

    private String nextId() {
        String id = ids[next];
        next = (next + 1) % STREAMS;
        return id;
    }

    /** eskit: {@code CommandHandler.handle} with the generated decider. */
    @Benchmark
    public Object eskitCommand() {
        String id = nextId();
        return handler.handle(id, new Deposit(id, 100));
    }

    /** Raw JDBC: select and decode the stream, fold and decide by hand, insert one row, commit. */
    @Benchmark
    public long rawCommand() throws SQLException {
        String id = nextId();
        RawStore.Loaded loaded = raw.load("account", id);
        Deposited event = Account.deposit(loaded.state(), new Deposit(id, 100));
        byte[] metadata = RawStore.commandMetadata(Ids.timeOrdered());
        long version = raw.append("account", id, loaded.version(), List.of(event), metadata);
        // Like the handler, produce the new state.
        return RawStore.fold(loaded.state(), event).balanceCents() + version;
    }
}
