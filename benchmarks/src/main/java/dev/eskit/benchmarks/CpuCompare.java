package dev.eskit.benchmarks;

import dev.eskit.AppendRequest;
import dev.eskit.ExpectedVersion;
import dev.eskit.StreamRef;
import dev.eskit.benchmarks.domain.AccountCommand;
import dev.eskit.benchmarks.domain.AccountDecider;
import dev.eskit.benchmarks.domain.AccountEvent;
import dev.eskit.benchmarks.domain.AccountState;
import dev.eskit.benchmarks.domain.Credit;
import dev.eskit.benchmarks.domain.Deposit;
import dev.eskit.benchmarks.domain.LedgerCommand;
import dev.eskit.benchmarks.domain.LedgerDecider;
import dev.eskit.benchmarks.domain.LedgerState;
import dev.eskit.command.CommandHandler;
import dev.eskit.command.RetryPolicy;
import dev.eskit.jdbi.JdbiEventStore;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * The command path side by side in interleaved rounds: eskit (group commit on, off, and with a state cache of every
 * stream on the database's default) and {@link SimpleJdbc}, each round running every side in turn, starting with
 * another side each round, so that drift (a noisy disk, a busy neighbour, the tables growing) falls on all sides
 * alike. Per side it prints the medians over the rounds of: wall-clock throughput, the writer threads' CPU per command
 * and the whole machine's busy CPU per command ({@code /proc/stat}: the JVM and PostgreSQL's backends together, so
 * only meaningful on an otherwise idle machine), each with its ratio to the hand-written side, and on PostgreSQL the
 * WAL bytes per command (the server's whole WAL: only meaningful when nothing else writes). JMH's
 * {@code WritersBenchmark} runs the sides one after the other; on a machine whose disk speed drifts, these rounds are
 * the fairer wall-clock comparison.
 *
 * <pre>java -cp benchmarks/target/eskit-benchmarks.jar dev.eskit.benchmarks.CpuCompare postgres 2000 9 1 alone,simple</pre>
 *
 * <p>Arguments: {@code sqlite|postgres}, commands per writer per round (default 3000), rounds (default 5; one more
 * unmeasured warm-up round runs first), writer threads (default 1), and the sides as a comma-separated subset of
 * {@code grouped,alone,cached,default,simple} (default all but {@code default}; {@code default} is eskit as a user gets
 * it: the database's group-commit default and the decider's state-cache default, no options set;
 * {@code default_grouped} is the same with group commit on; {@code ledger} is
 * the same for {@code LedgerDecider}, whose state holds an {@code ArrayList} that evolve changes in place, so its
 * states are cached as copies; {@code ledger_nocache} is {@code ledger} without a cache). PostgreSQL's schemas are
 * named after the process id, so two runs at once do not drop each other's tables.
 */
public final class CpuCompare {

    private static final List<String> ALL_SIDES = List.of("grouped", "alone", "cached", "simple");
    // default: AccountDecider as it comes; ledger: LedgerDecider (an ArrayList changed in place, cached as copies)
    // as it comes, ledger_nocache: the same without a cache.
    private static final List<String> OTHER_SIDES = List.of("default", "default_grouped", "ledger", "ledger_nocache");

    private CpuCompare() {
    }

    /** One side: a writer's command, given its thread's index and the stream to write to. */
    private interface Side {
        void command(int writer, String id) throws Exception;
    }

    public static void main(String[] args) throws Exception {
        String db = args.length > 0 ? args[0] : "sqlite";
        int commands = args.length > 1 ? Integer.parseInt(args[1]) : 3000;
        int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 5;
        int writers = args.length > 3 ? Integer.parseInt(args[3]) : 1;
        List<String> names = args.length > 4 ? List.of(args[4].split(",")) : ALL_SIDES;
        for (String name : names) {
            if (!ALL_SIDES.contains(name) && !OTHER_SIDES.contains(name)) {
                throw new IllegalArgumentException("unknown side " + name + "; use some of " + ALL_SIDES
                        + " or " + OTHER_SIDES);
            }
        }
        String suffix = "_" + ProcessHandle.current().pid();
        Path dir = Databases.tempDirectory();
        List<AutoCloseable> resources = new ArrayList<>();
        List<String> schemas = new ArrayList<>();
        ExecutorService pool = Executors.newFixedThreadPool(writers);
        try {
            List<Side> sides = new ArrayList<>();
            for (String name : names) {
                String schema = "cpu_" + name + suffix;
                schemas.add(schema);
                sides.add(side(db, dir, name, schema, writers, resources));
            }
            int hand = names.indexOf("simple");
            double[][] wall = new double[sides.size()][rounds];
            double[][] thread = new double[sides.size()][rounds];
            double[][] machine = new double[sides.size()][rounds];
            double[][] wal = new double[sides.size()][rounds];
            Wal walPosition = db.equals("sqlite") ? null : new Wal();
            if (walPosition != null) {
                resources.add(walPosition);
            }
            int[][] next = new int[sides.size()][writers];
            for (int s = 0; s < sides.size(); s++) {
                for (int w = 0; w < writers; w++) {
                    next[s][w] = (w * 61) % WritersBenchmark.STREAMS;
                }
            }
            ThreadMXBean threads = ManagementFactory.getThreadMXBean();
            for (int round = -1; round < rounds; round++) {
                for (int turn = 0; turn < sides.size(); turn++) {
                    int s = (turn + Math.max(round, 0)) % sides.size();
                    Side side = sides.get(s);
                    int[] walk = next[s];
                    List<Callable<Long>> work = new ArrayList<>();
                    for (int w = 0; w < writers; w++) {
                        int writer = w;
                        work.add(() -> {
                            long cpu = threads.getCurrentThreadCpuTime();
                            for (int i = 0; i < commands; i++) {
                                String id = "a-" + walk[writer];
                                walk[writer] = (walk[writer] + 1) % WritersBenchmark.STREAMS;
                                side.command(writer, id);
                            }
                            return threads.getCurrentThreadCpuTime() - cpu;
                        });
                    }
                    long walStart = walPosition == null ? 0 : walPosition.bytes();
                    long machineStart = CpuProfiler.machineBusyNanos();
                    long start = System.nanoTime();
                    long cpu = 0;
                    for (Future<Long> done : pool.invokeAll(work)) {
                        cpu += done.get();
                    }
                    long elapsed = System.nanoTime() - start;
                    long busy = CpuProfiler.machineBusyNanos() - machineStart;
                    if (round >= 0) {
                        double total = (double) commands * writers;
                        wall[s][round] = total * 1e9 / elapsed;
                        thread[s][round] = cpu / 1000.0 / total;
                        machine[s][round] = busy / 1000.0 / total;
                        wal[s][round] = walPosition == null ? 0 : (walPosition.bytes() - walStart) / total;
                    }
                }
            }
            System.out.printf("%s, %d writer(s) x %d commands x %d rounds, medians (load %s):%n", db, writers,
                    commands, rounds, loadAverage());
            System.out.printf("  %-14s %9s %6s %12s %6s %13s %6s %10s   cmd/s by round%n", "side", "cmd/s", "ratio",
                    "thread µs", "ratio", "machine µs", "ratio", "WAL B");
            for (int s = 0; s < sides.size(); s++) {
                System.out.printf("  %-14s %9.0f %6s %12.1f %6s %13.1f %6s %10.0f   %s%n", names.get(s),
                        median(wall[s]), ratio(hand, wall, s, false), median(thread[s]), ratio(hand, thread, s, true),
                        median(machine[s]), ratio(hand, machine, s, true), median(wal[s]),
                        Arrays.toString(Arrays.stream(wall[s]).mapToLong(Math::round).toArray()));
            }
        } finally {
            pool.shutdownNow();
            for (int i = resources.size() - 1; i >= 0; i--) {
                resources.get(i).close();
            }
            for (String schema : schemas) {
                Databases.dropIfPostgres(db, schema);
            }
            Databases.deleteRecursively(dir);
        }
    }

    /** eskit's throughput or the hand-written side's CPU over this side's: above 1 is eskit ahead. */
    private static String ratio(int hand, double[][] values, int side, boolean cost) {
        if (hand < 0) {
            return "";
        }
        double ratio = cost ? median(values[hand]) / median(values[side])
                : median(values[side]) / median(values[hand]);
        return String.format("%.2f", ratio);
    }

    private static Side side(String db, Path dir, String name, String schema, int writers,
                             List<AutoCloseable> resources) throws Exception {
        if (name.equals("simple")) {
            String url = db.equals("sqlite") ? "jdbc:sqlite:" + dir.resolve(schema + ".db") : Databases.pgUrl();
            if (!db.equals("sqlite")) {
                Databases.dropSchema(schema);
            }
            SimpleJdbc[] connections = new SimpleJdbc[writers];
            for (int w = 0; w < writers; w++) {
                connections[w] = SimpleJdbc.open(db, url, schema);
                resources.add(connections[w]);
            }
            for (int i = 0; i < WritersBenchmark.STREAMS; i++) {
                connections[0].open("a-" + i);
            }
            return (writer, id) -> connections[writer].deposit(id, 100);
        }
        if (name.startsWith("ledger")) {
            JdbiEventStore store = seeded(db, dir, schema, null);
            resources.add(store);
            CommandHandler.Builder<LedgerState, LedgerCommand, AccountEvent> builder =
                    CommandHandler.builder(store, new LedgerDecider(), "account")
                            .retry(new RetryPolicy(100, Duration.ZERO, Duration.ZERO));
            if (name.equals("ledger_nocache")) {
                builder.cacheStates(0);
            }
            CommandHandler<LedgerState, LedgerCommand, AccountEvent> handler = builder.build();
            return (writer, id) -> handler.handle(id, new Credit(id, 100));
        }
        boolean cached = name.equals("cached");
        // default_grouped: as default, with group commit on (PostgreSQL's is off by default).
        boolean byDefault = name.startsWith("default");
        JdbiEventStore store = byDefault ? seeded(db, dir, schema, name.equals("default_grouped") ? Boolean.TRUE : null)
                : seeded(db, dir, schema, cached ? db.equals("sqlite") : name.equals("grouped"));
        resources.add(store);
        CommandHandler.Builder<AccountState, AccountCommand, AccountEvent> builder =
                CommandHandler.builder(store, new AccountDecider(), "account")
                        .retry(new RetryPolicy(100, Duration.ZERO, Duration.ZERO));
        if (!byDefault) {
            // "default" leaves the cache to the decider: AccountState is proven immutable, so 10,000 streams.
            builder.cacheStates(cached ? Integer.getInteger("cpu.cache", WritersBenchmark.STREAMS) : 0);
        }
        CommandHandler<AccountState, AccountCommand, AccountEvent> handler = builder.build();
        return (writer, id) -> handler.handle(id, new Deposit(id, 100));
    }

    static JdbiEventStore seeded(String db, Path dir, String name, Boolean groupCommit) {
        JdbiEventStore store = Databases.eskit(db, dir, name, groupCommit);
        List<AppendRequest> requests = new ArrayList<>();
        for (int i = 0; i < WritersBenchmark.STREAMS; i++) {
            String id = "a-" + i;
            requests.add(AppendRequest.of(StreamRef.of("account", id), ExpectedVersion.noStream(),
                    CommandBenchmark.history(id).subList(0, 1)));
        }
        requests.forEach(store::append);
        return store;
    }

    private static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted[sorted.length / 2];
    }

    /** PostgreSQL's WAL insert position, for the WAL bytes a side writes per command (the server's whole WAL). */
    private static final class Wal implements AutoCloseable {
        private final Connection connection;

        Wal() throws SQLException {
            connection = DriverManager.getConnection(Databases.pgUrl());
        }

        long bytes() throws SQLException {
            try (Statement statement = connection.createStatement();
                 ResultSet row = statement.executeQuery("SELECT pg_current_wal_insert_lsn() - '0/0'::pg_lsn")) {
                row.next();
                return row.getLong(1);
            }
        }

        @Override
        public void close() throws SQLException {
            connection.close();
        }
    }

    private static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).trim();
        } catch (IOException e) {
            return "unknown";
        }
    }
}
