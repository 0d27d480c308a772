#!/usr/bin/env bash
# Seeds the corpus of every fuzz target with the SOP files of the repository: the examples and
# the test fixtures. Run from anywhere; safe to run again (files are named by their path, so a
# second run overwrites the same seeds and leaves what the fuzzer found alone).
set -euo pipefail
fuzz="$(cd "$(dirname "$0")" && pwd)"
repo="$(dirname "$fuzz")"
cd "$repo"
for target in parse check format; do
    mkdir -p "fuzz/corpus/$target"
    find examples tests/fixtures -name '*.sop' -type f | sort | while read -r f; do
        # No `.sop` suffix: `sopc check .` at the repository root must not pick the seeds up.
        name="seed-$(printf '%s' "${f%.sop}" | tr '/' '-')"
        cp "$f" "fuzz/corpus/$target/$name"
    done
done
echo "seeded $(find examples tests/fixtures -name '*.sop' -type f | wc -l) files into fuzz/corpus/{parse,check,format}"
