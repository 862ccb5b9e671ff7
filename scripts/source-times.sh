#!/usr/bin/env bash
# Lets a fresh clone (CI's) reuse the shared build instead of rebuilding it.
# Cargo decides whether a workspace crate is up to date from the modification
# times of its sources: a fresh clone has every file new, so it rebuilds the
# app, the server and the tests (about 25 min on 2 cores) although the shared
# target directory holds them for exactly the same sources.
#   save     after the test run's last cargo command: record each tracked
#            file's content hash and modification time, as cargo judged them
#   restore  before a build: give each file whose content equals its record
#            the recorded time. A file that differs keeps its new time, so what
#            depends on it is rebuilt. Nothing is restored when any crate was
#            compiled after the record was written: the build may then hold
#            other sources than the record says.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/env.sh

record="$CARGO_TARGET_DIR/lavka-source-times"

# The paths on stdin that are regular files (symlinks are left alone).
regular_files() {
  while IFS= read -r path; do
    if [ -f "$path" ] && [ ! -L "$path" ]; then printf '%s\n' "$path"; fi
  done
}

# "<sha256> <path>" for the files listed on stdin.
hashes() { xargs -r -d '\n' sha256sum; }

save() {
  local list
  list=$(mktemp)
  git ls-files | regular_files >"$list"
  paste <(hashes <"$list" | cut -d' ' -f1) \
        <(xargs -r -d '\n' stat --printf '%.9Y\n' <"$list") \
        "$list" >"$record.new"
  mv "$record.new" "$record"
  rm -f "$list"
}

restore() {
  if [ ! -f "$record" ]; then
    return 0
  fi
  local compiled_since
  compiled_since=$(find "$CARGO_TARGET_DIR/release/.fingerprint" "$CARGO_TARGET_DIR/front" \
    -path '*/.fingerprint/*' -newer "$record" -print -quit 2>/dev/null || true)
  if [ -n "$compiled_since" ]; then
    log "crates were compiled after the last test run recorded its sources: cargo decides from this checkout's times"
    return 0
  fi
  local restored=0 time path
  while IFS=$'\t' read -r time path; do
    touch -m -d "@$time" -- "$path"
    restored=$((restored + 1))
  done < <(cut -f3 "$record" | regular_files | hashes | awk -v record="$record" '
             BEGIN { FS = "\t"; while ((getline line < record) > 0) {
                       split(line, f, "\t"); sum[f[3]] = f[1]; time[f[3]] = f[2] } }
             { s = substr($0, 1, 64); p = substr($0, 67)
               if (sum[p] == s) printf "%s\t%s\n", time[p], p }')
  log "$restored source files match the last test run's build; their times restored"
}

case "${1:-}" in
  save) save ;;
  restore) restore ;;
  *) echo "usage: $0 save|restore" >&2; exit 2 ;;
esac
