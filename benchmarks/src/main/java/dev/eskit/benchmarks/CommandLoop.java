package dev.eskit.benchmarks;

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

/**
 * One side of {@link CpuCompare} alone, for a profiler: the single-writer command loop of eskit (group commit on or
 * off, or on with a state cache of every stream) or of {@link SimpleJdbc} on SQLite, on the same 2,000 streams, printing the calling thread's CPU per command of
 * each round. Run it under JFR and only that side's frames are in the recording:
 *
 * <pre>java -XX:StartFlightRecording=filename=eskit.jfr,settings=profile \
 *     -cp benchmarks/target/eskit-benchmarks.jar dev.eskit.benchmarks.CommandLoop eskit 5000 6</pre>
 *
 * <p>Arguments: {@code eskit|grouped|cached|simple}, commands per round (default 5000), rounds (default 6); with
 * {@code -Dkeep=true} the SQLite files are left in place (their directory is printed) for {@code sqlite3}.
 */
public final class CommandLoop {

    private CommandLoop() {
    }

    /** Runs the loop; see the class comment for the arguments. */
    public static void main(String[] args) throws Exception {
        String side = args.length > 0 ? args[0] : "eskit";
        int commands = args.length > 1 ? Integer.parseInt(args[1]) : 5000;
        int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 6;
        boolean keep = Boolean.getBoolean("keep");
        Path dir = Databases.tempDirectory();
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        try {
            Command command;
            AutoCloseable resource;
            if (side.equals("simple")) {
                SimpleJdbc simple = SimpleJdbc.open("sqlite", "jdbc:sqlite:" + dir.resolve("simple.db"), "unused");
                for (int i = 0; i < WritersBenchmark.STREAMS; i++) {
                    simple.open("a-" + i);
                }
                command = id -> simple.deposit(id, 100);
                resource = simple;
            } else {
                JdbiEventStore store = CpuCompare.seeded("sqlite", dir, "loop",
                        side.equals("grouped") || side.equals("cached"));
                CommandHandler<AccountState, AccountCommand, AccountEvent> handler =
                        CommandHandler.builder(store, new AccountDecider(), "account")
                                .cacheStates(side.equals("cached") ? WritersBenchmark.STREAMS : 0).build();
                command = id -> handler.handle(id, new Deposit(id, 100));
                resource = store;
            }
            try (resource) {
                int next = 0;
                for (int round = 0; round < rounds; round++) {
                    long cpu = threads.getCurrentThreadCpuTime();
                    for (int i = 0; i < commands; i++) {
                        command.run("a-" + next);
                        next = (next + 1) % WritersBenchmark.STREAMS;
                    }
                    System.out.printf("%s round %d: %.1f µs CPU per command%n", side, round,
                            (threads.getCurrentThreadCpuTime() - cpu) / 1000.0 / commands);
                }
            }
        } finally {
            if (keep) {
                System.out.println("files kept in " + dir);
            } else {
                Databases.deleteRecursively(dir);
            }
        }
    }

    /** One command on stream {@code id}. */
    @FunctionalInterface
    private interface Command {
        void run(String id) throws Exception;
    }
}
