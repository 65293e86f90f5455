package dev.eskit.jdbi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.eskit.Position;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.LockSupport;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Throughput of a partitioned, transactional projection (one INSERT per event, committed with the partition's
 * checkpoint every 1,000 log events, fenced) over 200,000 events in 16 partitions, with 1, 2 and 4 nodes (child JVMs)
 * on one PostgreSQL. A measurement, not a test: it runs only when asked, and prints events per second per node count.
 *
 * <pre>
 * mvn -B -o -pl eskit-jdbi -am verify -Dtest=PostgresPartitionThroughputTest -Deskit.partitionThroughput=true \
 *     -Dsurefire.failIfNoSpecifiedTests=false -DskipITs
 * </pre>
 *
 * Optional: {@code -Deskit.partitionThroughput.nodes=1,2,4}, {@code -Deskit.partitionThroughput.mode=tx|plain},
 * {@code -Deskit.partitionThroughput.events=200000} (rounded to whole runs of 400 streams) and
 * {@code -Deskit.partitionThroughput.report=FILE} (one line per node count: nodes, events, seconds, events/s, tab
 * separated; {@code benchmarks/run-partitions.sh} uses it).
 */
@EnabledIfSystemProperty(named = "eskit.partitionThroughput", matches = "true")
class PostgresPartitionThroughputTest {

    @RegisterExtension
    static final Databases DB = Databases.postgres();

    static final Duration WAIT = Duration.ofMinutes(15);

    @TempDir
    Path dir;

    @Test
    void measure() throws Exception {
        String mode = System.getProperty("eskit.partitionThroughput.mode", "tx");
        int perStream = Math.max(1, Integer.getInteger("eskit.partitionThroughput.events",
                PostgresPartitionKillTest.EVENTS) / PostgresPartitionKillTest.STREAMS);
        String reportFile = System.getProperty("eskit.partitionThroughput.report");
        List<String> rows = new ArrayList<>();
        List<String> report = new ArrayList<>();
        for (String count : System.getProperty("eskit.partitionThroughput.nodes", "1,2,4").split(",")) {
            int nodes = Integer.parseInt(count.trim());
            Databases.Location location = DB.newLocation();
            JdbiEventStore store = DB.open(location);
            Position last = PostgresPartitionKillTest.appendLog(store, perStream);
            int run = PostgresPartitionKillTest.RUN;
            long events = (long) PostgresPartitionKillTest.STREAMS * ((perStream + run - 1) / run) * run;
            String q = location.childArguments().get(2) + "." + location.childArguments().get(3);
            Jdbi.create(location.dataSource()).useHandle(handle -> handle.execute("CREATE TABLE " + q
                    + "spread_applied (stream text NOT NULL, version bigint NOT NULL, node text NOT NULL)"));
            List<ChildJvm> children = new ArrayList<>();
            long started = System.nanoTime();
            try {
                for (int n = 1; n <= nodes; n++) {
                    List<String> args = new ArrayList<>(List.of("t" + n, mode, dir.resolve(nodes + "-" + n + ".bin")
                            .toString(), "16", "6000", "1500"));
                    args.addAll(location.childArguments());
                    children.add(ChildJvm.start(PartitionNodeMain.class, List.of("-Xmx256m"), args));
                }
                long deadline = System.nanoTime() + WAIT.toNanos();
                while (!PostgresPartitionKillTest.allCheckpointsReach(store, last)) {
                    assertTrue(System.nanoTime() < deadline, "the nodes finished in time");
                    LockSupport.parkNanos(100_000_000);
                }
            } finally {
                for (ChildJvm child : children) {
                    child.close();
                }
            }
            double seconds = (System.nanoTime() - started) / 1e9;
            if (mode.equals("tx")) {
                long applied = Jdbi.create(location.dataSource()).withHandle(handle -> handle.createQuery(
                        "SELECT count(*) FROM " + q + "spread_applied").mapTo(Long.class).one());
                assertEquals(events, applied, "exactly once");
            }
            report.add(String.format("%d node(s), %s: %,d events in %.1f s = %,.0f events/s (JVM start included)",
                    nodes, mode, events, seconds, events / seconds));
            rows.add(nodes + "\t" + events + "\t" + String.format(java.util.Locale.ROOT, "%.1f\t%.0f", seconds,
                    events / seconds));
        }
        report.forEach(line -> System.out.println("PostgresPartitionThroughputTest: " + line));
        if (reportFile != null) {
            java.nio.file.Files.write(Path.of(reportFile), rows);
        }
    }
}
