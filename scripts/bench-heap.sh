#!/usr/bin/env bash
# Where the server's heap goes at its peak (issue 7, "RSS < 100 MB at peak"):
# the minute `make bench-memory` follows (a fresh 10,000-product SQLite shop,
# the first build, uncached category and product pages, the first full stock
# read), under heaptrack. heaptrack sees only malloc, not mimalloc, so the
# server is compiled once more with the `system-allocator` feature (only the
# server crate, about a minute), that binary is kept aside, and the normal
# server is compiled again. Prints the peak heap and its largest allocation
# sites; the whole profile is left in heaptrack-server.zst (heaptrack_print,
# heaptrack_gui). Not part of `make test`.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/env.sh
scripts/tools.sh heap

heap_bin="$CARGO_TARGET_DIR/release/server-system-allocator"
log "compiling the server with the system allocator"
cargo build --release -p server --features system-allocator
cp "$SERVER_BIN" "$heap_bin"
log "compiling the server with mimalloc again"
cargo build --release -p server

profile="$PWD/heaptrack-server"
rm -f "$profile".*
BENCH_MEMORY_SERVER="$heap_bin" BENCH_MEMORY_WRAP="heaptrack -o $profile" scripts/bench-memory.sh
echo
# The summary, then each site that held the most at the peak: its size, the
# allocating function and the first frames of Lavka's own code above it.
heaptrack_print -f "$profile".zst --print-peaks 1 --print-allocators 0 \
  --print-temporary 0 --print-leaks 0 --peak-limit 15 --sub-peak-limit 1 \
  | awk '
    # Rust symbol names as heaptrack prints them, made readable.
    function clean(name) {
      gsub(/::h[0-9a-f]+$/, "", name); gsub(/\$LT\$/, "<", name); gsub(/\$GT\$/, ">", name)
      gsub(/\$u20\$/, " ", name); gsub(/\$C\$/, ",", name); gsub(/\$RF\$/, "\\&", name)
      gsub(/\$u7b\$\$u7b\$closure\$u7d\$\$u7d\$/, "{closure}", name); gsub(/\.\./, "::", name)
      return name
    }
    /^peak heap memory consumption/ { print; next }
    /peak memory consumed over/ { printf "\n%s\n", $0; frames = 0; top = 1; next }
    top { print "  " clean($1); top = 0; next }
    /consumed over .* calls from:/ { mine = 1; next }
    mine && /^ +(app|server)::/ && frames < 2 { print "    in " clean($1); frames++ }
    /^$/ { mine = 0 }'
