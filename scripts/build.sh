#!/usr/bin/env bash
# Release build of the server and the WASM bundle (one build, shared by run and test).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/env.sh
# A fresh clone of sources the shared build already holds need not rebuild them.
scripts/source-times.sh restore
log "building release (server + WASM) in $CARGO_TARGET_DIR"
# --split: each admin screen and the storefront's pages past the catalog
# are WASM chunks (#[lazy_route]), so shoppers never download admin code
# and the catalog pages load only the main module.
cargo leptos build --release --precompress --split
# Optimised chunks not used by a build for a week go (scripts/bin/wasm-opt).
find "${LAVKA_WASM_OPT_CACHE:-$HOME/.cache/lavka/wasm-opt}" -name '*.wasm' -mtime +7 -delete 2>/dev/null || true
