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
import dev.eskit.jdbi.JdbiEventStore;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A quick, load-tolerant look at the single-writer command path: the calling thread's CPU time per command for eskit
 * (group commit on and off, and with a state cache of every stream on the database's default) and {@link SimpleJdbc}, in alternating rounds so that drifting load hits all sides alike.
 * Each round starts with another side. SQLite's work runs on the calling thread and is counted; PostgreSQL's server work is not. For direction while
 * working on a busy machine, not for published figures (those come from JMH, {@code benchmarks/run-writers.sh}).
 *
 * <pre>java -cp benchmarks/target/eskit-benchmarks.jar dev.eskit.benchmarks.CpuCompare sqlite 3000 5</pre>
 */
public final class CpuCompare {

    private CpuCompare() {
    }

    /** Arguments: {@code sqlite|postgres}, commands per round (default 3000), rounds (default 5). */
    public static void main(String[] args) throws Exception {
        String db = args.length > 0 ? args[0] : "sqlite";
        int commands = args.length > 1 ? Integer.parseInt(args[1]) : 3000;
        int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 5;
        Path dir = Databases.tempDirectory();
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        try (JdbiEventStore grouped = seeded(db, dir, "cpu_grouped", true);
             JdbiEventStore alone = seeded(db, dir, "cpu_alone", false);
             JdbiEventStore cached = seeded(db, dir, "cpu_cached", db.equals("sqlite"))) {
            String url = db.equals("sqlite") ? "jdbc:sqlite:" + dir.resolve("simple.db") : Databases.pgUrl();
            if (!db.equals("sqlite")) {
                Databases.dropSchema("cpu_simple");
            }
            try (SimpleJdbc simple = SimpleJdbc.open(db, url, "cpu_simple")) {
                for (int i = 0; i < WritersBenchmark.STREAMS; i++) {
                    simple.open("a-" + i);
                }
                List<CommandHandler<AccountState, AccountCommand, AccountEvent>> handlers = List.of(
                        CommandHandler.of(grouped, new AccountDecider(), "account"),
                        CommandHandler.of(alone, new AccountDecider(), "account"),
                        CommandHandler.builder(cached, new AccountDecider(), "account")
                                .cacheStates(WritersBenchmark.STREAMS).build());
                String[] names = {"eskit (group commit)", "eskit (no group commit)", "eskit cached", "hand-written"};
                int sides = names.length;
                int hand = sides - 1;
                double[][] perCommand = new double[sides][rounds];
                int[] next = new int[sides];
                for (int round = -1; round < rounds; round++) {
                    // Each round starts with another side, so that whatever the previous side left behind (garbage,
                    // a cold cache) falls on every side alike.
                    for (int turn = 0; turn < sides; turn++) {
                        int side = (turn + Math.max(round, 0)) % sides;
                        long cpu = threads.getCurrentThreadCpuTime();
                        for (int i = 0; i < commands; i++) {
                            String id = "a-" + next[side];
                            next[side] = (next[side] + 1) % WritersBenchmark.STREAMS;
                            if (side < hand) {
                                handlers.get(side).handle(id, new Deposit(id, 100));
                            } else {
                                simple.deposit(id, 100);
                            }
                        }
                        if (round >= 0) {
                            perCommand[side][round] = (threads.getCurrentThreadCpuTime() - cpu) / 1000.0 / commands;
                        }
                    }
                }
                System.out.printf("%s, %d commands x %d rounds, CPU µs per command of the calling thread (median):%n",
                        db, commands, rounds);
                double simpleMedian = median(perCommand[hand]);
                for (int side = 0; side < sides; side++) {
                    double m = median(perCommand[side]);
                    System.out.printf("  %-24s %8.1f   ratio %.2f   rounds %s%n", names[side], m, simpleMedian / m,
                            Arrays.toString(Arrays.stream(perCommand[side]).map(v -> Math.round(v)).toArray()));
                }
            }
        } finally {
            Databases.dropIfPostgres(db, "cpu_grouped");
            Databases.dropIfPostgres(db, "cpu_alone");
            Databases.dropIfPostgres(db, "cpu_cached");
            Databases.dropIfPostgres(db, "cpu_simple");
            Databases.deleteRecursively(dir);
        }
    }

    static JdbiEventStore seeded(String db, Path dir, String name, boolean groupCommit) {
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
}
