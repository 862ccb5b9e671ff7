# Shared settings for the scripts; sourced, not run.
# The cargo target directory lives outside the checkout so that every clone on
# this machine (CI included) reuses one warm build. Override with CARGO_TARGET_DIR.
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/lavka/target}"
# wasm-opt comes from the npm `binaryen` package (Debian's wasm-opt 108 emits a
# WASM whose function table the browser rejects with wasm-bindgen 0.2.130);
# scripts/bin/wasm-opt in front of it remembers its results between builds.
export PATH="$PWD/scripts/bin:$PWD/end2end/node_modules/.bin:$HOME/.cargo/bin:$PATH"
# The values cargo-leptos passes to cargo. `cargo test` gets the same ones, so
# crates that read them at compile time (leptos_config) are not rebuilt.
export LEPTOS_OUTPUT_NAME=lavka
export LEPTOS_SITE_ROOT=target/site
export LEPTOS_SITE_PKG_DIR=pkg
export LEPTOS_SITE_ADDR="${LEPTOS_SITE_ADDR:-127.0.0.1:3000}"
export LEPTOS_RELOAD_PORT=3001
export LEPTOS_LIB_DIR=app
export LEPTOS_BIN_DIR=server
export LEPTOS_JS_MINIFY=true
export LEPTOS_HASH_FILES=true
export LEPTOS_HASH_FILE_NAME=hash.txt
SERVER_BIN="$CARGO_TARGET_DIR/release/server"
log() { printf '\033[1m==> %s\033[0m\n' "$*"; }
# Waits (up to 10 s) until the server at $LAVKA_BASE_URL answers its health check.
wait_for_server() {
  for _ in $(seq 1 100); do
    curl -fsS "$LAVKA_BASE_URL/healthz" >/dev/null 2>&1 && return 0
    sleep 0.1
  done
  echo "the server at $LAVKA_BASE_URL did not start" >&2
  return 1
}
