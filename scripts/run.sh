#!/usr/bin/env bash
# Migrates the SQLite database, loads demo data and serves the shop.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/env.sh
export DATABASE_URL="${DATABASE_URL:-sqlite://data/lavka.db}"
"$SERVER_BIN" demo-data
exec "$SERVER_BIN" serve
