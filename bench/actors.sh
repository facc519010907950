#!/usr/bin/env bash
# Actor resolution speed: loads the built-in lexicons and resolves 100,000 phrases on
# one core (pinned with taskset when available). Targets: load < 50 ms, 100,000
# phrases < 1 s. Usage: bench/actors.sh [PHRASES_FILE]
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release -q -p annals-actors --example resolve_speed
pin=()
command -v taskset >/dev/null && pin=(taskset -c 0)
for run in 1 2 3; do
    echo "-- run $run"
    "${pin[@]}" ./target/release/examples/resolve_speed "$@"
done
