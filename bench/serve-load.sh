#!/usr/bin/env bash
# Benchmark (issue 7, acceptance 3): `GET /api/events` with filters under 50 concurrent
# clients on loopback, on a store of the Guardian sample, with wrk (Debian's `wrk`).
# Each run lasts DURATION seconds (default 20) per request mix; reports requests/s and
# the p50 / p99 latency that wrk measures. The server uses all cores; wrk gets 1 thread.
# Usage: bench/serve-load.sh [DURATION]   (needs target/release/annals and wrk)
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/.." && pwd)"
SHARED="${ANNALS_SHARED:-$ROOT/../shared}"
BIN="${ANNALS_BIN:-$ROOT/target/release/annals}"
DURATION="${1:-20}"
CSV="$SHARED/data/news/guardian-2019-sample.csv"
[[ -x "$BIN" ]] || { echo "error: $BIN not found: cargo build --release -p annals-cli" >&2; exit 1; }
command -v wrk >/dev/null || { echo "error: wrk not found (apt-get install wrk)" >&2; exit 1; }
TMP="$(mktemp -d)"
SERVER=""
cleanup() { [[ -n "$SERVER" ]] && kill "$SERVER" 2>/dev/null; rm -rf "$TMP"; }
trap cleanup EXIT
"$BIN" ingest --db "$TMP/g.db" --date 2019-06-01 "$CSV" 2>&1 | tail -n1
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
"$BIN" serve --db "$TMP/g.db" --addr "127.0.0.1:$PORT" 2> "$TMP/serve.log" &
SERVER=$!
for _ in $(seq 100); do
  curl -sf "http://127.0.0.1:$PORT/api/events?limit=1" >/dev/null 2>&1 && break
  sleep 0.1
done
# A request mix cycling through filtered queries, as a dashboard's users would send.
cat > "$TMP/mix.lua" <<'LUA'
local paths = {
  "/api/events?type=ASSAULT",
  "/api/events?source=USA&limit=50",
  "/api/events?dyad=USA,IRN",
  "/api/events?type=ACCUSE&since=2019-01-01&until=2019-12-31",
  "/api/events?place=GBR&limit=20",
  "/api/events?text=ceasefire",
  "/api/events?target=GOV&mode=DISAPPROVE",
  "/api/events?limit=100",
}
local i = 0
request = function()
  i = i + 1
  return wrk.format("GET", paths[(i % #paths) + 1])
end
LUA
for target in "/api/events?type=ASSAULT" "mix"; do
  if [[ $target == mix ]]; then
    echo "== mixed filters (8 queries in turn), 50 connections, ${DURATION}s"
    wrk -t1 -c50 -d"${DURATION}s" --latency -s "$TMP/mix.lua" "http://127.0.0.1:$PORT" | tee "$TMP/out"
  else
    echo "== $target, 50 connections, ${DURATION}s"
    wrk -t1 -c50 -d"${DURATION}s" --latency "http://127.0.0.1:$PORT$target" | tee "$TMP/out"
  fi
  awk '/Requests\/sec/ { r = $2 } /^ +50%/ { p50 = $2 } /^ +99%/ { p99 = $2 } /Non-2xx/ { bad = $4 }
       END { printf "requests/s %s, p50 %s, p99 %s (target p99 < 50ms)%s\n", r, p50, p99, bad ? ", non-2xx: " bad : "" }' "$TMP/out"
done
