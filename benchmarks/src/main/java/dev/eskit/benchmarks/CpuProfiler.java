package dev.eskit.benchmarks;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.infra.IterationParams;
import org.openjdk.jmh.profile.InternalProfiler;
import org.openjdk.jmh.results.AggregationPolicy;
import org.openjdk.jmh.results.IterationResult;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.ScalarResult;

/**
 * CPU time per operation of the benchmark's own threads: the CPU time JMH's worker threads used over an iteration
 * ({@code cpu.ns/op}, from {@link ThreadMXBean#getThreadCpuTime}) divided by the operations they ran, and the same for
 * the whole process ({@code cpu.process.ns/op}, which adds JIT compilation and GC). On a machine shared with other
 * busy processes, wall-clock throughput swings with their load; CPU time per operation hardly does, so eskit/raw
 * ratios on it are steadier. A database server's CPU is not counted there: PostgreSQL's own work is excluded, SQLite's
 * (in-process, on the worker thread) is included. {@code cpu.machine.ns/op} is the whole machine's busy CPU time (from
 * {@code /proc/stat}, Linux only, 10 ms resolution) per operation: the JVM and the PostgreSQL server together, and
 * anything else running, so it is only meaningful on an otherwise idle machine.
 */
public final class CpuProfiler implements InternalProfiler {

    private final ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    private final com.sun.management.OperatingSystemMXBean os =
            (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    private Map<Long, Long> startByThread = Map.of();
    private long startProcess;
    private long startMachine;

    /** The machine's busy CPU time in nanoseconds since boot, or -1 when {@code /proc/stat} cannot be read. */
    static long machineBusyNanos() {
        try {
            String line = java.nio.file.Files.readAllLines(java.nio.file.Path.of("/proc/stat")).get(0);
            String[] f = line.trim().split("\\s+");
            long busy = 0;
            // user nice system idle iowait irq softirq steal: all but idle and iowait; in USER_HZ (100 per second).
            for (int i : new int[] {1, 2, 3, 6, 7, 8}) {
                busy += Long.parseLong(f[i]);
            }
            return busy * 10_000_000L;
        } catch (java.io.IOException | RuntimeException e) {
            return -1;
        }
    }

    @Override
    public String getDescription() {
        return "CPU time per operation (benchmark threads and whole process)";
    }

    private Map<Long, Long> workerCpu() {
        Map<Long, Long> cpu = new HashMap<>();
        for (ThreadInfo info : threads.getThreadInfo(threads.getAllThreadIds())) {
            if (info != null && info.getThreadName().contains("jmh-worker")) {
                long time = threads.getThreadCpuTime(info.getThreadId());
                if (time >= 0) {
                    cpu.put(info.getThreadId(), time);
                }
            }
        }
        return cpu;
    }

    @Override
    public void beforeIteration(BenchmarkParams benchmarkParams, IterationParams iterationParams) {
        startByThread = workerCpu();
        startProcess = os.getProcessCpuTime();
        startMachine = machineBusyNanos();
    }

    @Override
    public Collection<? extends Result> afterIteration(BenchmarkParams benchmarkParams,
                                                       IterationParams iterationParams, IterationResult result) {
        long process = os.getProcessCpuTime() - startProcess;
        long worker = 0;
        for (Map.Entry<Long, Long> entry : workerCpu().entrySet()) {
            worker += entry.getValue() - startByThread.getOrDefault(entry.getKey(), 0L);
        }
        double ops = Math.max(1, result.getMetadata().getAllOps());
        long machine = machineBusyNanos();
        List<Result> results = new java.util.ArrayList<>(List.of(
                new ScalarResult("cpu.ns/op", worker / ops, "ns/op", AggregationPolicy.AVG),
                new ScalarResult("cpu.process.ns/op", process / ops, "ns/op", AggregationPolicy.AVG)));
        if (machine >= 0 && startMachine >= 0) {
            results.add(new ScalarResult("cpu.machine.ns/op", (machine - startMachine) / ops, "ns/op",
                    AggregationPolicy.AVG));
        }
        return results;
    }
}
