#!/usr/bin/env bash
# Checkout throughput on SQLite and PostgreSQL with zero oversell (CHK-4):
# server/benches/checkout.rs against a fresh database of each engine.
# Writes bench-checkout.json in the checkout and prints the table.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/env.sh
scripts/tools.sh test  # the PostgreSQL server
pg_url=$(scripts/postgres.sh start)
trap 'scripts/postgres.sh stop || true' EXIT
export LAVKA_MEDIA_DIR="${LAVKA_MEDIA_DIR:-$HOME/.cache/lavka/bench-media}"
export RUST_LOG=warn
LAVKA_BENCH_POSTGRES_URL="$pg_url" cargo bench -p server --bench checkout
mv server/bench-checkout.json bench-checkout.json
