#!/usr/bin/env bash
# Installs what the build (`tools.sh build`), the tests (`tools.sh test`) or the
# benchmarks (`tools.sh bench`; `tools.sh heap` adds heaptrack) need,
# skipping whatever is already there.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/env.sh

CARGO_LEPTOS_VERSION=0.3.10
APT_UPDATED=""

apt_install() {
  if [ "$(id -u)" != 0 ]; then
    echo "missing system packages: $*" >&2
    echo "install them with: sudo apt-get install -y $*" >&2
    exit 1
  fi
  if [ -z "$APT_UPDATED" ]; then
    apt-get update -qq
    APT_UPDATED=1
  fi
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null
}

build_tools() {
  if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
    log "adding the wasm32-unknown-unknown target"
    rustup target add wasm32-unknown-unknown
  fi
  if ! cargo leptos --version 2>/dev/null | grep -q "$CARGO_LEPTOS_VERSION"; then
    log "installing cargo-leptos $CARGO_LEPTOS_VERSION (about 15 minutes on 2 cores)"
    cargo install cargo-leptos --version "$CARGO_LEPTOS_VERSION" --locked
  fi
  # wasm-bindgen-cli must match the wasm-bindgen crate in Cargo.lock exactly.
  local wbg
  wbg=$(awk '/^name = "wasm-bindgen"$/{getline; gsub(/"/,"",$3); print $3; exit}' Cargo.lock)
  if ! wasm-bindgen --version 2>/dev/null | grep -q " $wbg\$"; then
    log "installing wasm-bindgen-cli $wbg"
    cargo install wasm-bindgen-cli --version "$wbg" --force
  fi
  npm_packages
}

# Playwright and binaryen (wasm-opt for the release WASM) from end2end/package.json.
npm_packages() {
  if [ ! -x end2end/node_modules/.bin/wasm-opt ] || [ ! -d end2end/node_modules/@playwright/test ] \
     || [ end2end/package-lock.json -nt end2end/node_modules/.package-lock.json ]; then
    log "installing npm packages (Playwright, binaryen)"
    (cd end2end && npm ci --no-audit --no-fund --loglevel=error)
  fi
}

test_tools() {
  if [ ! -x /usr/bin/chromium ] && [ -z "${CHROMIUM_PATH:-}" ]; then
    log "installing Chromium"
    apt_install chromium || echo "no system Chromium: Playwright will use its own browser if one is installed"
  fi
  if ! ls /usr/lib/postgresql/*/bin/postgres >/dev/null 2>&1; then
    log "installing the PostgreSQL server"
    apt_install postgresql
  fi
  npm_packages
}

bench_tools() {
  if ! command -v wrk >/dev/null; then
    log "installing wrk (load generator)"
    apt_install wrk
  fi
}

heap_tools() {
  bench_tools
  if ! command -v heaptrack >/dev/null; then
    log "installing heaptrack (heap profiler)"
    apt_install heaptrack
  fi
}

case "${1:-build}" in
  build) build_tools ;;
  test) test_tools ;;
  bench) bench_tools ;;
  heap) heap_tools ;;
  *) echo "usage: $0 build|test|bench|heap" >&2; exit 2 ;;
esac
