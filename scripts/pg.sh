#!/usr/bin/env bash
# A private PostgreSQL cluster for the receiver's tests and benchmark (docs/receiver.md): Debian's
# `postgresql`, in a directory of the caller's, on a Unix socket in that directory only (no TCP
# port, so clusters of parallel tests never collide), run as an unprivileged user because initdb
# refuses root (as root: the system user `formseal-pg`, created when missing, through runuser).
#
#   scripts/pg.sh install            installs postgresql with apt when no server is installed
#   scripts/pg.sh start DIR          initdb DIR/data when new, starts it; prints the store URL
#   scripts/pg.sh stop DIR [MODE]    stops it (pg_ctl mode: fast, or immediate for a crash)
#
# Anything that goes wrong exits non-zero with pg_ctl's log on standard error: a test that needs
# PostgreSQL fails, it is never skipped.
set -euo pipefail

RUN_AS=formseal-pg

pg_bin() {
  local bin
  bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
  [ -n "$bin" ] && [ -x "$bin/initdb" ] && echo "$bin"
}

install() {
  pg_bin >/dev/null && return 0
  if [ "$(id -u)" != 0 ]; then
    echo "pg.sh: PostgreSQL is not installed and installing it needs root: apt-get install postgresql" >&2
    exit 1
  fi
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null
  pg_bin >/dev/null || { echo "pg.sh: apt installed postgresql but no /usr/lib/postgresql/*/bin/initdb" >&2; exit 1; }
}

# Runs a command as the cluster's owner: ourselves, or formseal-pg when we are root.
as_owner() {
  if [ "$(id -u)" = 0 ]; then runuser -u "$RUN_AS" -- "$@"; else "$@"; fi
}

start() {
  local dir=$1 bin
  bin=$(pg_bin) || { echo "pg.sh: PostgreSQL is not installed (run: scripts/pg.sh install, or make test)" >&2; exit 1; }
  mkdir -p "$dir"
  dir=$(cd "$dir" && pwd)
  if [ "$(id -u)" = 0 ]; then
    id -u "$RUN_AS" >/dev/null 2>&1 || useradd --system --no-create-home --shell /usr/sbin/nologin "$RUN_AS"
    chown "$RUN_AS" "$dir"
  fi
  if [ ! -f "$dir/data/PG_VERSION" ]; then
    as_owner "$bin/initdb" -D "$dir/data" -U formseal --auth=trust -E UTF8 --no-locale --no-sync >"$dir/initdb.log" 2>&1 \
      || { cat "$dir/initdb.log" >&2; exit 1; }
  fi
  # Defaults otherwise (fsync and synchronous_commit on): the tests check durability.
  as_owner "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
    -o "-c listen_addresses='' -c unix_socket_directories='$dir' -c max_connections=200" start >/dev/null \
    || { cat "$dir/server.log" >&2; exit 1; }
  echo "postgresql:///postgres?host=$dir&user=formseal"
}

stop() {
  local dir=$1 mode=${2:-fast} bin
  bin=$(pg_bin) || exit 1
  [ -f "$dir/data/postmaster.pid" ] || return 0
  as_owner "$bin/pg_ctl" -D "$dir/data" -m "$mode" -w -t 60 stop >/dev/null
}

case "${1:-}" in
  install) install ;;
  start) start "${2:?usage: scripts/pg.sh start DIR}" ;;
  stop) stop "${2:?usage: scripts/pg.sh stop DIR [fast|immediate]}" "${3:-fast}" ;;
  *) echo "usage: scripts/pg.sh install | start DIR | stop DIR [fast|immediate]" >&2; exit 2 ;;
esac
