#!/usr/bin/env bash
# Load figures (issue 7): a fresh shop with the demo catalog plus
# BENCH_PRODUCTS synthetic products (10,000), BENCH_CUSTOMERS customers
# (20,000) and a history of BENCH_ORDERS orders (100,000), the release server,
# and wrk against each scenario for a fixed time on loopback.
#   BENCH_DB=sqlite (default) or BENCH_DB=postgres (`make bench DB=postgres`:
#   a throwaway PostgreSQL server on this machine, fsync on as in production).
# Writes this engine's run into bench-results.json (one file, every scenario,
# both engines) and bench-results.md, and prints the table.
# Not part of `make test`: a run takes several minutes and wants an idle machine.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/env.sh

engine=${BENCH_DB:-sqlite}
products=${BENCH_PRODUCTS:-10000}
customers=${BENCH_CUSTOMERS:-20000}
orders=${BENCH_ORDERS:-100000}
duration=${BENCH_DURATION:-15s}
connections=${BENCH_CONNECTIONS:-16}
threads=${BENCH_THREADS:-2}
# Variants the place-order scenario spreads its orders over.
hot_variants=${BENCH_HOT_VARIANTS:-20}

scripts/tools.sh bench
case "$engine" in
  sqlite) ;;
  postgres) scripts/tools.sh test ;;  # the PostgreSQL server
  *) echo "BENCH_DB must be sqlite or postgres, not '$engine'" >&2; exit 2 ;;
esac
# BENCH_SKIP_BUILD=1 measures the last build as it is (repeated runs).
[ -n "${BENCH_SKIP_BUILD:-}" ] || scripts/build.sh

dir=$(mktemp -d)
server_pid=""
cleanup() {
  local status=$?
  [ -n "$server_pid" ] && kill "$server_pid" 2>/dev/null || true
  # A failed run keeps the server's log: it is the only record of why.
  if [ "$status" -ne 0 ] && [ -s "$dir/server.log" ]; then
    cp "$dir/server.log" "bench-server-$engine.log"
    echo "bench failed; the server's log is in bench-server-$engine.log" >&2
  fi
  [ "$engine" = postgres ] && scripts/postgres.sh stop >/dev/null 2>&1 || true
  rm -rf "$dir"
}
trap cleanup EXIT
if [ "$engine" = postgres ]; then
  export DATABASE_URL=$(LAVKA_PG_FSYNC=on scripts/postgres.sh start)
else
  export DATABASE_URL="sqlite://$dir/bench.db"
fi
export LEPTOS_SITE_ADDR="127.0.0.1:${BENCH_PORT:-3200}"
export LAVKA_BASE_URL="http://$LEPTOS_SITE_ADDR"
export LAVKA_MEDIA_DIR="${LAVKA_MEDIA_DIR:-$HOME/.cache/lavka/bench-media}"
export RUST_LOG=warn
log "$engine: the demo catalog, $products synthetic products, $customers customers, $orders orders"
load_started=$(date +%s)
"$SERVER_BIN" demo-data --products "$products" --customers "$customers" --orders "$orders"
load_seconds=$(( $(date +%s) - load_started ))
"$SERVER_BIN" serve >"$dir/server.log" 2>&1 &
server_pid=$!
wait_for_server

rss_kb() { awk '/^VmRSS/ {print $2}' "/proc/$server_pid/status"; }
peak_kb() { awk '/^VmHWM/ {print $2}' "/proc/$server_pid/status"; }
memory_json() {
  printf '"rss_mb":%s,"hwm_mb":%s' "$(($(rss_kb) / 1024))" "$(($(peak_kb) / 1024))"
}

