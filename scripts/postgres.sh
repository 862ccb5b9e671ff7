#!/usr/bin/env bash
# A throwaway PostgreSQL server for the test run: private data dir and port.
# fsync is off (tests need no durability) unless LAVKA_PG_FSYNC=on (benchmarks).
#   postgres.sh start   -> prints the admin URL
#   postgres.sh stop
set -euo pipefail
PGPORT="${LAVKA_PG_PORT:-55432}"
PGDIR="${TMPDIR:-/tmp}/lavka-pg-$PGPORT"
PGBIN=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)

as_pg() {
  # PostgreSQL refuses to run as root; root runs it as the postgres user.
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

case "${1:-}" in
  start)
    "$0" stop >/dev/null 2>&1 || true
    rm -rf "$PGDIR" && mkdir -p "$PGDIR"
    [ "$(id -u)" = 0 ] && chown postgres "$PGDIR"
    as_pg "$PGBIN/initdb" -D "$PGDIR/data" -U postgres --auth=trust -E UTF8 >"$PGDIR/initdb.log" 2>&1
    as_pg "$PGBIN/pg_ctl" -D "$PGDIR/data" -l "$PGDIR/server.log" -w -t 60 \
      -o "-p $PGPORT -k $PGDIR -c listen_addresses=127.0.0.1 -c fsync=${LAVKA_PG_FSYNC:-off} -c max_connections=300" start >/dev/null
    echo "postgres://postgres@127.0.0.1:$PGPORT/postgres"
    ;;
  stop)
    [ -d "$PGDIR/data" ] && as_pg "$PGBIN/pg_ctl" -D "$PGDIR/data" -m fast -w stop >/dev/null
    ;;
  *) echo "usage: $0 start|stop" >&2; exit 2 ;;
esac
