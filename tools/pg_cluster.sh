#!/usr/bin/env bash
# A throwaway PostgreSQL cluster for the tests marked `postgres` (CI and developers; issue #20).
#   eval "$(tools/pg_cluster.sh start)"   # prints: export CARE_TEST_PG_URL=...; export CARE_TEST_PG_DIR=...
#   tools/pg_cluster.sh stop "$CARE_TEST_PG_DIR"
# The cluster lives in a new temporary folder, listens on a Unix socket in that folder only (no TCP port),
# trusts local connections (nobody else can reach the socket: the folder is 0700) and has one role,
# `carerounds`, allowed to create databases (each test makes its own). As root, initdb/postgres run as the
# `postgres` user (PostgreSQL refuses to run as root); the folder is handed to that user.
set -euo pipefail

bin_dir() {
  if command -v pg_ctl >/dev/null 2>&1; then dirname "$(readlink -f "$(command -v pg_ctl)")"; return; fi
  local found
  found=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
  [ -n "$found" ] || { echo "PostgreSQL is not installed (Debian: apt-get install postgresql)" >&2; exit 2; }
  echo "$found"
}

as_owner() {
  if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

case "${1:-}" in
  start)
    BIN=$(bin_dir)
    DIR=$(mktemp -d "${TMPDIR:-/tmp}/carerounds-pg.XXXXXX")
    chmod 0700 "$DIR"
    [ "$(id -u)" -eq 0 ] && chown postgres: "$DIR"
    as_owner "$BIN/initdb" -D "$DIR/data" -A trust -U postgres -E UTF8 --locale=C.UTF-8 --no-sync >"$DIR/initdb.log" 2>&1 \
      || { cat "$DIR/initdb.log" >&2; exit 1; }
    # no TCP at all; the socket in the cluster's own folder; no fsync (a throwaway cluster for tests)
    as_owner "$BIN/pg_ctl" -D "$DIR/data" -l "$DIR/server.log" -w -s \
      -o "-c listen_addresses='' -c unix_socket_directories='$DIR' -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=60" \
      start >&2 || { cat "$DIR/server.log" >&2; exit 1; }
    as_owner "$BIN/psql" -q -h "$DIR" -U postgres -d postgres -v ON_ERROR_STOP=1 \
      -c "CREATE ROLE carerounds LOGIN CREATEDB" -c "GRANT pg_signal_backend TO carerounds" -c "CREATE DATABASE carerounds OWNER carerounds" >&2
    echo "export CARE_TEST_PG_DIR='$DIR'"
    echo "export CARE_TEST_PG_URL='postgresql://carerounds@/carerounds?host=$DIR'"
    ;;
  stop)
    DIR=${2:?usage: pg_cluster.sh stop DIR}
    BIN=$(bin_dir)
    if [ -d "$DIR/data" ]; then as_owner "$BIN/pg_ctl" -D "$DIR/data" -m immediate -s -w stop || true; fi
    rm -rf -- "$DIR"
    ;;
  *)
    echo "usage: $0 start | stop DIR" >&2; exit 2 ;;
esac
