#!/usr/bin/env bash
# Release build of the server and the WASM bundle (one build, shared by run and test).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/env.sh
log "building release (server + WASM) in $CARGO_TARGET_DIR"
# --split: each admin screen is its own WASM chunk (#[lazy_route]), so
# shoppers never download admin code.
cargo leptos build --release --precompress --split
