#!/usr/bin/env bash
# Run a command against a throwaway PostgreSQL cluster: with-postgres.sh CMD [ARGS...]
#
# Creates a cluster with initdb in a temporary directory, starts it on a free port on
# 127.0.0.1, creates the database `meetlat`, exports
#   MEETLAT_DATABASE_URL=postgres://postgres@127.0.0.1:PORT/meetlat
# runs CMD, and always stops the server and removes the directory afterwards. Exits with
# CMD's status.
#
# The binaries come from /usr/lib/postgresql/*/bin (highest version) or $PGBIN. initdb refuses
# to run as root, so as root the server runs as the `postgres` user (via runuser); as any
# other user it runs as that user.
#
#   with-postgres.sh --check   exit 0 if PostgreSQL binaries are available, 1 otherwise
set -euo pipefail

find_pgbin() {
  if [[ -n "${PGBIN:-}" ]]; then
    [[ -x "$PGBIN/initdb" ]] && echo "$PGBIN"
    return 0
  fi
  local dir best="" best_version=-1 version
  for dir in /usr/lib/postgresql/*/bin; do
    [[ -x "$dir/initdb" && -x "$dir/pg_ctl" ]] || continue
    version=$(basename "$(dirname "$dir")")
    version=${version%%.*}
    if [[ "$version" =~ ^[0-9]+$ ]] && ((version > best_version)); then
      best_version=$version
      best=$dir
    fi
  done
  if [[ -n "$best" ]]; then
    echo "$best"
  fi
}

PGBIN=$(find_pgbin)
if [[ "${1:-}" == "--check" ]]; then
  if [[ -n "$PGBIN" ]]; then
    echo "PostgreSQL binaries: $PGBIN"
    exit 0
  fi
  echo "No PostgreSQL binaries (initdb, pg_ctl) under /usr/lib/postgresql/*/bin." >&2
  exit 1
fi
if [[ $# -eq 0 ]]; then
  echo "usage: $0 CMD [ARGS...] | --check" >&2
  exit 2
fi
if [[ -z "$PGBIN" ]]; then
  echo "No PostgreSQL binaries (initdb, pg_ctl) under /usr/lib/postgresql/*/bin;" \
    "install the Debian package postgresql." >&2
  exit 1
fi

if [[ "$(id -u)" -eq 0 ]]; then
  # Under /tmp, not $TMPDIR: the postgres user must be able to reach the directory.
  PGTMP=$(mktemp -d /tmp/meetlat-pg.XXXXXX)
else
  PGTMP=$(mktemp -d "${TMPDIR:-/tmp}/meetlat-pg.XXXXXX")
fi
if [[ "$(id -u)" -eq 0 ]]; then
  if ! id postgres >/dev/null 2>&1; then
    echo "Running as root, but there is no 'postgres' user to run PostgreSQL as." >&2
    rmdir "$PGTMP"
    exit 1
  fi
  chown postgres:postgres "$PGTMP"
  # cd first: otherwise every command warns that it cannot change to root's directory.
  pg() { (cd "$PGTMP" && runuser -u postgres -- "$@"); }
else
  pg() { (cd "$PGTMP" && "$@"); }
fi

started=""
cleanup() {
  local status=$?
  if [[ -n "$started" ]]; then
    pg "$PGBIN/pg_ctl" -D "$PGTMP/data" -m fast -w stop >/dev/null 2>&1 || true
  fi
  rm -rf "$PGTMP"
  exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

PGPORT=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')

pg "$PGBIN/initdb" -D "$PGTMP/data" --auth=trust -U postgres -E UTF8 --locale=C.UTF-8 \
  --no-sync >"$PGTMP/initdb.log" 2>&1 || {
  cat "$PGTMP/initdb.log" >&2
  exit 1
}
started=yes
pg "$PGBIN/pg_ctl" -D "$PGTMP/data" -l "$PGTMP/server.log" -w -t 30 \
  -o "-k $PGTMP -p $PGPORT -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off" \
  start >/dev/null || {
  cat "$PGTMP/server.log" >&2
  exit 1
}
pg "$PGBIN/createdb" -h 127.0.0.1 -p "$PGPORT" -U postgres meetlat

export MEETLAT_DATABASE_URL="postgres://postgres@127.0.0.1:$PGPORT/meetlat"
echo "PostgreSQL $("$PGBIN/postgres" --version | awk '{print $3}') on 127.0.0.1:$PGPORT (throwaway)"
"$@"
