#!/usr/bin/env bash
# The browser bundle's size (issue 7) from the last release build in
# target/site/pkg: what a shopper downloads on the first visit (the main
# JS and WASM, the split loader, the CSS) and the lazy chunks, raw, gzip
# and brotli as the server serves them (precompressed). The chunks hold
# the admin screens and the storefront's lazy pages (cart, checkout,
# account…), fetched when a page needs them.
# With --check, fails when the storefront's brotli JS + WASM exceeds
# LAVKA_WASM_BUDGET_BR bytes: a ceiling against growth, kept above today's
# figure; the target (200 KB) is in BENCHMARKS.md "Bundle size".
set -euo pipefail
cd "$(dirname "$0")/.."
pkg=target/site/pkg
sizes() { # files… → "raw gzip brotli"
  local raw=0 gz=0 br=0 f
  for f in "$@"; do
    raw=$((raw + $(stat -c %s "$f")))
    gz=$((gz + $(stat -c %s "$f.gz")))
    br=$((br + $(stat -c %s "$f.br")))
  done
  echo "$raw $gz $br"
}
kb() { awk -v b="$1" 'BEGIN { printf "%.0f KB", b / 1024 }'; }
row() { # label raw gz br
  printf '| %-34s | %9s | %9s | %9s |\n' "$1" "$(kb "$2")" "$(kb "$3")" "$(kb "$4")"
}
main_wasm=$(ls $pkg/lavka.*.wasm)
main_js=$(ls $pkg/lavka.*.js)
loader=$(ls $pkg/__wasm_split.*.js 2>/dev/null || true)
css=$(ls $pkg/lavka.*.css)
read -r w_raw w_gz w_br <<<"$(sizes "$main_wasm")"
# shellcheck disable=SC2086
read -r s_raw s_gz s_br <<<"$(sizes $main_js $loader)"
read -r c_raw c_gz c_br <<<"$(sizes "$css")"
chunks=$(ls $pkg/split_*.wasm $pkg/chunk_*.wasm 2>/dev/null || true)
# shellcheck disable=SC2086
read -r a_raw a_gz a_br <<<"$(if [ -n "$chunks" ]; then sizes $chunks; else echo "0 0 0"; fi)"
echo "| Part                               |       raw |      gzip |    brotli |"
echo "|------------------------------------|-----------|-----------|-----------|"
row "storefront WASM" "$w_raw" "$w_gz" "$w_br"
row "storefront JS (glue + split loader)" "$s_raw" "$s_gz" "$s_br"
row "CSS" "$c_raw" "$c_gz" "$c_br"
row "storefront JS + WASM" $((w_raw + s_raw)) $((w_gz + s_gz)) $((w_br + s_br))
row "lazy chunks ($(echo "$chunks" | grep -c . || true) files, on demand)" "$a_raw" "$a_gz" "$a_br"
if [ "${1:-}" = "--check" ]; then
  budget=${LAVKA_WASM_BUDGET_BR:-655360}
  if [ $((w_br + s_br)) -gt "$budget" ]; then
    echo "the storefront's JS + WASM is $((w_br + s_br)) bytes brotli, over the budget of $budget" >&2
    exit 1
  fi
  echo "storefront JS + WASM: $((w_br + s_br)) bytes brotli, within the budget of $budget"
fi
