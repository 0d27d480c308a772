#!/usr/bin/env bash
# Times the release binary on generated SOP repositories and prints MB/s and peak memory.
#
#   bash benches/bench.sh            # 1 MB, 10 MB and 100 MB repositories, one 10 MB document
#   SIZES="1 10" bash benches/bench.sh
#
# Needs python3 (the corpus generator) and GNU time (/usr/bin/time). Corpora are written once
# under target/bench-corpus/ and reused; the same seed gives the same bytes.
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release --quiet
bin=target/release/sopc
corpus=target/bench-corpus
sizes=${SIZES:-"1 10 100"}
runs=${RUNS:-3}
mkdir -p "$corpus"

gen() { # dir, generator arguments...
  local dir=$1; shift
  [ -d "$dir" ] || python3 benches/gen_corpus.py "$dir" "$@"
}

# best of $runs: prints "seconds peak_kb"
measure() {
  local best="" mem=""
  for _ in $(seq "$runs"); do
    local out
    out=$( { /usr/bin/time -f "%e %M" "$@" >/dev/null; } 2>&1 | tail -1 ) || true
    local t=${out% *} m=${out#* }
    if [ -z "$best" ] || awk "BEGIN{exit !($t < $best)}"; then best=$t; mem=$m; fi
  done
  echo "$best $mem"
}

report() { # label, dir, command...
  local label=$1 dir=$2; shift 2
  local bytes
  bytes=$(find "$dir" -name '*.sop' -printf '%s\n' | awk '{s+=$1} END {print s}')
  read -r secs kb < <(measure "$@")
  awk -v l="$label" -v b="$bytes" -v s="$secs" -v k="$kb" 'BEGIN {
    mb = b / 1e6; printf "%-28s %8.1f MB %8.2f s %8.1f MB/s %8.0f MB peak\n", l, mb, s, (s > 0 ? mb / s : 0), k / 1024 }'
}

printf '%-28s %11s %10s %13s %13s\n' "run" "input" "time" "speed" "memory"
for mb in $sizes; do
  gen "$corpus/repo-$mb" --mb "$mb" --seed 1
  report "check repo ${mb} MB" "$corpus/repo-$mb" $bin check --format json "$corpus/repo-$mb"
done
gen "$corpus/single-10" --single-mb 10 --seed 2
report "check one 10 MB document" "$corpus/single-10" $bin check --format json "$corpus/single-10/big.sop"
report "fmt --check repo 10 MB" "$corpus/repo-10" $bin fmt --check "$corpus/repo-10"
if $bin build --help >/dev/null 2>&1; then
  out=$(mktemp -d)
  report "build examples/sales" examples/sales $bin build examples/sales -o "$out/site"
  rm -rf "$out"
fi
