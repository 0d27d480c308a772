#!/usr/bin/env bash
# Times `sopc audit` on a generated CRM log, by default 1,000,000 rows (the speed target of
# `sopc audit`: at most 2 s and under 300 MB on 2 cores, release build); `10000000` for the
# ten-million-row figures (780 MB of CSV; target: at most 4 s and 600 MB on 2 cores). Prints
# the wall time, the CPU time and the peak memory (RSS) of each run. Not part of the test suite.
#
#   benches/audit.sh [ROWS]        # default 1000000
#   BENCH_DIR=/tmp/sopc-bench benches/audit.sh 10000000
#
# The log is generated deterministically by benches/gen_log.awk into $BENCH_DIR (default
# target/bench/), once; delete it after measuring, a 10 M-row log is large.
set -euo pipefail
cd "$(dirname "$0")/.."
rows="${1:-1000000}"
dir="${BENCH_DIR:-target/bench}"
log="$dir/deals-${rows}.csv"
mkdir -p "$dir"
if [[ ! -s "$log" ]]; then
  awk -v rows="$rows" -v seed=42 -f benches/gen_log.awk > "$log.tmp"
  mv "$log.tmp" "$log"
fi
cargo build --release --quiet
echo "log: $log ($(wc -c < "$log") bytes, $(($(wc -l < "$log") - 1)) rows)"
run() {
  local name="$1"; shift
  local out="$dir/audit-${name}.out"
  /usr/bin/time -v "$@" > "$out" 2> "$dir/time.txt" || true
  local wall cpu rss
  wall=$(grep 'Elapsed (wall clock)' "$dir/time.txt" | awk '{print $NF}')
  cpu=$(awk -F': ' '/User time|System time/ {s += $2} END {printf "%.2f", s}' "$dir/time.txt")
  rss=$(grep 'Maximum resident set size' "$dir/time.txt" | awk '{print $NF}')
  printf '%-28s wall %s  cpu %ss  peak RSS %d MB  output %d bytes\n' "$name" "$wall" "$cpu" $((rss / 1024)) "$(wc -c < "$out")"
}
sop=examples/sales/sales.sop
run "json (all cases)" target/release/sopc audit "$sop" "$log" --format json
run "json --cases none" target/release/sopc audit "$sop" "$log" --format json --cases none
run "human" target/release/sopc audit "$sop" "$log"
