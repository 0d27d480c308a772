#!/usr/bin/env bash
# Times `sopc audit` on a generated 1,000,000-row CRM log (the speed target of `sopc audit`:
# at most 2 s and under 300 MB on 2 cores, release build). Not part of the test suite.
#
#   benches/audit.sh [ROWS]        # default 1000000
#
# The log is generated deterministically by benches/gen_log.awk into target/bench/, once.
set -euo pipefail
cd "$(dirname "$0")/.."
rows="${1:-1000000}"
log="target/bench/deals-${rows}.csv"
mkdir -p target/bench
if [[ ! -s "$log" ]]; then
  awk -v rows="$rows" -v seed=42 -f benches/gen_log.awk > "$log.tmp"
  mv "$log.tmp" "$log"
fi
cargo build --release --quiet
echo "log: $log ($(wc -c < "$log") bytes, $(($(wc -l < "$log") - 1)) rows)"
run() {
  local name="$1"; shift
  local out="target/bench/audit-${name}.out"
  /usr/bin/time -v "$@" > "$out" 2> target/bench/time.txt || true
  local wall rss
  wall=$(grep 'Elapsed (wall clock)' target/bench/time.txt | awk '{print $NF}')
  rss=$(grep 'Maximum resident set size' target/bench/time.txt | awk '{print $NF}')
  printf '%-28s wall %s  peak RSS %d MB  output %d bytes\n' "$name" "$wall" $((rss / 1024)) "$(wc -c < "$out")"
}
sop=examples/sales/sales.sop
run "json (all cases)" target/release/sopc audit "$sop" "$log" --format json
run "json --cases none" target/release/sopc audit "$sop" "$log" --format json --cases none
run "human" target/release/sopc audit "$sop" "$log"
