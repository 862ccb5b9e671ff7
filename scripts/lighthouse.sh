#!/usr/bin/env bash
# Lighthouse (issue 7) on the storefront: home, a category, a product and
# the cart, with Lighthouse's mobile emulation and simulated throttling,
# driving Debian's Chromium. Writes lighthouse-results.json and
# lighthouse-results.md and prints the table. Not part of `make test`.
# LIGHTHOUSE_KEEP=<dir> keeps each page's full JSON report there.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/env.sh

# Pinned: 13.x wants Node 22; kept out of end2end/ so the tests never install it.
lh_dir="$HOME/.cache/lavka/lighthouse"
lighthouse="$lh_dir/node_modules/.bin/lighthouse"
if [ ! -x "$lighthouse" ]; then
  log "installing lighthouse 12.2.3 into $lh_dir"
  mkdir -p "$lh_dir"
  npm i -E --prefix "$lh_dir" --no-audit --no-fund lighthouse@12.2.3 >/dev/null
fi
export CHROME_PATH="${CHROME_PATH:-$(command -v chromium || true)}"
[ -n "$CHROME_PATH" ] || { echo "no Chromium found; set CHROME_PATH" >&2; exit 1; }

[ "${SKIP_BUILD:-}" = 1 ] || scripts/build.sh
dir=$(mktemp -d)
export DATABASE_URL="sqlite://$dir/lighthouse.db"
export LEPTOS_SITE_ADDR="127.0.0.1:${LIGHTHOUSE_PORT:-3250}"
export LAVKA_BASE_URL="http://$LEPTOS_SITE_ADDR"
export LAVKA_MEDIA_DIR="${LAVKA_MEDIA_DIR:-$HOME/.cache/lavka/bench-media}"
export RUST_LOG=warn
"$SERVER_BIN" demo-data >/dev/null
"$SERVER_BIN" serve >"$dir/server.log" 2>&1 &
server_pid=$!
trap 'kill $server_pid 2>/dev/null || true; [ -n "${LIGHTHOUSE_KEEP:-}" ] && cp "$dir"/*.json "$LIGHTHOUSE_KEEP"/; rm -rf "$dir"' EXIT
wait_for_server

product=$(curl -fsS "$LAVKA_BASE_URL/sitemap.xml" | grep -o -m 1 '/p/[^<]*')
pages=("home|/" "category|/c/clothing" "product|$product" "cart|/cart")
flags="--headless=new --no-sandbox --disable-gpu --disable-quic --no-first-run --disable-background-networking --disable-component-update --disable-sync"
for p in "${pages[@]}"; do
  name=${p%%|*}
  log "lighthouse $name: ${p#*|}"
  "$lighthouse" "$LAVKA_BASE_URL${p#*|}" --quiet --chrome-flags="$flags" \
    --only-categories=performance,accessibility,best-practices,seo \
    --output=json --output-path="$dir/$name.json"
done

node - "$dir" "${pages[@]}" <<'JS'
const fs = require("fs");
const [dir, ...pages] = process.argv.slice(2);
const results = {};
for (const p of pages) {
  const [name, path] = p.split("|");
  const r = JSON.parse(fs.readFileSync(`${dir}/${name}.json`, "utf8"));
  const score = (c) => Math.round(r.categories[c].score * 100);
  const audit = (a) => r.audits[a].numericValue;
  // Anything below 100 names its failing audits, so the table says what to fix.
  const failing = Object.values(r.categories).flatMap((c) =>
    c.auditRefs
      .filter((ref) => ref.weight > 0 && r.audits[ref.id].score !== null && r.audits[ref.id].score < 0.9)
      .map((ref) => ref.id),
  );
  results[name] = {
    path,
    performance: score("performance"),
    accessibility: score("accessibility"),
    best_practices: score("best-practices"),
    seo: score("seo"),
    lcp_ms: Math.round(audit("largest-contentful-paint")),
    cls: Number(audit("cumulative-layout-shift").toFixed(3)),
    tbt_ms: Math.round(audit("total-blocking-time")),
    failing: [...new Set(failing)],
  };
}
fs.writeFileSync("lighthouse-results.json", JSON.stringify({ lighthouse: "12.2.3", form_factor: "mobile", results }, null, 2) + "\n");
const rows = Object.entries(results).map(([n, r]) =>
  `| ${n} | ${r.performance} | ${r.accessibility} | ${r.best_practices} | ${r.seo} | ${r.lcp_ms} ms | ${r.cls} | ${r.tbt_ms} ms | ${r.failing.join(", ") || "—"} |`);
const md = ["| Page | Perf. | A11y | Best pr. | SEO | LCP | CLS | TBT | Audits below 90 |", "|---|---|---|---|---|---|---|---|---|", ...rows].join("\n") + "\n";
fs.writeFileSync("lighthouse-results.md", md);
process.stdout.write(md);
JS
