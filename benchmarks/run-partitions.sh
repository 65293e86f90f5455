#!/bin/sh
# Partition throughput with 1, 2 and 4 nodes: PostgresPartitionThroughputTest runs a partitioned, transactional
# projection (16 partitions, one INSERT per event, fenced) in 1, 2 and 4 child JVMs on one PostgreSQL over a log of
# EVENTS events (default 40,000, rounded up to a multiple of 20,000; each node count gets a fresh log), and reports
# events/s per node count (JVM start included). Prints, and writes to the output directory (default
# benchmarks/target/partitions), a Markdown table with the machine and the load average before and after. Expected to
# take 3-5 minutes on an idle 2-core machine with the default (a check with 20,000 events took 6 minutes at load 15-40).
#
#   benchmarks/run-partitions.sh [events] [output-directory]
#
# PostgreSQL comes from ESKIT_PG_URL (default jdbc:postgresql://127.0.0.1:5432/test?user=postgres).
# PARTITION_NODES="1,2,4" and PARTITION_MODE=tx|plain override the node counts and the handler.
set -eu
cd "$(dirname "$0")/.."
events=${1:-40000}
out=${2:-benchmarks/target/partitions}
nodes=${PARTITION_NODES:-1,2,4}
mode=${PARTITION_MODE:-tx}
mkdir -p "$out"
out=$(cd "$out" && pwd)
rm -f "$out/rows.tsv"
before=$(cut -d' ' -f1-3 /proc/loadavg)
started=$(date +%s)
if ! mvn -B -ntp -o -q -pl eskit-jdbi -am test -Dtest=PostgresPartitionThroughputTest \
    -Dsurefire.failIfNoSpecifiedTests=false -Deskit.partitionThroughput=true \
    -Deskit.partitionThroughput.events="$events" -Deskit.partitionThroughput.nodes="$nodes" \
    -Deskit.partitionThroughput.mode="$mode" -Deskit.partitionThroughput.report="$out/rows.tsv" \
    > "$out/maven.log" 2>&1; then
  echo "The measurement failed; see $out/maven.log"
  exit 1
fi
after=$(cut -d' ' -f1-3 /proc/loadavg)
{
  echo "Partition throughput, $mode handler, 16 partitions, nodes as child JVMs on this machine"
  echo
  echo "- date: $(date -u '+%Y-%m-%d %H:%M UTC'), took $(( $(date +%s) - started )) s (build included)"
  echo "- machine: $(nproc) CPUs, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//')"
  echo "- java: $(java -version 2>&1 | head -1)"
  echo "- load average (1, 5, 15 min) before: $before; after: $after"
  echo
  echo "| nodes | events | seconds | events/s | vs 1 node |"
  echo "|---:|---:|---:|---:|---:|"
  awk -F'\t' 'NR == 1 { base = $4 } { printf "| %d | %d | %.1f | %d | %.2fx |\n", $1, $2, $3, $4, $4 / base }' \
    "$out/rows.tsv"
} > "$out/partitions.md"
cat "$out/partitions.md"
