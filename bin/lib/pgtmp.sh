#!/usr/bin/env bash
# shellcheck shell=bash
#
# A throwaway PostgreSQL for one script run (bin/image's training start, loadtest/run-image): initdb in a
# temporary folder, 127.0.0.1 on a port of the caller's choosing, the dev role orders/orders, gone at pgtmp_down.
# Never the shared cluster (5432) nor bin/run's database. Source it, do not execute it:
#
#   source bin/lib/pgtmp.sh
#   pgtmp_up PORT || exit 1       # sets pgtmp_dir, pgtmp_port
#   pgtmp_db NAME                 # a fresh database owned by orders; sets pgtmp_url (jdbc:postgresql://...)
#   pgtmp_down                    # stops the server and removes the folder; safe twice, from a trap
#
# As root the server runs as the postgres user (PostgreSQL refuses root), as in loadtest/lib/faults.sh.

pgtmp_dir=""
pgtmp_port=""
pgtmp_url=""

_pgtmp_log() { printf 'pgtmp: %s\n' "$*" >&2; }
_pgtmp_as_pg() { if [[ "$EUID" -eq 0 ]]; then (cd / && runuser -u postgres -- "$@"); else "$@"; fi; }
_pgtmp_bindir() {
  local postgres
  postgres="$(compgen -G '/usr/lib/postgresql/*/bin/postgres' | sort -V | tail -n 1)" || true
  [[ -n "$postgres" ]] && printf '%s\n' "${postgres%/postgres}"
}

pgtmp_up() {
  local port="$1" bindir
  bindir="$(_pgtmp_bindir)"
  if [[ -z "$bindir" ]]; then
    _pgtmp_log "ERROR: no PostgreSQL server installed (/usr/lib/postgresql/*/bin/postgres): apt-get install postgresql"
    return 1
  fi
  if (: </dev/tcp/127.0.0.1/"$port") 2>/dev/null; then
    _pgtmp_log "ERROR: port $port is taken; choose another one"
    return 1
  fi
  pgtmp_dir="$(mktemp -d /tmp/order-service-pg.XXXXXX)"
  chmod 755 "$pgtmp_dir"
  [[ "$EUID" -eq 0 ]] && chown postgres:postgres "$pgtmp_dir"
  if ! _pgtmp_as_pg "$bindir/initdb" -D "$pgtmp_dir/data" -U postgres --auth-local=trust \
    --auth-host=scram-sha-256 -E UTF8 --locale=C >"$pgtmp_dir/initdb.log" 2>&1; then
    _pgtmp_log "ERROR: initdb failed: $(tail -3 "$pgtmp_dir/initdb.log")"
    return 1
  fi
  printf '%s\n' "port = $port" "listen_addresses = '127.0.0.1'" "unix_socket_directories = '$pgtmp_dir'" \
    "fsync = off" >>"$pgtmp_dir/data/postgresql.conf"
  if ! _pgtmp_as_pg "$bindir/pg_ctl" -D "$pgtmp_dir/data" -l "$pgtmp_dir/postgresql.log" -w -t 60 start \
    >/dev/null; then
    _pgtmp_log "ERROR: PostgreSQL did not start: $(tail -5 "$pgtmp_dir/postgresql.log")"
    return 1
  fi
  pgtmp_port="$port"
  _pgtmp_psql "CREATE ROLE orders LOGIN PASSWORD 'orders'" || return 1
  _pgtmp_log "throwaway PostgreSQL on 127.0.0.1:$port (data in $pgtmp_dir)"
}

_pgtmp_psql() {
  PGOPTIONS="-c client_min_messages=warning" _pgtmp_as_pg "$(_pgtmp_bindir)/psql" -X -q -At -v ON_ERROR_STOP=1 -h "$pgtmp_dir" -p "$pgtmp_port" \
    -U postgres -d postgres -c "$1" >/dev/null
}

pgtmp_db() {
  _pgtmp_psql "DROP DATABASE IF EXISTS $1 WITH (FORCE)" && _pgtmp_psql "CREATE DATABASE $1 OWNER orders" || return 1
  # shellcheck disable=SC2034 # read by the scripts that source this file
  pgtmp_url="jdbc:postgresql://127.0.0.1:$pgtmp_port/$1"
}

pgtmp_down() {
  [[ -n "$pgtmp_dir" && -d "$pgtmp_dir" ]] || return 0
  if [[ -f "$pgtmp_dir/data/postmaster.pid" ]]; then
    _pgtmp_as_pg "$(_pgtmp_bindir)/pg_ctl" -D "$pgtmp_dir/data" -m immediate -w -t 30 stop >/dev/null 2>&1 || true
  fi
  rm -rf "$pgtmp_dir"
  pgtmp_dir=""
}
