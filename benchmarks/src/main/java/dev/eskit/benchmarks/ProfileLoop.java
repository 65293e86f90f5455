package dev.eskit.benchmarks;

import dev.eskit.benchmarks.domain.AccountCommand;
import dev.eskit.benchmarks.domain.AccountDecider;
import dev.eskit.benchmarks.domain.AccountEvent;
import dev.eskit.benchmarks.domain.AccountState;
import dev.eskit.benchmarks.domain.Deposit;
import dev.eskit.command.CommandHandler;
import dev.eskit.jdbi.JdbiEventStore;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;

/**
 * One side of {@link CpuCompare} alone, on either database, for a profiler (run it under JFR and only that side's
 * frames are in the recording): the single-writer command loop of eskit (without group commit, with it, or with a
 * state cache of every stream on the database's default) or of {@link SimpleJdbc}, on the same 2,000 streams, printing
 * per round the calling thread's and the whole JVM's CPU per command and the bytes the calling thread allocated per
 * command (exact, unlike CPU on a shared machine).
 *
 * <pre>java -XX:StartFlightRecording=filename=pg.jfr,settings=profile \
 *     -cp benchmarks/target/eskit-benchmarks.jar dev.eskit.benchmarks.ProfileLoop postgres eskit 5000 6</pre>
 *
 * <p>Arguments: {@code sqlite|postgres}, {@code eskit|grouped|cached|simple}, commands per round (default 5000),
 * rounds (default 6); with {@code -Dkeep=true} the SQLite files are left in place (their directory is printed) for
 * {@code sqlite3}.
 */
public final class ProfileLoop {

    private ProfileLoop() {
    }

    /** Runs the loop; see the class comment for the arguments. */
    public static void main(String[] args) throws Exception {
        String db = args.length > 0 ? args[0] : "postgres";
        String side = args.length > 1 ? args[1] : "eskit";
        int commands = args.length > 2 ? Integer.parseInt(args[2]) : 5000;
        int rounds = args.length > 3 ? Integer.parseInt(args[3]) : 6;
        boolean sqlite = db.equals("sqlite");
        boolean keep = Boolean.getBoolean("keep");
        Path dir = Databases.tempDirectory();
        String schema = "profile_loop_" + side;
        com.sun.management.ThreadMXBean threads =
                (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        com.sun.management.OperatingSystemMXBean os =
                (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        try {
            CommandLoopSide command;
            AutoCloseable resource;
            if (side.equals("simple")) {
                if (!sqlite) {
                    Databases.dropSchema(schema);
                }
                SimpleJdbc simple = SimpleJdbc.open(db, sqlite ? "jdbc:sqlite:" + dir.resolve("simple.db")
                        : Databases.pgUrl(), schema);
                for (int i = 0; i < WritersBenchmark.STREAMS; i++) {
                    simple.open("a-" + i);
                }
                command = id -> simple.deposit(id, 100);
                resource = simple;
            } else {
                boolean group = side.equals("grouped") || (side.equals("cached") && sqlite);
                JdbiEventStore store = CpuCompare.seeded(db, dir, schema, group);
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
                    long process = os.getProcessCpuTime();
                    long allocated = threads.getCurrentThreadAllocatedBytes();
                    for (int i = 0; i < commands; i++) {
                        command.run("a-" + next);
                        next = (next + 1) % WritersBenchmark.STREAMS;
                    }
                    System.out.printf("%s %s round %d: %.1f µs CPU per command (thread), %.1f (JVM), %d bytes"
                            + " allocated%n", db, side, round,
                            (threads.getCurrentThreadCpuTime() - cpu) / 1000.0 / commands,
                            (os.getProcessCpuTime() - process) / 1000.0 / commands,
                            (threads.getCurrentThreadAllocatedBytes() - allocated) / commands);
                }
            }
        } finally {
            Databases.dropIfPostgres(db, schema);
            if (keep) {
                System.out.println("files kept in " + dir);
            } else {
                Databases.deleteRecursively(dir);
            }
        }
    }

    /** One command on stream {@code id}. */
    @FunctionalInterface
    private interface CommandLoopSide {
        void run(String id) throws Exception;
    }
}
