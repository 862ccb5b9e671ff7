#!/usr/bin/env bash
# Release build of the server and the WASM bundle (one build, shared by run and test).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/env.sh
log "building release (server + WASM) in $CARGO_TARGET_DIR"
# --split: each admin screen and the storefront's pages past the catalog
# are WASM chunks (#[lazy_route]), so shoppers never download admin code
# and the catalog pages load only the main module.
cargo leptos build --release --precompress --split
