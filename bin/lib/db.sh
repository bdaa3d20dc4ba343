#!/usr/bin/env bash
# shellcheck shell=bash
#
# The local database shared by bin/test and bin/run. Source it, do not execute
# it:
#
#   source bin/lib/db.sh
#   ensure_database orders_test # or `orders`
#
# ensure_database makes sure a PostgreSQL server runs on this machine and that
# the dev role/databases exist, then exports what Quarkus reads:
#   QUARKUS_DATASOURCE_JDBC_URL, QUARKUS_DATASOURCE_USERNAME,
#   QUARKUS_DATASOURCE_PASSWORD
# and, for other scripts, ORDERS_DB_HOST, ORDERS_DB_PORT, ORDERS_DB_NAME.
#
# Knobs (all optional):
#   QUARKUS_DATASOURCE_JDBC_URL  set it to use your own database; then nothing
#                                is installed, started or created here.
#   ORDERS_PGDATA                non-root only: data dir of the private cluster
#                                (default ${XDG_DATA_HOME:-$HOME/.local/share}/order-service/pgdata)
#   ORDERS_PGPORT                non-root only: its port (default 55432)
#
# The role `orders` with password `orders` is a documented DEV-ONLY credential
# for a server that listens on localhost only. Never reuse it anywhere else.
#
# Strict mode: this file does not run `set -euo pipefail` at top level, because
# that would leak into (and can kill) an interactive shell that sources it. The
# real work runs in a subshell that enables strict mode itself, and every step
# that matters is also checked explicitly, so the functions behave the same
# whether or not the caller uses `set -e` (which bash ignores inside `if f` or
# `f || ...` anyway).

# Role name and the databases every bootstrap creates. Fixed on purpose: the
# docs and the app's defaults refer to them.
_DB_ROLE=orders
_DB_PASSWORD=orders
_DB_DATABASES=(orders orders_test)
# How long to wait for the server to accept connections.
_DB_READY_TIMEOUT=30

_db_log() { printf 'db: %s\n' "$*" >&2; }

# Only for use inside the bootstrap subshell: `exit` leaves the subshell, and
# ensure_database turns its status into a return code.
_db_fail() {
  printf 'db: ERROR: %s\n' "$*" >&2
  exit 1
}

# Like _db_fail, but shows the end of the server log first: that is where
# the reason is (port in use, bad config, ...).
_db_fail_log() {
  local logfile="$1"
  shift
  if [[ -r "$logfile" ]]; then
    printf 'db: last lines of %s:\n' "$logfile" >&2
    tail -n 8 "$logfile" | sed 's/^/    /' >&2 || true
  fi
  _db_fail "$@"
}

# Newest installed server's bin dir, e.g. /usr/lib/postgresql/15/bin; empty if
# there is none. sort -V so that 9.6 < 10 < 15.
_db_newest_bindir() {
  local postgres
  postgres="$(compgen -G '/usr/lib/postgresql/*/bin/postgres' | sort -V | tail -n 1)" || true
  if [[ -n "$postgres" ]]; then
    printf '%s\n' "${postgres%/postgres}"
  fi
}

# Installs the distribution's server package. Runs inside the subshell.
_db_install_server() {
  local -a sudo=()
  _db_log "no PostgreSQL server found (/usr/lib/postgresql/*/bin/postgres); installing the 'postgresql' package"
  command -v apt-get >/dev/null 2>&1 \
    || _db_fail "apt-get not found. Install a PostgreSQL server with your package manager, or point QUARKUS_DATASOURCE_JDBC_URL (plus _USERNAME/_PASSWORD) at an existing database."
  if [[ "$EUID" -ne 0 ]]; then
    command -v sudo >/dev/null 2>&1 \
      || _db_fail "not root and sudo is not installed. Ask an admin to run 'apt-get install postgresql', or set QUARKUS_DATASOURCE_JDBC_URL (plus _USERNAME/_PASSWORD) to use an existing database."
    sudo=(sudo)
  fi
  # `env` because sudo may drop DEBIAN_FRONTEND from the environment.
  "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update >&2 \
    || _db_fail "'apt-get update' failed; cannot install PostgreSQL."
  "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends postgresql >&2 \
    || _db_fail "'apt-get install postgresql' failed; install a PostgreSQL server by hand or set QUARKUS_DATASOURCE_JDBC_URL."
  [[ -n "$(_db_newest_bindir)" ]] \
    || _db_fail "the 'postgresql' package is installed but /usr/lib/postgresql/*/bin/postgres is still missing."
}