export BENCH_COOKIE=$(node scripts/bench-orders.mjs login admin@lavka.local lavka-demo-pass)
# The biggest top-level category, filtered by its first colour and a price cap.
category_url="$LAVKA_BASE_URL/c/${BENCH_CATEGORY:-clothing}?f.color=${BENCH_COLOR:-black}&price_max=5000"
# A product from the middle of the sitemap (10,300 URLs fit in one file).
product_slug=$(curl -fsS "$LAVKA_BASE_URL/sitemap.xml" | grep -o '/p/[^<]*' | sed -n '500p')
# A three-line cart with a promo code and a delivery method (CART-8: priced by
# the server on every read), sent as the browser sends it.
cart_body='{"cart":{"version":2,"lines":[{"variant_id":1,"quantity":1},{"variant_id":2,"quantity":2},{"variant_id":3,"quantity":1}]},"choices":{"promo_code":"WELCOME10","delivery":"courier","instalment_months":null},"lang":"Ru"}'
# The staff order queue (ORD-1) over the whole history: its first page as
# staff open it, and a search by a customer's phone digits among completed orders.
queue_body='{"filter":{"status":"completed","paid":null,"delivery":null,"from":null,"to":null,"search":"9100001","sort":"Newest","page":0},"lang":"Ru"}'
scenarios=(
  "home|$LAVKA_BASE_URL/"
  "category_two_filters|$category_url"
  "category_uncached|$category_url"
  "product|$LAVKA_BASE_URL$product_slug"
  "product_uncached|$LAVKA_BASE_URL$product_slug"
  "product_brotli|$LAVKA_BASE_URL$product_slug"
  "search|$LAVKA_BASE_URL/search?q=shirt"
  "search_typo|$LAVKA_BASE_URL/search?q=sneakrs"
  "cart_page|$LAVKA_BASE_URL/cart"
  "cart_price|$LAVKA_BASE_URL/api/cart_price"
  "admin_order_list|$LAVKA_BASE_URL/admin/orders"
  "admin_order_search|$LAVKA_BASE_URL/api/admin_orders"
)
# Scenarios named here are POSTs of this body; the rest are GETs.
declare -A bodies=([cart_price]="$cart_body" [admin_order_search]="$queue_body")
# Scenarios named here run their own wrk script: the rest wrk-report.lua (GET)
# or wrk-post.lua (POST).
declare -A wrk_scripts=([category_uncached]=scripts/wrk-vary-price.lua [product_uncached]=scripts/wrk-unique-query.lua)
# Scenarios named here are staff's: they send the admin's session cookie.
declare -A staff=([admin_order_list]=1 [admin_order_search]=1)
# Scenarios named here ask for a compressed answer, as every browser does.
declare -A compressed=([product_brotli]=br)
for s in "${scenarios[@]}"; do
  name=${s%%|*}
  url=${s#*|}
  args=(-s -o "$dir/answer" -w '%{http_code}')
  [ -n "${staff[$name]:-}" ] && args+=(-H "Cookie: $BENCH_COOKIE")
  [ -n "${bodies[$name]:-}" ] && args+=(-H 'Content-Type: application/json' \
    -H "Origin: $LAVKA_BASE_URL" --data "${bodies[$name]}")
  code=$(curl "${args[@]}" "$url")
  [ "$code" = 200 ] || { echo "$url answered $code: $(head -c 300 "$dir/answer")" >&2; exit 1; }
  # The staff scenarios must measure the queue itself, not a login page.
  case "$name" in
    admin_order_list) expect='order-row-status' ;;
    admin_order_search) expect='"rows":[{' ;;
    *) expect='' ;;
  esac
  [ -z "$expect" ] || grep -qF "$expect" "$dir/answer" \
    || { echo "$url did not answer with orders: $(head -c 300 "$dir/answer")" >&2; exit 1; }
done
idle_kb=$(rss_kb)

