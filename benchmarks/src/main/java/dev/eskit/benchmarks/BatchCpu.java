package dev.eskit.benchmarks;

import dev.eskit.ExpectedVersion;
import dev.eskit.StreamRef;
import dev.eskit.benchmarks.domain.AccountEvent;
import dev.eskit.benchmarks.domain.Deposited;
import dev.eskit.jdbi.JdbiEventStore;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A quick, load-tolerant look at the batch append path: the calling thread's CPU time per append of {@code size}
 * events to a new stream ({@code ExpectedVersion.noStream()}), to an existing one at its version, and of the
 * hand-written batch ({@link SimpleJdbc#batch}, to a new stream), in alternating rounds. For direction while working on a busy machine (the server's work is not counted), not for published figures
 * (those come from {@code AppendBenchmark}).
 *
 * <pre>java -cp benchmarks/target/eskit-benchmarks.jar dev.eskit.benchmarks.BatchCpu postgres 100 300 5</pre>
 */
public final class BatchCpu {

    private BatchCpu() {
    }

    /**
     * Arguments: {@code sqlite|postgres}, events per append (100), appends per round (300), rounds (5), and optionally
     * the one side to run (0 new stream, 1 known version, 2 hand-written).
     */
    public static void main(String[] args) throws Exception {
        String db = args.length > 0 ? args[0] : "postgres";
        int size = args.length > 1 ? Integer.parseInt(args[1]) : 100;
        int appends = args.length > 2 ? Integer.parseInt(args[2]) : 300;
        int rounds = args.length > 3 ? Integer.parseInt(args[3]) : 5;
        // Optional: one side alone (0 new stream, 1 known version, 2 hand-written), for a profiler's recording.
        int only = args.length > 4 ? Integer.parseInt(args[4]) : -1;
        Path dir = Databases.tempDirectory();
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        List<AccountEvent> events = new ArrayList<>();
        for (int i = 0; i < size; i++) {
            events.add(new Deposited("batch", i * 100L, "invoice " + i, 1_700_000_000_000L + i));
        }
        List<Deposited> deposits = new ArrayList<>();
        events.forEach(event -> deposits.add((Deposited) event));
        String[] names = {"new stream", "known version", "hand-written"};
        double[][] perAppend = new double[3][rounds];
        try (JdbiEventStore store = Databases.eskit(db, dir, "cpu_batch", false);
             SimpleJdbc simple = Databases.simple(db, dir, "cpu_batch_simple")) {
            int stream = 0;
            for (int round = -1; round < rounds; round++) {
                for (int turn = 0; turn < 3; turn++) {
                    int side = (turn + Math.max(round, 0)) % 3;
                    if (only >= 0 && side != only) {
                        continue;
                    }
                    StreamRef existing = StreamRef.of("batch", "r" + round + "-" + side);
                    long version = 0;
                    long cpu = threads.getCurrentThreadCpuTime();
                    for (int i = 0; i < appends; i++) {
                        if (side == 2) {
                            simple.batch("s" + stream++, deposits);
                        } else if (side == 0) {
                            store.append(StreamRef.of("batch", "s" + stream++), ExpectedVersion.noStream(), events);
                        } else {
                            version = store.append(existing, ExpectedVersion.exactly(version), events)
                                    .streamVersion();
                        }
                    }
                    if (round >= 0) {
                        perAppend[side][round] = (threads.getCurrentThreadCpuTime() - cpu) / 1000.0 / appends;
                    }
                }
            }
        } finally {
            Databases.dropIfPostgres(db, "cpu_batch");
            Databases.dropIfPostgres(db, "cpu_batch_simple");
            Databases.deleteRecursively(dir);
        }
        System.out.printf("%s, %d events x %d appends x %d rounds, CPU µs per append of the calling thread:%n", db,
                size, appends, rounds);
        for (int side = 0; side < 3; side++) {
            double[] sorted = perAppend[side].clone();
            Arrays.sort(sorted);
            System.out.printf("  %-14s median %8.1f   rounds %s%n", names[side], sorted[rounds / 2],
                    Arrays.toString(Arrays.stream(perAppend[side]).map(Math::round).toArray()));
        }
    }
}
