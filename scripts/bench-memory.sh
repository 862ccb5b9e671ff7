#!/usr/bin/env bash
# Server memory over a shop's first minute (issue 7, "RSS < 100 MB at peak"):
# a fresh SQLite shop like `make bench` makes (BENCH_PRODUCTS, BENCH_CUSTOMERS,
# BENCH_ORDERS), the release server alone, and its RSS and high-water mark
# (VmHWM) read from /proc at three moments:
#   1. after the first page (the catalog snapshot's first build);
#   2. after 10 s of wrk on a category and a product page rendered anew on
#      every request;
#   3. after the first full stock read, which the server runs every 60 s.
# Uses the last release build (`make build` first). Not part of `make test`.
# `make bench-heap` runs the same steps under heaptrack: BENCH_MEMORY_SERVER
# names the binary to run, BENCH_MEMORY_WRAP the command to run it under.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/env.sh
scripts/tools.sh bench

products=${BENCH_PRODUCTS:-10000}
customers=${BENCH_CUSTOMERS:-20000}
orders=${BENCH_ORDERS:-100000}
dir=$(mktemp -d)
server_pid=""
# `wait`: a profiler around the server writes its files after the server ends.
trap '[ -n "$server_pid" ] && kill "$server_pid" 2>/dev/null; wait; rm -rf "$dir"' EXIT
export DATABASE_URL="sqlite://$dir/bench.db"
export LEPTOS_SITE_ADDR="127.0.0.1:${BENCH_PORT:-3210}"
export LAVKA_BASE_URL="http://$LEPTOS_SITE_ADDR"
export LAVKA_MEDIA_DIR="${LAVKA_MEDIA_DIR:-$HOME/.cache/lavka/bench-media}"
export RUST_LOG=warn
log "sqlite: the demo catalog, $products synthetic products, $customers customers, $orders orders"
server=${BENCH_MEMORY_SERVER:-$SERVER_BIN}
"$server" demo-data --products "$products" --customers "$customers" --orders "$orders" >/dev/null
# shellcheck disable=SC2086 # the wrapper is a command and its arguments
${BENCH_MEMORY_WRAP:-} "$server" serve >"$dir/server.log" 2>&1 &
wait_for_server
# The server's own process, not a wrapper's.
server_pid=$(pgrep -n -f "^$server serve")
started=$(date +%s)
mb() { awk -v key="$1:" '$1 == key {printf "%d", $2 / 1024}' "/proc/$server_pid/status"; }
row() { printf '| %s | %s | %s |\n' "$1" "$(mb VmRSS)" "$(mb VmHWM)"; }

echo "| moment | RSS, MB | high-water mark, MB |"
echo "|---|---|---|"
curl -fsS -o /dev/null "$LAVKA_BASE_URL/"
sleep 1
row "after the first build"
category_url="$LAVKA_BASE_URL/c/${BENCH_CATEGORY:-clothing}?f.color=${BENCH_COLOR:-black}&price_max=5000"
product_slug=$(curl -fsS "$LAVKA_BASE_URL/sitemap.xml" | grep -o '/p/[^<]*' | sed -n '500p')
wrk -t2 -c16 -d10s -s scripts/wrk-vary-price.lua "$category_url" >/dev/null
wrk -t2 -c16 -d10s -s scripts/wrk-unique-query.lua "$LAVKA_BASE_URL$product_slug" >/dev/null
row "after 10 s of uncached category and 10 s of uncached product"
wait_for=$((started + 65 - $(date +%s)))
[ "$wait_for" -gt 0 ] && sleep "$wait_for"
row "after the first full stock read"