# First-load transfer (item 3): a page's HTML plus the CSS, JS and WASM it
# names, in bytes as served with brotli and with gzip (images not counted).
bytes_as_served() { # encoding url
  curl -s -H "Accept-Encoding: $1" -o /dev/null -w '%{size_download}' "$2"
}
first_load=()
for page in "home|$LAVKA_BASE_URL/" "category|$category_url" "product|$LAVKA_BASE_URL$product_slug"; do
  name=${page%%|*}
  url=${page#*|}
  html_br=$(bytes_as_served br "$url")
  html_gz=$(bytes_as_served gzip "$url")
  assets_br=0
  assets_gz=0
  for asset in $(curl -s "$url" | grep -o '/pkg/[^"]*\.\(css\|js\|wasm\)' | sort -u); do
    assets_br=$((assets_br + $(bytes_as_served br "$LAVKA_BASE_URL$asset")))
    assets_gz=$((assets_gz + $(bytes_as_served gzip "$LAVKA_BASE_URL$asset")))
  done
  first_load+=("\"$name\":{\"html_br\":$html_br,\"html_gz\":$html_gz,\"assets_br\":$assets_br,\"assets_gz\":$assets_gz,\"total_br\":$((html_br + assets_br)),\"total_gz\":$((html_gz + assets_gz))}")
done

results=()
for s in "${scenarios[@]}"; do
  name=${s%%|*}
  url=${s#*|}
  log "$name: wrk -t$threads -c$connections -d$duration $url"
  header_args=()
  [ -n "${staff[$name]:-}" ] && header_args=(-H "Cookie: $BENCH_COOKIE")
  [ -n "${compressed[$name]:-}" ] && header_args+=(-H "Accept-Encoding: ${compressed[$name]}")
  if [ -n "${bodies[$name]:-}" ]; then
    line=$(BENCH_BODY="${bodies[$name]}" BENCH_ORIGIN="$LAVKA_BASE_URL" \
      wrk -t"$threads" -c"$connections" -d"$duration" "${header_args[@]}" \
      -s scripts/wrk-post.lua "$url" | tail -n 1)
  else
    line=$(wrk -t"$threads" -c"$connections" -d"$duration" "${header_args[@]}" \
      -s "${wrk_scripts[$name]:-scripts/wrk-report.lua}" "$url" | tail -n 1)
  fi
  # Memory after each scenario: which load raises the peak (issue 7, RSS).
  results+=("\"$name\":{\"url\":\"${url#$LAVKA_BASE_URL}\",$(memory_json),${line#\{}")
done

# The place-order path (CHK-4): new shoppers' orders for the whole run, then
# the stock must have fallen by exactly the orders placed; then 400 shoppers
# at once for the last 100 units must get exactly 100 orders.
log "place_order: receiving stock for $hot_variants variants"
node scripts/bench-orders.mjs prepare "$hot_variants" >"$dir/stock.json"
hot_ids=$(node -e 'console.log(JSON.parse(require("fs").readFileSync(process.argv[1])).hot.map(v => v.id).join(","))' "$dir/stock.json")
log "place_order: wrk -t$threads -c$connections -d$duration (variants $hot_ids)"
line=$(BENCH_VARIANTS="$hot_ids" BENCH_ORIGIN="$LAVKA_BASE_URL" \
  wrk -t"$threads" -c"$connections" -d"$duration" -s scripts/wrk-place-order.lua \
  "$LAVKA_BASE_URL/api/checkout_place" | tail -n 1)
placed=$(node -e 'console.log(JSON.parse(process.argv[1]).placed)' "$line")
stock_check=$(node scripts/bench-orders.mjs check "$dir/stock.json" "$placed") \
  || { echo "place_order: $stock_check" >&2; exit 1; }
log "place_order: $stock_check"
results+=("\"place_order\":{\"url\":\"/api/checkout_place\",\"stock_check\":$stock_check,$(memory_json),${line#\{}")
log "race: 400 shoppers for 100 units"
race=$(node scripts/bench-orders.mjs race "$dir/stock.json") || { echo "race: $race" >&2; exit 1; }
log "race: $race"
peak=$(peak_kb)

run=$(
  printf '{"engine":"%s","date":"%s","machine":"%s","cores":%s,' \
    "$engine" "$(date -u +%Y-%m-%dT%H:%MZ)" "$(uname -sr)" "$(nproc)"
  printf '"data":{"products":%s,"customers":%s,"orders":%s,"load_seconds":%s},' \
    "$products" "$customers" "$orders" "$load_seconds"
  printf '"load":{"tool":"wrk","threads":%s,"connections":%s,"duration":"%s"},' \
    "$threads" "$connections" "$duration"
  printf '"rss_idle_mb":%s,"rss_peak_mb":%s,"race":%s,"first_load":{' \
    "$((idle_kb / 1024))" "$((peak / 1024))" "$race"
  (IFS=,; printf '%s' "${first_load[*]}")
  printf '},"scenarios":{'
  (IFS=,; printf '%s' "${results[*]}")
  printf '}}'
)
node scripts/bench-report.mjs "$run"
