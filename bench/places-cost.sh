#!/usr/bin/env bash
# Benchmark: what the places and dates stage (gazetteer load, toponym resolution, date
# expressions) adds to `annals code` on the Guardian sample: the whole process with and
# without it (`--no-places`), alternating, each pinned to one core, best of N.
# Usage: bench/places-cost.sh [RUNS]   (default 5; needs target/release/annals)
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/.." && pwd)"
SHARED="${ANNALS_SHARED:-$ROOT/../shared}"
CSV="$SHARED/data/news/guardian-2019-sample.csv"
BIN="${ANNALS_BIN:-$ROOT/target/release/annals}"
RUNS="${1:-5}"
[[ -x "$BIN" ]] || { echo "error: $BIN not found: cargo build --release -p annals-cli" >&2; exit 1; }
[[ -f "$CSV" ]] || { echo "error: $CSV not found (set ANNALS_SHARED)" >&2; exit 1; }
command -v taskset >/dev/null || { echo "error: taskset not found (util-linux)" >&2; exit 1; }
mkdir -p "$HERE/out"
JSONL="$HERE/out/guardian.jsonl"
python3 "$HERE/csv_to_jsonl.py" "$CSV" "$JSONL" >/dev/null
best() { sort -n | head -n1; }
with=(); without=()
for ((i = 1; i <= RUNS; i++)); do
  for mode in with without; do
    flag=(); [[ $mode == without ]] && flag=(--no-places)
    t0=$EPOCHREALTIME
    taskset -c 0 env RAYON_NUM_THREADS=1 "$BIN" code --date 2019-06-01 "${flag[@]}" "$JSONL" > /dev/null
    t1=$EPOCHREALTIME
    s=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.4f", b - a }')
    if [[ $mode == with ]]; then with+=("$s"); else without+=("$s"); fi
  done
done
median() { sort -n | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
W=$(printf '%s\n' "${with[@]}" | best)
WO=$(printf '%s\n' "${without[@]}" | best)
WM=$(printf '%s\n' "${with[@]}" | median)
WOM=$(printf '%s\n' "${without[@]}" | median)
echo "annals code with places and dates:    best ${W}s, median ${WM}s  (runs: ${with[*]})"
echo "annals code with --no-places:         best ${WO}s, median ${WOM}s  (runs: ${without[*]})"
awk -v a="$W" -v b="$WO" -v c="$WM" -v d="$WOM" 'BEGIN { printf "places and dates add %.1f%% (best vs best), %.1f%% (median vs median); target < 10%%\n", 100 * (a - b) / b, 100 * (c - d) / d }'
