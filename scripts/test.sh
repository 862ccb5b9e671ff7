#!/usr/bin/env bash
# Every test: Rust on SQLite, Rust again on PostgreSQL, then Playwright on the
# desktop and mobile projects against the release build. One build serves all.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/env.sh

scripts/build.sh

log "checking the WASM bundle holds no server code"
for wasm in target/site/pkg/*.wasm; do
  if grep -aqE 'sea_orm|sqlx|argon2' "$wasm"; then
    echo "server-only code found in $wasm" >&2
    exit 1
  fi
done

log "checking the storefront bundle against its size budget"
scripts/bundle-size.sh --check

# Test databases and pictures go to a directory of this run, removed after it.
rust_tmp=$(mktemp -d)
trap 'rm -rf "$rust_tmp"' EXIT

log "cargo test (SQLite)"
TMPDIR="$rust_tmp" cargo test --workspace --exclude lavka-bench --release

log "cargo test (PostgreSQL)"
pg_url=$(scripts/postgres.sh start)
trap 'scripts/postgres.sh stop || true; rm -rf "$rust_tmp"' EXIT
LAVKA_TEST_POSTGRES_URL="$pg_url" TMPDIR="$rust_tmp" cargo test --workspace --exclude lavka-bench --release
# Nothing is compiled after this: the next clone of these sources can reuse the build.
scripts/source-times.sh save
scripts/postgres.sh stop
rm -rf "$rust_tmp"

log "Playwright (desktop + Pixel 5) against the release server"
e2e_dir=$(mktemp -d)
export LEPTOS_SITE_ADDR="127.0.0.1:${LAVKA_E2E_PORT:-3100}"
export DATABASE_URL="sqlite://$e2e_dir/lavka.db"
export LAVKA_BASE_URL="http://$LEPTOS_SITE_ADDR"
export RUST_LOG="${RUST_LOG:-warn}"
# Demo pictures are deterministic; keeping them between runs saves drawing them again.
export LAVKA_MEDIA_DIR="${LAVKA_MEDIA_DIR:-$HOME/.cache/lavka/e2e-media}"
# The shop's e-mails and SMS go to a local SMTP server and SMS gateway.
sink_smtp=${LAVKA_E2E_SMTP_PORT:-3125}
sink_http=${LAVKA_E2E_SINK_PORT:-3126}
node end2end/message-sink.mjs "$sink_smtp" "$sink_http" >"$e2e_dir/sink.log" 2>&1 &
sink_pid=$!
export LAVKA_SMTP_URL="smtp://127.0.0.1:$sink_smtp"
export LAVKA_SMS_URL="http://127.0.0.1:$sink_http/sms"
export LAVKA_MAIL_FROM="Lavka <shop@lavka.test>"
export LAVKA_OUTBOX_POLL_MS=300
# Parcels move one tracking status every 4 s (LOG-2), polled every second.
export LAVKA_TRACKING_POLL_SECS=1 LAVKA_SANDBOX_CARRIER_STEP_SECS=4 LAVKA_REFUND_POLL_SECS=1
"$SERVER_BIN" demo-data >/dev/null
"$SERVER_BIN" serve >"$e2e_dir/server.log" 2>&1 &
server_pid=$!
trap 'kill $server_pid $sink_pid 2>/dev/null || true; scripts/postgres.sh stop >/dev/null 2>&1 || true' EXIT
wait_for_server
(cd end2end && BASE_URL="$LAVKA_BASE_URL" SINK_URL="http://127.0.0.1:$sink_http" npx playwright test) || {
  echo "server log: $e2e_dir/server.log" >&2
  tail -n 40 "$e2e_dir/server.log" >&2
  exit 1
}
kill -TERM $server_pid
wait $server_pid || true
kill $sink_pid 2>/dev/null || true
log "all tests passed"
