#!/usr/bin/env bash
# Requests abandoned mid-render, over and over (see `run_to_completion` in
# server/src/http.rs): starts the release server on a fresh 10,000-product
# shop, runs `wrk` for one second RUNS times (default 100) on the uncached
# category page with 32 connections (each stop abandons the requests in
# flight), then checks that the server still answers and stops within 10 s.
# Exits 1 when it does not. A stuck worker also shows in gdb as a thread in
# `RwLock::write_contended` under `Owner::with_context`.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/env.sh
runs=${RUNS:-100}
dir=$(mktemp -d)
server_pid=""
cleanup() {
  [ -n "$server_pid" ] && kill -9 "$server_pid" 2>/dev/null || true
  rm -rf "$dir"
}
trap cleanup EXIT
export DATABASE_URL="sqlite://$dir/soak.db"
export LEPTOS_SITE_ADDR="127.0.0.1:${SOAK_PORT:-3210}"
export LAVKA_BASE_URL="http://$LEPTOS_SITE_ADDR"
export LAVKA_MEDIA_DIR="${LAVKA_MEDIA_DIR:-$HOME/.cache/lavka/bench-media}"
export RUST_LOG=warn
"$SERVER_BIN" demo-data --products 10000 --customers 100 --orders 100 >/dev/null
"$SERVER_BIN" serve >"$dir/server.log" 2>&1 &
server_pid=$!
for _ in $(seq 100); do curl -fs -o /dev/null "$LAVKA_BASE_URL/" && break; sleep 0.2; done
url="$LAVKA_BASE_URL/c/clothing?f.color=black&price_max=5000"
for run in $(seq "$runs"); do
  wrk -t2 -c32 -d1s -s scripts/wrk-vary-price.lua "$url" >/dev/null 2>&1
done
# Each worker thread must still answer: a few requests at once.
for _ in 1 2 3 4; do
  curl -fs -o /dev/null -m 10 "$url&after=$RANDOM" &
done
answered=0
for job in $(jobs -p | grep -v "^$server_pid$"); do wait "$job" || answered=1; done
kill "$server_pid"
for _ in $(seq 50); do kill -0 "$server_pid" 2>/dev/null || break; sleep 0.2; done
if kill -0 "$server_pid" 2>/dev/null; then
  echo "after $runs abandoned runs the server did not stop within 10 s (a worker is stuck)" >&2
  exit 1
fi
server_pid=""
if [ "$answered" != 0 ]; then
  echo "after $runs abandoned runs a request got no answer within 10 s" >&2
  exit 1
fi
echo "after $runs runs of abandoned requests the server answered and stopped"