# Polls until the server accepts TCP connections on localhost:$2 (the way the
# app connects), at most _DB_READY_TIMEOUT seconds.
_db_wait_ready() {
  local bindir="$1" port="$2" logfile="$3" deadline
  deadline=$((SECONDS + _DB_READY_TIMEOUT))
  until "$bindir/pg_isready" -q -h localhost -p "$port" -t 2; do
    if ((SECONDS >= deadline)); then
      _db_fail_log "$logfile" "PostgreSQL on localhost:$port did not accept connections within ${_DB_READY_TIMEOUT}s; see the server log: $logfile"
    fi
    sleep 1
  done
}

# --- root: the distribution cluster (postgres refuses to run as root) -------

# Sets _db_ver _db_port _db_status _db_logfile from pg_lsclusters for the
# newest cluster called "main"; returns 1 if there is none.
_db_read_main_cluster() {
  local line
  # Columns: Ver Cluster Port Status Owner Datadir Logfile.
  line="$(pg_lsclusters --no-header | awk '$2 == "main"' | sort -V -k1,1 | tail -n 1)" || true
  [[ -n "$line" ]] || return 1
  read -r _db_ver _ _db_port _db_status _ _ _db_logfile <<<"$line"
  _db_logfile="${_db_logfile:-/var/log/postgresql/postgresql-${_db_ver}-main.log}"
}

# Runs psql as the postgres OS user (peer authentication over the default
# unix socket). SQL comes on stdin, which runuser/su pass through.
_db_psql_as_postgres() {
  # cd / so that psql, running as postgres, does not complain that it cannot
  # access the caller's working directory (e.g. /root).
  if [[ "$_db_runas" == runuser ]]; then
    (cd / && runuser -u postgres -- "$@")
  else
    # %q quoting is bash syntax, hence -s /bin/bash.
    local cmd
    printf -v cmd '%q ' "$@"
    (cd / && su postgres -s /bin/bash -c "$cmd")
  fi
}

_db_bootstrap_root() {
  if ! command -v pg_lsclusters >/dev/null 2>&1 || ! command -v pg_ctlcluster >/dev/null 2>&1; then
    _db_fail "pg_lsclusters/pg_ctlcluster not found; install the 'postgresql-common' package (apt-get install postgresql)."
  fi

  if ! _db_read_main_cluster; then
    local newest
    newest="$(_db_newest_bindir)"
    newest="${newest%/bin}"
    newest="${newest##*/}"
    _db_log "no 'main' cluster found; creating $newest/main with pg_createcluster"
    pg_createcluster "$newest" main >&2 || _db_fail "pg_createcluster $newest main failed."
    _db_read_main_cluster || _db_fail "pg_createcluster succeeded but pg_lsclusters shows no 'main' cluster."
  fi
  _db_bindir="/usr/lib/postgresql/$_db_ver/bin"
  [[ -x "$_db_bindir/psql" ]] || _db_fail "cluster $_db_ver/main exists but $_db_bindir/psql is missing; install postgresql-$_db_ver."

  # Status is e.g. "online", "online,recovery" or "down". Only start a stopped
  # cluster: pg_ctlcluster start on a running one is an error.
  if [[ "$_db_status" != online* ]]; then
    _db_log "starting PostgreSQL cluster $_db_ver/main (port $_db_port)"
    # >&2: keep our stdout clean; the server itself logs to its log file.
    pg_ctlcluster "$_db_ver" main start >&2 \
      || _db_fail_log "$_db_logfile" "pg_ctlcluster $_db_ver main start failed; see $_db_logfile"
  fi
  _db_wait_ready "$_db_bindir" "$_db_port" "$_db_logfile"

  if command -v runuser >/dev/null 2>&1 && (cd / && runuser -u postgres -- true) >/dev/null 2>&1; then
    _db_runas=runuser
  elif command -v su >/dev/null 2>&1 && (cd / && su postgres -s /bin/bash -c true) >/dev/null 2>&1; then
    _db_runas=su
  else
    _db_fail "cannot run commands as the 'postgres' user (neither 'runuser -u postgres' nor 'su postgres' works)."
  fi
  _db_admin_psql=(_db_psql_as_postgres "$_db_bindir/psql" -p "$_db_port" -d postgres)
}

