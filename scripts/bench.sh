#!/usr/bin/env bash
# Storefront load figures: a fresh SQLite shop with the demo catalog plus
# BENCH_PRODUCTS synthetic products (10,000 by default), the release server,
# and wrk against each page for a fixed time on loopback. Writes
# bench-results.json and bench-results.md in the checkout and prints the table.
# Not part of `make test`: a run takes a few minutes and wants an idle machine.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/env.sh

products=${BENCH_PRODUCTS:-10000}
duration=${BENCH_DURATION:-15s}
connections=${BENCH_CONNECTIONS:-16}
threads=${BENCH_THREADS:-2}

scripts/tools.sh bench
scripts/build.sh

dir=$(mktemp -d)
export DATABASE_URL="sqlite://$dir/bench.db"
export LEPTOS_SITE_ADDR="127.0.0.1:${BENCH_PORT:-3200}"
export LAVKA_BASE_URL="http://$LEPTOS_SITE_ADDR"
export LAVKA_MEDIA_DIR="${LAVKA_MEDIA_DIR:-$HOME/.cache/lavka/bench-media}"
export RUST_LOG=warn
log "loading the demo catalog and $products synthetic products"
"$SERVER_BIN" demo-data --products "$products"
"$SERVER_BIN" serve >"$dir/server.log" 2>&1 &
server_pid=$!
trap 'kill $server_pid 2>/dev/null || true; rm -rf "$dir"' EXIT
wait_for_server

rss_kb() { awk '/^VmRSS/ {print $2}' "/proc/$server_pid/status"; }
peak_kb() { awk '/^VmHWM/ {print $2}' "/proc/$server_pid/status"; }

# The biggest top-level category, filtered by its first colour and a price cap.
category_url="$LAVKA_BASE_URL/c/${BENCH_CATEGORY:-clothing}?f.color=${BENCH_COLOR:-black}&price_max=5000"
# A product from the middle of the sitemap (10,300 URLs fit in one file).
product_slug=$(curl -fsS "$LAVKA_BASE_URL/sitemap.xml" | grep -o '/p/[^<]*' | sed -n '500p')
# A three-line cart with a promo code and a delivery method (CART-8: priced by
# the server on every read), sent as the browser sends it.
cart_body='{"cart":{"version":2,"lines":[{"variant_id":1,"quantity":1},{"variant_id":2,"quantity":2},{"variant_id":3,"quantity":1}]},"choices":{"promo_code":"WELCOME10","delivery":"courier","instalment_months":null},"lang":"Ru"}'
scenarios=(
  "home|$LAVKA_BASE_URL/"
  "category_two_filters|$category_url"
  "product|$LAVKA_BASE_URL$product_slug"
  "search|$LAVKA_BASE_URL/search?q=shirt"
  "search_typo|$LAVKA_BASE_URL/search?q=sneakrs"
  "cart_page|$LAVKA_BASE_URL/cart"
  "cart_price|$LAVKA_BASE_URL/api/cart_price"
)
# Scenarios named here are POSTs of this body; the rest are GETs.
declare -A bodies=([cart_price]="$cart_body")
for s in "${scenarios[@]}"; do
  name=${s%%|*}
  url=${s#*|}
  if [ -n "${bodies[$name]:-}" ]; then
    code=$(curl -s -o /dev/null -w '%{http_code}' -H 'Content-Type: application/json' \
      -H "Origin: $LAVKA_BASE_URL" --data "${bodies[$name]}" "$url")
  else
    code=$(curl -s -o /dev/null -w '%{http_code}' "$url")
  fi
  [ "$code" = 200 ] || { echo "$url answered $code" >&2; exit 1; }
done
idle_kb=$(rss_kb)

results=()
for s in "${scenarios[@]}"; do
  name=${s%%|*}
  url=${s#*|}
  log "$name: wrk -t$threads -c$connections -d$duration $url"
  if [ -n "${bodies[$name]:-}" ]; then
    line=$(BENCH_BODY="${bodies[$name]}" BENCH_ORIGIN="$LAVKA_BASE_URL" \
      wrk -t"$threads" -c"$connections" -d"$duration" -s scripts/wrk-post.lua "$url" | tail -n 1)
  else
    line=$(wrk -t"$threads" -c"$connections" -d"$duration" -s scripts/wrk-report.lua "$url" | tail -n 1)
  fi
  results+=("\"$name\":{\"url\":\"${url#$LAVKA_BASE_URL}\",${line#\{}")
done
peak=$(peak_kb)

{
  printf '{"machine":"%s","cores":%s,"products":%s,"duration":"%s","connections":%s,' \
    "$(uname -sr)" "$(nproc)" "$products" "$duration" "$connections"
  printf '"rss_idle_mb":%s,"rss_peak_mb":%s,"scenarios":{' "$((idle_kb / 1024))" "$((peak / 1024))"
  (IFS=,; printf '%s' "${results[*]}")
  printf '}}\n'
} >bench-results.json

{
  echo "| scenario | req/s | p50 ms | p99 ms | max ms | errors |"
  echo "|---|---:|---:|---:|---:|---:|"
  for s in "${scenarios[@]}"; do
    name=${s%%|*}
    node -e '
      const r = JSON.parse(require("fs").readFileSync("bench-results.json")).scenarios[process.argv[1]];
      console.log(`| ${process.argv[1]} | ${r.rps.toFixed(0)} | ${r.p50_ms} | ${r.p99_ms} | ${r.max_ms} | ${r.errors} |`);
    ' "$name"
  done
  echo
  echo "Server RSS: $((idle_kb / 1024)) MB idle, $((peak / 1024)) MB peak; $products synthetic products plus the demo catalog; wrk -t$threads -c$connections -d$duration on $(nproc) cores."
} | tee bench-results.md
