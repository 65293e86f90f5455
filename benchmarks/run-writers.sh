#!/bin/sh
# The writers curve: WritersBenchmark (eskit with and without group commit, eskit as it comes, and the
# hand-written SimpleJdbc) at 1, 2, 4, 8, 16 and 32 concurrent writers on SQLite and PostgreSQL, with CPU per command.
# Writes the JMH JSON per thread count, a Markdown table with the ratios and an SVG plot into the output directory
# (default benchmarks/target/writers), and prints the table. Takes about 10 minutes; run it on an otherwise idle
# machine.
#
#   benchmarks/run-writers.sh [output-directory]
#
# PostgreSQL comes from ESKIT_PG_URL (default jdbc:postgresql://127.0.0.1:5432/test?user=postgres).
# WRITERS_THREADS="1 8" and WRITERS_JMH="-wi 1 -w 2 -i 3 -r 1" override the thread counts and JMH settings.
set -eu
cd "$(dirname "$0")/.."
out=${1:-benchmarks/target/writers}
jar=benchmarks/target/eskit-benchmarks.jar
if [ ! -f "$jar" ]; then
  mvn -q -pl benchmarks -am package -DskipTests
fi
mkdir -p "$out"
rm -f "$out"/writers-t*.json
threads=${WRITERS_THREADS:-1 2 4 8 16 32}
jmh=${WRITERS_JMH:--wi 1 -w 2 -i 3 -r 1}
{
  echo "date: $(date -u '+%Y-%m-%d %H:%M UTC')"
  echo "machine: $(nproc) CPUs, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//')"
  echo "java: $(java -version 2>&1 | head -1)"
  echo "load before: $(cut -d' ' -f1-3 /proc/loadavg)"
} > "$out/machine.txt"
for t in $threads; do
  # shellcheck disable=SC2086
  java -cp "$jar" org.openjdk.jmh.Main 'WritersBenchmark' -t "$t" -f 1 $jmh \
    -jvmArgsAppend "-Xms1g -Xmx1g" -prof dev.eskit.benchmarks.CpuProfiler \
    -rf json -rff "$out/writers-t$(printf %02d "$t").json" > "$out/writers-t$(printf %02d "$t").log" 2>&1 \
    || { echo "JMH failed at $t threads; see $out/writers-t$(printf %02d "$t").log"; exit 1; }
  echo "done: $t writer(s)"
done
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)" >> "$out/machine.txt"
python3 benchmarks/plot-writers.py "$out"
