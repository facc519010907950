#!/usr/bin/env bash
# Benchmark (issue 6, acceptance 4): `annals ingest` against `annals code` on the same
# input, whole processes, alternating, best and median of N runs. Ingest writes a fresh
# SQLite file each run (and a fresh PostgreSQL database when ANNALS_BENCH_POSTGRES is a
# server URL such as postgres://postgres@127.0.0.1:54329/postgres). Both use all cores
# (ingest codes in parallel and writes on its own thread), or one core with CORES=1.
# Usage: bench/ingest-vs-code.sh [RUNS]   (default 5; needs target/release/annals)
# Inputs: the Guardian sample (249 articles) and the 4,500 synthetic stories.
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/.." && pwd)"
SHARED="${ANNALS_SHARED:-$ROOT/../shared}"
BIN="${ANNALS_BIN:-$ROOT/target/release/annals}"
RUNS="${1:-5}"
CORES="${CORES:-all}"
[[ -x "$BIN" ]] || { echo "error: $BIN not found: cargo build --release -p annals-cli" >&2; exit 1; }
TMP="$(mktemp -d)"
trap 'rm -rf "$TMP"' EXIT
pin=()
if [[ $CORES == 1 ]]; then pin=(taskset -c 0 env RAYON_NUM_THREADS=1); fi
median() { sort -n | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
best() { sort -n | head -n1; }
secs() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.4f", b - a }'; }
pg_db() { # a fresh database on the server, printed as a URL
  local name="annals_bench_$1"
  psql "$ANNALS_BENCH_POSTGRES" -qc "DROP DATABASE IF EXISTS $name" -c "CREATE DATABASE $name" >/dev/null
  echo "${ANNALS_BENCH_POSTGRES%/*}/$name"
}
for input in "data/news/guardian-2019-sample.csv" "data/synthetic/plover-synthetic-stories.csv"; do
  file="$SHARED/$input"
  [[ -f "$file" ]] || { echo "error: $file not found (set ANNALS_SHARED)" >&2; exit 1; }
  code=(); sqlite=(); pg=()
  for ((i = 1; i <= RUNS; i++)); do
    t0=$EPOCHREALTIME
    "${pin[@]}" "$BIN" code --date 2019-06-01 "$file" > /dev/null 2>&1
    t1=$EPOCHREALTIME; code+=("$(secs "$t0" "$t1")")
    rm -f "$TMP"/b.db*
    t0=$EPOCHREALTIME
    "${pin[@]}" "$BIN" ingest --db "$TMP/b.db" --date 2019-06-01 "$file" 2> "$TMP/summary"
    t1=$EPOCHREALTIME; sqlite+=("$(secs "$t0" "$t1")")
    if [[ -n "${ANNALS_BENCH_POSTGRES:-}" ]]; then
      url="$(pg_db "$i")"
      t0=$EPOCHREALTIME
      "${pin[@]}" "$BIN" ingest --db "$url" --date 2019-06-01 "$file" 2> "$TMP/pgsummary"
      t1=$EPOCHREALTIME; pg+=("$(secs "$t0" "$t1")")
    fi
  done
  words=$(python3 -c 'import csv,sys; csv.field_size_limit(1<<30); print(sum(len(r["text"].split()) for r in csv.DictReader(open(sys.argv[1], newline="", encoding="utf-8"))))' "$file")
  C=$(printf '%s\n' "${code[@]}" | median); S=$(printf '%s\n' "${sqlite[@]}" | median)
  echo "== $input ($words words; $(tail -n1 "$TMP/summary" | sed 's/.* now holds //'))"
  echo "annals code:            median ${C}s, best $(printf '%s\n' "${code[@]}" | best)s  ($(awk -v w="$words" -v t="$C" 'BEGIN{printf "%.0f", w/t}') words/s)"
  echo "annals ingest (SQLite): median ${S}s, best $(printf '%s\n' "${sqlite[@]}" | best)s  ($(awk -v w="$words" -v t="$S" 'BEGIN{printf "%.0f", w/t}') words/s)"
  awk -v c="$C" -v s="$S" 'BEGIN { printf "ingest speed = %.1f%% of code speed (SQLite); target >= 80%%\n", 100 * c / s }'
  # Each run's ingest is timed right after its code run: the median of those pairs'
  # ratios is less sensitive to a machine whose speed drifts during the benchmark.
  paired=(); for ((i = 0; i < RUNS; i++)); do paired+=("$(awk -v c="${code[$i]}" -v s="${sqlite[$i]}" 'BEGIN { printf "%.4f", 100 * c / s }')"); done
  echo "ingest speed, median of the $RUNS paired runs = $(printf '%s\n' "${paired[@]}" | median)% (runs: ${paired[*]})"
  if [[ ${#pg[@]} -gt 0 ]]; then
    P=$(printf '%s\n' "${pg[@]}" | median)
    echo "annals ingest (PostgreSQL): median ${P}s, best $(printf '%s\n' "${pg[@]}" | best)s"
    awk -v c="$C" -v p="$P" 'BEGIN { printf "ingest speed = %.1f%% of code speed (PostgreSQL)\n", 100 * c / p }'
  fi
done
