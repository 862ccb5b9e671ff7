#!/usr/bin/env bash
# Criterion micro-benchmarks of pricing, facet counting and the order state
# machine (bench/benches/domain.rs); reports land in
# ~/.cache/lavka/target/micro/criterion/.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/env.sh
# Criterion changes the features of serde and zerocopy, so app built here
# differs from the release build's; app is a cdylib, whose file name carries
# no hash, and building it in the shared directory would overwrite the release
# build's copy. A directory of its own keeps the release build warm.
export CARGO_TARGET_DIR="$CARGO_TARGET_DIR/micro"
cargo bench -p lavka-bench --bench domain