# --- non-root: a private cluster owned by the current user ------------------

_db_bootstrap_user() {
  local pgdata="${ORDERS_PGDATA:-${XDG_DATA_HOME:-$HOME/.local/share}/order-service/pgdata}"
  local port="${ORDERS_PGPORT:-55432}"
  local logfile="$pgdata/postgresql.log"
  local conf="$pgdata/order-service.conf"

  [[ "$port" =~ ^[0-9]+$ ]] || _db_fail "ORDERS_PGPORT must be a number, got '$port'."
  [[ "$pgdata" == /* ]] || _db_fail "ORDERS_PGDATA must be an absolute path, got '$pgdata'."
  # The socket lives in the data dir, and a unix socket path (dir plus
  # "/.s.PGSQL.<port>") must fit in 107 bytes, or the server will not start.
  ((${#pgdata} <= 88)) \
    || _db_fail "data dir path is too long for a unix socket ($pgdata); set ORDERS_PGDATA to a shorter path."

  if [[ -f "$pgdata/PG_VERSION" ]]; then
    # Use the server version that created the data dir, not just the newest.
    local ver
    ver="$(<"$pgdata/PG_VERSION")"
    _db_bindir="/usr/lib/postgresql/$ver/bin"
    [[ -x "$_db_bindir/postgres" ]] \
      || _db_fail "$pgdata was created by PostgreSQL $ver, which is not installed here. Install postgresql-$ver, or move that dir away to start afresh."
  else
    _db_bindir="$(_db_newest_bindir)"
    if [[ -d "$pgdata" ]] && [[ -n "$(ls -A "$pgdata")" ]]; then
      _db_fail "$pgdata exists and is not empty, but is not a PostgreSQL data dir; set ORDERS_PGDATA elsewhere or empty it."
    fi
    _db_log "creating a private PostgreSQL cluster in $pgdata"
    mkdir -p "$pgdata" || _db_fail "cannot create $pgdata"
    # peer for the unix socket: only this OS user gets in as the superuser
    # (named after it); scram for TCP, which is how the app logs in as orders.
    # UTF8 with the C locale: the same on every machine, independent of $LANG.
    "$_db_bindir/initdb" -D "$pgdata" --auth-local=peer --auth-host=scram-sha-256 \
      --encoding=UTF8 --locale=C --no-instructions >&2 \
      || _db_fail "initdb failed for $pgdata"
  fi

  # Our settings live in a file of their own, rewritten on every run, so
  # postgresql.conf stays stock and ORDERS_PGPORT takes effect on next start.
  # Localhost only (nobody else can reach the dev password), and the socket in
  # the data dir (a normal user cannot write /var/run/postgresql).
  local sockdir_sql="${pgdata//\'/\'\'}"
  printf '%s\n' \
    "# Written by bin/lib/db.sh on every run; edit ORDERS_PGPORT instead." \
    "listen_addresses = 'localhost'" \
    "port = $port" \
    "unix_socket_directories = '$sockdir_sql'" >"$conf" \
    || _db_fail "cannot write $conf"
  if ! grep -qxF "include_if_exists = 'order-service.conf'" "$pgdata/postgresql.conf"; then
    printf '\n%s\n' "include_if_exists = 'order-service.conf'" >>"$pgdata/postgresql.conf" \
      || _db_fail "cannot update $pgdata/postgresql.conf"
  fi

  local sockdir="$pgdata"
  if "$_db_bindir/pg_ctl" -D "$pgdata" status >/dev/null 2>&1; then
    # Already running: leave it, but use the port it really listens on
    # (line 4 of postmaster.pid; line 5 is its socket dir).
    local running_port running_sockdir
    running_port="$(sed -n 4p "$pgdata/postmaster.pid")"
    running_sockdir="$(sed -n 5p "$pgdata/postmaster.pid")"
    if [[ -n "$running_port" && "$running_port" != "$port" ]]; then
      _db_log "private cluster already runs on port $running_port (not $port); using it. Restart it to change: $_db_bindir/pg_ctl -D '$pgdata' stop"
      port="$running_port"
    fi
    sockdir="${running_sockdir:-$pgdata}"
  else
    _db_log "starting private PostgreSQL cluster on localhost:$port (log: $logfile)"
    # >&2 and -l: neither our stdout nor our stderr may stay attached to the
    # server, or a caller reading them through a pipe would never see EOF.
    if ! "$_db_bindir/pg_ctl" -D "$pgdata" -l "$logfile" -w -t "$_DB_READY_TIMEOUT" -s start >&2 </dev/null; then
      # Someone else (a parallel bin/test?) may have started it meanwhile.
      "$_db_bindir/pg_ctl" -D "$pgdata" status >/dev/null 2>&1 \
        || _db_fail_log "$logfile" "could not start PostgreSQL in $pgdata (is port $port taken?); see $logfile"
    fi
  fi
  _db_wait_ready "$_db_bindir" "$port" "$logfile"
  _db_port="$port"
  # The superuser is the OS user (initdb's default), peer-authenticated.
  _db_admin_psql=("$_db_bindir/psql" -h "$sockdir" -p "$port" -U "$(id -un)" -d postgres)
}

# --- both --------------------------------------------------------------------

# Creates the role and databases unless they exist. One psql session holds an
# advisory lock, so two bootstraps at once (bin/test and bin/run) do not race
# to CREATE the same thing.
_db_create_objects() {
  local name sql
  sql="DO \$\$BEGIN PERFORM pg_advisory_lock(hashtext('order-service bootstrap')); END\$\$;
SELECT NOT EXISTS (SELECT FROM pg_roles WHERE rolname = :'role') AS need_role \\gset
\\if :need_role
  \\echo db: creating role :role (dev-only password)
  CREATE ROLE :\"role\" LOGIN PASSWORD :'password';
\\endif
"
  for name in "$@"; do
    # Names are validated identifiers; psql quotes them anyway (:'x' / :"x").
    # template0 + UTF8 + C: works whatever the cluster's default locale is.
    sql+="\\set dbname $name
SELECT NOT EXISTS (SELECT FROM pg_database WHERE datname = :'dbname') AS need_db \\gset
\\if :need_db
  \\echo db: creating database :dbname owned by :role
  CREATE DATABASE :\"dbname\" OWNER :\"role\" TEMPLATE template0 ENCODING 'UTF8' LC_COLLATE 'C' LC_CTYPE 'C';
\\else
  SELECT pg_get_userbyid(datdba) <> :'role' AS foreign_owner FROM pg_database WHERE datname = :'dbname' \\gset
  \\if :foreign_owner
    \\echo db: WARNING: database :dbname exists but is not owned by :role; migrations may lack rights.
  \\endif
\\endif
"
  done
  # -q: no command tags; \echo output goes to stderr with the rest.
  "${_db_admin_psql[@]}" -X -q -v ON_ERROR_STOP=1 -v role="$_DB_ROLE" -v password="$_DB_PASSWORD" \
    -f - <<<"$sql" >&2 \
    || _db_fail "creating role/databases failed (see psql's message above)."
}

# Logs in exactly as the app will (TCP, password), so that a bad pg_hba.conf
# or a pre-existing role with another password fails here, clearly.
_db_check_login() {
  local db="$1" err
  if ! err="$(PGPASSWORD="$_DB_PASSWORD" PGCONNECT_TIMEOUT=5 "$_db_bindir/psql" -X -w -q -At \
    -h localhost -p "$_db_port" -U "$_DB_ROLE" -d "$db" -c 'select 1' 2>&1 >/dev/null)"; then
    _db_fail "cannot log in as '$_DB_ROLE' to '$db' on localhost:$_db_port: $err
  If the role existed before with another password, reset it (dev only):
    ALTER ROLE $_DB_ROLE PASSWORD '$_DB_PASSWORD';
  and check that pg_hba.conf allows 'host ... 127.0.0.1/32 scram-sha-256' (or md5)."
  fi
}

# The whole bootstrap; runs in a subshell (see header) and prints the port.
_db_bootstrap() {
  set -euo pipefail
  local db="$1" name
  local -a dbs=("${_DB_DATABASES[@]}")
  # Our psql calls say exactly where to connect; stray PG* settings from the
  # caller's environment must not redirect them.
  unset PGHOST PGHOSTADDR PGPORT PGUSER PGDATABASE PGSERVICE PGOPTIONS PGPASSWORD PGSSLMODE

  if [[ -z "$(_db_newest_bindir)" ]]; then
    _db_install_server
  fi
  if [[ "$EUID" -eq 0 ]]; then
    _db_bootstrap_root
  else
    _db_bootstrap_user
  fi

  for name in "${dbs[@]}"; do
    [[ "$name" == "$db" ]] && break
  done
  [[ "$name" == "$db" ]] || dbs+=("$db")
  _db_create_objects "${dbs[@]}"
  _db_check_login "$db"
  printf '%s\n' "$_db_port"
}

# ensure_database [DB]  (DB: orders for bin/run, orders_test for bin/test)
ensure_database() {
  local db="${1:-orders}" port

  if [[ -n "${QUARKUS_DATASOURCE_JDBC_URL:-}" ]]; then
    _db_log "QUARKUS_DATASOURCE_JDBC_URL is set; using it as it is (no local database set-up)"
    export QUARKUS_DATASOURCE_JDBC_URL
    if [[ -n "${QUARKUS_DATASOURCE_USERNAME+set}" ]]; then export QUARKUS_DATASOURCE_USERNAME; fi
    if [[ -n "${QUARKUS_DATASOURCE_PASSWORD+set}" ]]; then export QUARKUS_DATASOURCE_PASSWORD; fi
    # Best effort for scripts: jdbc:postgresql://host[:port]/db[?params]
    if [[ "$QUARKUS_DATASOURCE_JDBC_URL" =~ ^jdbc:postgresql://(\[[^]]*\]|[^/:?,]+)(:([0-9]+))?/([^?]+) ]]; then
      export ORDERS_DB_HOST="${BASH_REMATCH[1]}" ORDERS_DB_PORT="${BASH_REMATCH[3]:-5432}" ORDERS_DB_NAME="${BASH_REMATCH[4]}"
    else
      _db_log "note: could not parse host/port/db from the URL; ORDERS_DB_HOST/PORT/NAME stay unset"
    fi
    return 0
  fi

  # An identifier we are happy to see in SQL and in a URL.
  if [[ ! "$db" =~ ^[a-z_][a-z0-9_]{0,62}$ ]]; then
    _db_log "ERROR: invalid database name '$db' (want lower-case letters, digits, _)"
    return 1
  fi

  # Subshell: strict mode and the helpers' `exit` stay in there. Only the port
  # comes back on stdout; everything else is logged on stderr. Not written as
  # `if ! port=$(...)`: bash would then ignore `set -e` inside the subshell.
  # Instead switch the caller's errexit off just around it, and restore it.
  local rc errexit=false
  if [[ "$-" == *e* ]]; then errexit=true; fi
  set +e
  port="$(_db_bootstrap "$db")"
  rc=$?
  if [[ "$errexit" == true ]]; then set -e; fi
  if ((rc != 0)) || [[ ! "$port" =~ ^[0-9]+$ ]]; then
    _db_log "ERROR: database set-up failed (see above). To use another database instead, set QUARKUS_DATASOURCE_JDBC_URL, _USERNAME and _PASSWORD."
    return 1
  fi

  export QUARKUS_DATASOURCE_JDBC_URL="jdbc:postgresql://localhost:${port}/${db}"
  export QUARKUS_DATASOURCE_USERNAME="$_DB_ROLE"
  export QUARKUS_DATASOURCE_PASSWORD="$_DB_PASSWORD"
  export ORDERS_DB_HOST=localhost ORDERS_DB_PORT="$port" ORDERS_DB_NAME="$db"
  _db_log "ready: $QUARKUS_DATASOURCE_JDBC_URL (user $QUARKUS_DATASOURCE_USERNAME)"
}
