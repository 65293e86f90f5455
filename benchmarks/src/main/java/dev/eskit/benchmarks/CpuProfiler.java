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
 * ratios on it are steadier. A database server's CPU is never counted: PostgreSQL's own work is excluded, SQLite's
 * (in-process, on the worker thread) is included.
 */
public final class CpuProfiler implements InternalProfiler {

    private final ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    private final com.sun.management.OperatingSystemMXBean os =
            (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    private Map<Long, Long> startByThread = Map.of();
    private long startProcess;

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
        return List.of(new ScalarResult("cpu.ns/op", worker / ops, "ns/op", AggregationPolicy.AVG),
                new ScalarResult("cpu.process.ns/op", process / ops, "ns/op", AggregationPolicy.AVG));
    }
}
