package dev.eskit.benchmarks;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.results.format.ResultFormatType;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * Runs the benchmarks and prints every figure beside its baseline, as a Markdown table.
 *
 * <pre>
 * java -jar benchmarks/target/eskit-benchmarks.jar [--quick] [--include REGEX] [--param db=sqlite] [--prof jfr]
 *     [--out FILE]
 * </pre>
 *
 * {@code --quick} (or {@code -Dquick}) runs one fork, 2 warm-up and 3 measured iterations of 1 s each (about 6-7
 * minutes on 2 busy cores); the default runs 3 warm-up and 5 measured iterations of 2 s. PostgreSQL comes from
 * {@code ESKIT_PG_URL} (default {@code jdbc:postgresql://127.0.0.1:5432/test?user=postgres}); when it is
 * unreachable its benchmarks are skipped with a message.
 */
public final class Main {

    private Main() {
    }

    /** Entry point. */
    public static void main(String[] args) throws RunnerException {
        boolean quick = System.getProperty("quick") != null;
        String include = ".*";
        String out = null;
        List<String> profilers = new ArrayList<>();
        Map<String, String[]> params = new LinkedHashMap<>();
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--quick" -> quick = true;
                case "--include" -> include = args[++i];
                case "--prof" -> profilers.add(args[++i]);
                case "--out" -> out = args[++i];
                case "--param" -> {
                    String[] pair = args[++i].split("=", 2);
                    params.put(pair[0], pair[1].split(","));
                }
                default -> {
                    System.err.println("Unknown argument " + args[i]
                            + ". Use --quick, --include REGEX, --param NAME=V1,V2, --prof NAME, --out FILE.");
                    System.exit(2);
                }
            }
        }
        ChainedOptionsBuilder options = new OptionsBuilder()
                .include(Main.class.getPackageName() + ".*(" + include + ").*")
                .forks(1)
                .jvmArgsAppend("-Xms1g", "-Xmx1g")
                .addProfiler("gc")
                .addProfiler(CpuProfiler.class)
                .resultFormat(ResultFormatType.JSON)
                .result(out == null ? "jmh-result.json" : out + ".json");
        if (quick) {
            options.warmupIterations(2).warmupTime(TimeValue.seconds(1))
                    .measurementIterations(3).measurementTime(TimeValue.seconds(1));
        } else {
            options.warmupIterations(3).warmupTime(TimeValue.seconds(2))
                    .measurementIterations(5).measurementTime(TimeValue.seconds(2));
        }
        for (String profiler : profilers) {
            options.addProfiler(profiler);
        }
        params.forEach(options::param);
        if (!Databases.postgresReachable()) {
            System.out.println("PostgreSQL at " + Databases.pgUrl() + " is unreachable: skipping the PostgreSQL"
                    + " benchmarks. Set ESKIT_PG_URL to run them.");
            options.param("db", "sqlite");
        }
        Collection<RunResult> results = new Runner(options.build()).run();
        String table = table(results);
        System.out.println();
        System.out.println(table);
        if (out != null) {
            try {
                Files.writeString(Path.of(out), table);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    /** The baseline each benchmark is compared with, or {@code null}. */
    static String baseline(String method) {
        if (method.startsWith("eskitWriters")) {
            return "simpleWriters";
        }
        if (method.equals("eskitBatch100")) {
            // The yardstick is the simplest hand-written store (one table, unique constraint), not a copy of eskit's
            // design (issue 16); rawBatch100 stays in the table beside it.
            return "simpleBatch100";
        }
        if (method.startsWith("eskit")) {
            return "raw" + method.substring("eskit".length());
        }
        return switch (method) {
            case "projectionGenerated", "projectionReflection", "projectionMethodHandle" -> "projectionDirect";
            case "evolveGenerated" -> "evolveDirect";
            case "commandWithSnapshot" -> "commandWithoutSnapshot";
            case "generatedEncode", "cborEncode" -> "rawEncode";
            case "generatedDecode", "cborDecode" -> "rawDecode";
            default -> null;
        };
    }

    private record Row(String benchmark, String method, String params, double median, double error, String unit,
                       double bytesPerOp, double cpuNanosPerOp, boolean higherIsBetter) {
    }

    static String table(Collection<RunResult> results) {
        Map<String, Row> rows = new LinkedHashMap<>();
        for (RunResult run : results) {
            String label = run.getParams().getBenchmark();
            String simple = label.substring(Main.class.getPackageName().length() + 1);
            String benchmark = simple.substring(0, simple.indexOf('.'));
            String method = simple.substring(simple.indexOf('.') + 1);
            Map<String, String> params = new TreeMap<>();
            for (String key : run.getParams().getParamsKeys()) {
                params.put(key, run.getParams().getParam(key));
            }
            Result<?> primary = run.getPrimaryResult();
            double median = primary.getStatistics().getPercentile(50);
            Result<?> alloc = run.getSecondaryResults().get("gc.alloc.rate.norm");
            Result<?> cpu = run.getSecondaryResults().get("cpu.ns/op");
            boolean higher = !primary.getScoreUnit().startsWith("ns") && !primary.getScoreUnit().startsWith("us")
                    && !primary.getScoreUnit().startsWith("ms");
            String paramText = params.toString().replaceAll("[{}]", "");
            rows.put(benchmark + "." + method + "|" + paramText, new Row(benchmark, method, paramText, median,
                    primary.getScoreError(), primary.getScoreUnit(), alloc == null ? Double.NaN : alloc.getScore(),
                    cpu == null ? Double.NaN : cpu.getStatistics().getPercentile(50), higher));
        }
        StringBuilder out = new StringBuilder();
        out.append("| benchmark | params | median | ± error | unit | B/op | CPU µs/op | baseline | ratio"
                + " (wall) | ratio (CPU) |\n");
        out.append("|---|---|---:|---:|---|---:|---:|---|---:|---:|\n");
        for (Row row : rows.values()) {
            String base = baseline(row.method);
            Row baseRow = base == null ? null : rows.get(row.benchmark + "." + base + "|" + row.params);
            String ratio = "";
            String cpuRatio = "";
            if (baseRow != null) {
                double value = row.higherIsBetter ? row.median / baseRow.median : baseRow.median / row.median;
                ratio = String.format(Locale.ROOT, "%.2f", value);
                cpuRatio = String.format(Locale.ROOT, "%.2f", baseRow.cpuNanosPerOp / row.cpuNanosPerOp);
            }
            out.append(String.format(Locale.ROOT, "| %s.%s | %s | %s | %s | %s | %s | %s | %s | %s | %s |%n",
                    row.benchmark, row.method, row.params, number(row.median), number(row.error), row.unit,
                    Double.isNaN(row.bytesPerOp) ? "" : String.format(Locale.ROOT, "%.0f", row.bytesPerOp),
                    Double.isNaN(row.cpuNanosPerOp) ? "" : micros(row.cpuNanosPerOp),
                    base == null ? "" : base, ratio, cpuRatio));
        }
        return out.toString();
    }

    private static String micros(double nanos) {
        double value = nanos / 1000;
        return value >= 100 ? String.format(Locale.ROOT, "%,.0f", value)
                : value >= 1 ? String.format(Locale.ROOT, "%.2f", value) : String.format(Locale.ROOT, "%.4f", value);
    }

    private static String number(double value) {
        if (Double.isNaN(value)) {
            return "";
        }
        if (Math.abs(value) >= 100) {
            return String.format(Locale.ROOT, "%,.0f", value);
        }
        return String.format(Locale.ROOT, "%.2f", value);
    }
}
