# shellcheck shell=bash
# A three-node Patroni cluster on loopback, for the fault suite. Source it; it sets no shell options.
#
#   patroni_install                   patroni + etcd-server from Debian, no system service left enabled
#   patroni_up DIR sync|async         etcd + 3 nodes under DIR; exports PATRONI_DIR, PATRONI_MODE, PATRONI_JDBC_URL
#   patroni_primary                   "node1 57332": the leader and its PostgreSQL port
#   patroni_kill_primary              kill -9 of the leader's postmaster
#   patroni_freeze_primary SECONDS    SIGSTOP of the leader's whole node (postgres + Patroni), SIGCONT after
#   patroni_switchover                planned switchover to a healthy replica
#   patroni_lag_replicas SECONDS      SIGSTOP of every replica's walreceiver, SIGCONT after
#   patroni_wait_healthy TIMEOUT      a leader, 2 streaming replicas, (sync) a synchronous standby
#   patroni_psql SQL...               psql as orders/orders on the leader's database orders (stdin if no SQL)
#   patroni_down [DIR]                stops all of it, removes DIR; safe twice and from a trap
#
# Every function returns non-zero on failure and logs to stderr; only the documented lines go to stdout.
# The blocking ones (freeze, lag) can be run with & and waited for; patroni_down cuts their sleep short.
# Ports 57300-57399 only: another PostgreSQL on this machine (5432, 56432) must never be touched.

_PT_NODES=(node1 node2 node3)
_PT_PG_PORTS=(57332 57333 57334)
_PT_API_PORTS=(57308 57309 57310)
_PT_ETCD_CLIENT=57379
_PT_ETCD_PEER=57380
_PT_SCOPE=orders-ha
# DCS value of faults-and-ha.md. A replica further behind than this (bytes of WAL) is never promoted: the
# async loss demo needs it to admit the seconds of lag it injects. ~4 s of the smoke test's 150 small rows/s
# is ~150 kB; the service's orders write more WAL each, so the suite may raise it through the environment.
_PT_MAX_LAG="${PATRONI_MAX_LAG_ON_FAILOVER:-1048576}"
_pt_up_made=""
_pt_api_hint=0 # index of the last REST API that answered: a frozen node costs a timeout, so start elsewhere

_pt_log() { printf '[patroni %s] %s\n' "$(date +%H:%M:%S.%3N)" "$*" >&2; }

_pt_now_ms() { date +%s%3N; }

# The newest installed PostgreSQL, found the one way the scripts find it (bin/lib/db.sh).
_pt_bindir() {
  declare -F _db_newest_bindir >/dev/null || source bin/lib/db.sh
  local d
  d="$(_db_newest_bindir)"
  [[ -n "$d" ]] || return 1
  printf '%s\n' "$d"
}

_pt_dir() {
  if [[ -z "${PATRONI_DIR:-}" || ! -f "$PATRONI_DIR/.patroni-lib" ]]; then
    _pt_log "ERROR: no cluster (PATRONI_DIR unset or not made by patroni_up); call patroni_up first"
    return 1
  fi
  printf '%s\n' "$PATRONI_DIR"
}

# cd /: postgres cannot read root's working directory, and the tools complain about it.
_pt_as_postgres() { (cd / && runuser -u postgres -- "$@"); }

_pt_port_free() { [[ -z "$(ss -Hltn "sport = :$1" 2>/dev/null)" ]]; }

_pt_alive() { [[ -n "${1:-}" ]] && kill -0 "$1" 2>/dev/null; }

# The node's postmaster pid, if that process still runs.
_pt_postmaster_pid() {
  local dir="$1" name="$2" pid
  pid="$(head -1 "$dir/$name/data/postmaster.pid" 2>/dev/null)"
  [[ "$pid" =~ ^[0-9]+$ ]] && _pt_alive "$pid" && printf '%s\n' "$pid"
}

_pt_node_index() {
  local i
  for i in "${!_PT_NODES[@]}"; do
    [[ "${_PT_NODES[$i]}" == "$1" ]] && { printf '%s\n' "$i"; return 0; }
  done
  return 1
}

# /cluster from the first REST API that answers within a second.
_pt_cluster_json() {
  local k i out
  for k in 0 1 2; do
    i=$(((_pt_api_hint + k) % 3))
    if out="$(curl -fsS --max-time 1 "http://127.0.0.1:${_PT_API_PORTS[$i]}/cluster" 2>/dev/null)" && [[ -n "$out" ]]; then
      _pt_api_hint=$i
      printf '%s\n' "$out"
      return 0
    fi
  done
  return 1
}

# One line per member: name role state port lag (lag in MB as Patroni reports it, "-" if none).
_pt_members() {
  local json
  json="$(_pt_cluster_json)" || return 1
  python3 -c '
import json, sys
for m in json.loads(sys.argv[1]).get("members", []):
    print(m.get("name"), m.get("role"), m.get("state"), m.get("port", "-"), m.get("lag", "-"))
' "$json"
}

# Superuser query on one node over its unix socket (peer as the postgres OS user).
_pt_admin_sql() {
  local dir="$1" name="$2" sql="$3" i bindir
  i="$(_pt_node_index "$name")" || return 1
  bindir="$(_pt_bindir)" || return 1
  PGCONNECT_TIMEOUT=2 _pt_as_postgres "$bindir/psql" -X -q -At -h "$dir/$name" -p "${_PT_PG_PORTS[$i]}" \
    -d postgres -c "$sql" 2>/dev/null
}

# --- install ---------------------------------------------------------------------------------------------

_pt_body_patroni_install() {
  local need=() pkg svc saved="" rc=0
  command -v patroni >/dev/null 2>&1 && command -v patronictl >/dev/null 2>&1 || need+=(patroni)
  command -v etcd >/dev/null 2>&1 || need+=(etcd-server)
  if ((${#need[@]} > 0)); then
    if [[ "$EUID" -ne 0 ]]; then
      _pt_log "ERROR: ${need[*]} missing and not root; install them: apt-get install ${need[*]}"
      return 1
    fi
    _pt_log "installing ${need[*]}"
    # Debian starts a package's service on install: etcd would take 2379 and Patroni the system's
    # PostgreSQL. A policy-rc.d that exits 101 forbids it; one that was there already is put back.
    if [[ -e /usr/sbin/policy-rc.d ]]; then
      if ! { saved="$(mktemp)" && cp -p /usr/sbin/policy-rc.d "$saved"; }; then
        _pt_log "ERROR: cannot save /usr/sbin/policy-rc.d"
        return 1
      fi
    fi
    printf '#!/bin/sh\nexit 101\n' >/usr/sbin/policy-rc.d && chmod 755 /usr/sbin/policy-rc.d
    if ! DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${need[@]}" >/tmp/patroni-apt.$$.log 2>&1; then
      # A stale package list is the usual cause; one update, one more try.
      apt-get update -qq >>/tmp/patroni-apt.$$.log 2>&1
      DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${need[@]}" >>/tmp/patroni-apt.$$.log 2>&1 || rc=1
    fi
    if [[ -n "$saved" ]]; then
      mv -f "$saved" /usr/sbin/policy-rc.d
    else
      rm -f /usr/sbin/policy-rc.d
    fi
    if ((rc != 0)); then
      _pt_log "ERROR: apt-get install ${need[*]} failed:"
      tail -20 "/tmp/patroni-apt.$$.log" >&2
      return 1
    fi
    rm -f "/tmp/patroni-apt.$$.log"
  fi
  for pkg in patroni etcd; do
    command -v "$pkg" >/dev/null 2>&1 || { _pt_log "ERROR: $pkg still missing after install"; return 1; }
  done
  # The packages enable their units; nothing here may come up at the next boot either.
  for svc in etcd patroni; do
    if [[ -e "/lib/systemd/system/$svc.service" || -e "/etc/init.d/$svc" ]]; then
      if command -v systemctl >/dev/null 2>&1 && [[ "$(systemctl is-enabled "$svc" 2>/dev/null)" == enabled ]]; then
        systemctl disable "$svc" >/dev/null 2>&1 || _pt_log "warning: systemctl disable $svc failed"
      fi
      if [[ -d /run/systemd/system ]] && systemctl is-active --quiet "$svc" 2>/dev/null; then
        systemctl stop "$svc" >/dev/null 2>&1 || _pt_log "warning: systemctl stop $svc failed"
      fi
      if [[ -e "/etc/init.d/$svc" ]] && compgen -G "/etc/rc[2345].d/S[0-9][0-9]$svc" >/dev/null; then
        update-rc.d "$svc" disable >/dev/null 2>&1 || _pt_log "warning: update-rc.d $svc disable failed"
      fi
    fi
  done
  # A system etcd or Patroni (run by init scripts, not by us) would be one we must not touch: just say so.
  if pgrep -u etcd -x etcd >/dev/null 2>&1; then
    _pt_log "warning: a system etcd is running (user etcd); ours uses ports $_PT_ETCD_CLIENT/$_PT_ETCD_PEER"
  fi
  if ! _pt_bindir >/dev/null; then
    _pt_log "ERROR: no PostgreSQL server under /usr/lib/postgresql/*/bin"
    return 1
  fi
  return 0
}

# --- start -----------------------------------------------------------------------------------------------

# Starts CMD as postgres in a session of its own (a caller's Ctrl-C must not reach it), output to LOG,
# and writes the pid of CMD itself (not of runuser) to PIDFILE.
_pt_spawn() {
  local log="$1" pidfile="$2"
  shift 2
  (
    cd / || exit 1
    # A caller's PGPASSWORD (the smoke test exports orders') would override the pgpass that Patroni writes
    # for its post_bootstrap and pg_rewind connections, and PGHOST/PGPORT would send them elsewhere.
    unset "${!PG@}"
    # shellcheck disable=SC2016 # $$ and $@ belong to the inner sh
    exec setsid runuser -u postgres -- sh -c 'echo $$ >"$0"; exec "$@"' "$pidfile" "$@"
  ) </dev/null >>"$log" 2>&1 &
  local t=0
  while [[ ! -s "$pidfile" ]] && ((t < 50)); do
    sleep 0.1
    t=$((t + 1))
  done
  [[ -s "$pidfile" ]]
}

_pt_write_node_yml() {
  local dir="$1" i="$2" mode="$3" bindir="$4" superpass="$5" replpass="$6" sync=false
  local name="${_PT_NODES[$i]}" port="${_PT_PG_PORTS[$i]}" api="${_PT_API_PORTS[$i]}"
  [[ "$mode" == sync ]] && sync=true
  cat >"$dir/$name.yml" <<EOF
scope: $_PT_SCOPE
name: $name
log:
  level: INFO
restapi:
  listen: 127.0.0.1:$api
  connect_address: 127.0.0.1:$api
etcd:
  host: 127.0.0.1:$_PT_ETCD_CLIENT
watchdog:
  mode: off
bootstrap:
  dcs:
    ttl: 10
    loop_wait: 2
    retry_timeout: 3
    primary_start_timeout: 0
    maximum_lag_on_failover: $_PT_MAX_LAG
    synchronous_mode: $sync
    synchronous_mode_strict: $sync
    postgresql:
      use_pg_rewind: true
      use_slots: true
      parameters:
        max_connections: 100
        wal_level: replica
        hot_standby: "on"
        wal_log_hints: "on"
        max_wal_senders: 10
        max_replication_slots: 10
        # A replica that asked the new leader for its slot before Patroni made it retries after this;
        # the default 5 s is, in strict synchronous mode, 5 s more without any write.
        wal_retrieve_retry_interval: 1s
        wal_keep_size: 256MB
  initdb:
    - encoding: UTF8
    - locale: C
    - data-checksums
  post_bootstrap: $dir/post_bootstrap.sh
postgresql:
  listen: 127.0.0.1:$port
  connect_address: 127.0.0.1:$port
  data_dir: $dir/$name/data
  bin_dir: $bindir
  pgpass: $dir/$name/pgpass
  authentication:
    superuser:
      username: postgres
      password: $superpass
    replication:
      username: replicator
      password: $replpass
  parameters:
    unix_socket_directories: $dir/$name
  basebackup:
    - checkpoint: fast
  pg_hba:
    - local all postgres peer
    - local replication postgres peer
    - host all postgres 127.0.0.1/32 scram-sha-256
    - host replication replicator 127.0.0.1/32 scram-sha-256
    - host all orders 127.0.0.1/32 scram-sha-256
tags:
  nofailover: false
  noloadbalance: false
  clonefrom: false
  nosync: false
EOF
}

# A cluster that failed to come up is torn down at once (its logs kept in a directory named on stderr):
# a caller's trap may not know its DIR yet.
_pt_body_patroni_up() {
  local rc keep
  _pt_up_made=""
  _pt_up "$@"
  rc=$?
  if ((rc != 0)) && [[ -n "$_pt_up_made" && -f "$_pt_up_made/.patroni-lib" ]]; then
    if keep="$(mktemp -d /tmp/patroni-failed.XXXXXX)"; then
      cp "$_pt_up_made"/*.log "$keep"/ 2>/dev/null
      _pt_log "logs of the failed start kept in $keep"
    fi
    patroni_down "$_pt_up_made"
  fi
  _pt_up_made=""
  return "$rc"
}

_pt_up() {
  local dir="${1:-}" mode="${2:-}" bindir i name superpass replpass started deadline
  case "$mode" in
    sync | async) ;;
    *) _pt_log "usage: patroni_up DIR sync|async"; return 2 ;;
  esac
  [[ "$dir" == /* ]] || { _pt_log "ERROR: DIR must be an absolute path, got '$dir'"; return 2; }
  dir="${dir%/}"
  if ! command -v patroni >/dev/null 2>&1 || ! command -v etcd >/dev/null 2>&1; then
    _pt_log "ERROR: patroni/etcd missing: call patroni_install first"
    return 1
  fi
  bindir="$(_pt_bindir)" || { _pt_log "ERROR: no PostgreSQL under /usr/lib/postgresql/*/bin"; return 1; }
  if [[ -n "${PATRONI_DIR:-}" && -f "$PATRONI_DIR/.patroni-lib" ]]; then
    _pt_log "ERROR: a cluster is already up in $PATRONI_DIR; patroni_down first"
    return 1
  fi
  for i in "$_PT_ETCD_CLIENT" "$_PT_ETCD_PEER" "${_PT_PG_PORTS[@]}" "${_PT_API_PORTS[@]}"; do
    _pt_port_free "$i" || { _pt_log "ERROR: port $i is in use (a cluster left over? see ss -ltnp)"; return 1; }
  done
  # A unix socket path ("DIR/nodeN/.s.PGSQL.57332") must fit in 107 bytes.
  ((${#dir} <= 80)) || { _pt_log "ERROR: DIR path too long for a unix socket: $dir"; return 1; }
  if [[ -e "$dir" ]] && [[ -n "$(ls -A "$dir" 2>/dev/null)" ]]; then
    _pt_log "ERROR: $dir exists and is not empty"
    return 1
  fi
  mkdir -p "$dir" || { _pt_log "ERROR: cannot create $dir"; return 1; }
  # The marker is what lets patroni_down remove DIR: never a directory it did not make up.
  if ! { : >"$dir/.patroni-lib" && printf '%s\n' "$mode" >"$dir/mode"; }; then
    _pt_log "ERROR: cannot write in $dir"
    return 1
  fi
  _pt_up_made="$dir"
  if ! { chown postgres:postgres "$dir" && chmod 700 "$dir"; }; then
    _pt_log "ERROR: cannot chown $dir to postgres"
    return 1
  fi
  if ! _pt_as_postgres test -w "$dir"; then
    _pt_log "ERROR: user postgres cannot write $dir (a parent directory not traversable?)"
    return 1
  fi
  export PATRONI_DIR="$dir" PATRONI_MODE="$mode"
  started=$SECONDS

  superpass="$(od -An -N12 -tx1 /dev/urandom | tr -d ' \n')"
  replpass="$(od -An -N12 -tx1 /dev/urandom | tr -d ' \n')"
  # Patroni passes a superuser connection string as $1 (password in PGPASSFILE).
  cat >"$dir/post_bootstrap.sh" <<EOF
#!/bin/sh
exec "$bindir/psql" "\$1" -X -q -v ON_ERROR_STOP=1 \\
  -c "CREATE ROLE orders LOGIN PASSWORD 'orders'" \\
  -c "CREATE DATABASE orders OWNER orders TEMPLATE template0 ENCODING 'UTF8' LC_COLLATE 'C' LC_CTYPE 'C'"
EOF
  chmod 755 "$dir/post_bootstrap.sh"
  for i in 0 1 2; do
    name="${_PT_NODES[$i]}"
    if ! { mkdir -p "$dir/$name" && _pt_write_node_yml "$dir" "$i" "$mode" "$bindir" "$superpass" "$replpass"; }; then
      _pt_log "ERROR: cannot write $dir/$name.yml"
      return 1
    fi
  done
  mkdir -p "$dir/etcd"
  chown -R postgres:postgres "$dir" && chmod 600 "$dir"/node?.yml

  _pt_log "starting etcd on 127.0.0.1:$_PT_ETCD_CLIENT (log $dir/etcd.log)"
  if ! _pt_spawn "$dir/etcd.log" "$dir/etcd.pid" etcd --name pt-etcd --data-dir "$dir/etcd/data" \
    --listen-client-urls "http://127.0.0.1:$_PT_ETCD_CLIENT" --advertise-client-urls "http://127.0.0.1:$_PT_ETCD_CLIENT" \
    --listen-peer-urls "http://127.0.0.1:$_PT_ETCD_PEER" --initial-advertise-peer-urls "http://127.0.0.1:$_PT_ETCD_PEER" \
    --initial-cluster "pt-etcd=http://127.0.0.1:$_PT_ETCD_PEER" --initial-cluster-state new \
    --enable-v2=true; then
    _pt_log "ERROR: etcd did not start"
    return 1
  fi
  deadline=$((SECONDS + 20))
  until curl -fsS --max-time 1 "http://127.0.0.1:$_PT_ETCD_CLIENT/v2/keys/" >/dev/null 2>&1; do
    if ((SECONDS >= deadline)) || ! _pt_alive "$(cat "$dir/etcd.pid")"; then
      _pt_log "ERROR: etcd v2 API not up within 20 s; last lines of $dir/etcd.log:"
      tail -15 "$dir/etcd.log" >&2
      return 1
    fi
    sleep 0.2
  done

  # node1 first, so that it bootstraps and the others clone it rather than all three racing for initdb.
  for i in 0 1 2; do
    name="${_PT_NODES[$i]}"
    _pt_log "starting $name: PostgreSQL 127.0.0.1:${_PT_PG_PORTS[$i]}, REST 127.0.0.1:${_PT_API_PORTS[$i]} (log $dir/$name.log)"
    _pt_spawn "$dir/$name.log" "$dir/$name.pid" patroni "$dir/$name.yml" \
      || { _pt_log "ERROR: patroni $name did not start"; tail -15 "$dir/$name.log" >&2; return 1; }
    if ((i == 0)); then
      deadline=$((SECONDS + 60))
      until [[ "$(patroni_primary 2>/dev/null)" == "node1 "* ]] \
        && PGPASSWORD=orders PGCONNECT_TIMEOUT=2 "$bindir/psql" -X -q -At -h 127.0.0.1 -p "${_PT_PG_PORTS[0]}" \
          -U orders -d orders -c 'select 1' >/dev/null 2>&1; do
        if ((SECONDS >= deadline)) || ! _pt_alive "$(cat "$dir/node1.pid")"; then
          _pt_log "ERROR: node1 did not bootstrap within 60 s; its errors and last lines ($dir/node1.log):"
          grep -E 'ERROR|FATAL|post_bootstrap|psql' "$dir/node1.log" | grep -v '^ ' | tail -10 >&2
          tail -5 "$dir/node1.log" >&2
          return 1
        fi
        sleep 0.3
      done
      _pt_log "node1 leads after $((SECONDS - started)) s; role orders and database orders made"
    fi
  done
  i=$((90 - (SECONDS - started)))
  ((i >= 10)) || i=10
  if ! patroni_wait_healthy "$i"; then
    _pt_log "ERROR: cluster not healthy within 90 s; see the logs in $dir"
    for name in "${_PT_NODES[@]}"; do
      _pt_log "--- last lines of $dir/$name.log"
      tail -8 "$dir/$name.log" >&2
    done
    return 1
  fi
  export PATRONI_JDBC_URL="jdbc:postgresql://127.0.0.1:${_PT_PG_PORTS[0]},127.0.0.1:${_PT_PG_PORTS[1]},127.0.0.1:${_PT_PG_PORTS[2]}/orders?targetServerType=primary"
  _pt_log "cluster up ($mode) in $((SECONDS - started)) s"
  printf 'PATRONI_JDBC_URL=%s\n' "$PATRONI_JDBC_URL"
}

# --- state -----------------------------------------------------------------------------------------------

_pt_body_patroni_primary() {
  local name role state port lag
  while read -r name role state port lag; do
    if [[ "$role" == leader && "$state" == running ]]; then
      printf '%s %s\n' "$name" "$port"
      return 0
    fi
  done <<<"$(_pt_members)"
  return 1
}

# One check of patroni_wait_healthy; prints why not, when not.
_pt_healthy_once() {
  local dir="$1" mode="$2" name role state port lag leaders=0 leader="" replicas=0 syncs=0 rep
  while read -r name role state port lag; do
    case "$role" in
      leader) [[ "$state" == running ]] && { leaders=$((leaders + 1)); leader="$name"; } ;;
      replica | sync_standby)
        [[ "$state" == running ]] && replicas=$((replicas + 1))
        [[ "$role" == sync_standby ]] && syncs=$((syncs + 1))
        ;;
    esac
  done <<<"$(_pt_members)"
  if ((leaders != 1 || replicas != 2)); then
    printf 'members: %s leader(s), %s running replica(s)\n' "$leaders" "$replicas"
    return 1
  fi
  if [[ "$mode" == sync ]] && ((syncs < 1)); then
    printf 'no synchronous standby in the DCS yet\n'
    return 1
  fi
  # Patroni's "running" says nothing of replication: ask the leader itself.
  rep="$(_pt_admin_sql "$dir" "$leader" "select count(*) filter (where state = 'streaming'), count(*) filter (where sync_state = 'sync') from pg_stat_replication where not pg_is_in_recovery()")"
  if [[ "$rep" != 2\|* ]]; then
    printf 'leader %s streams to %s replica(s)\n' "$leader" "${rep%%|*}"
    return 1
  fi
  if [[ "$mode" == sync && "${rep#*|}" == 0 ]]; then
    printf 'leader %s has no synchronous standby in pg_stat_replication\n' "$leader"
    return 1
  fi
  return 0
}

_pt_body_patroni_wait_healthy() {
  local timeout="${1:-90}" dir mode deadline why="" last="" t0
  dir="$(_pt_dir)" || return 1
  mode="$(cat "$dir/mode")"
  [[ "$timeout" =~ ^[0-9]+$ ]] || { _pt_log "usage: patroni_wait_healthy TIMEOUT_SECONDS"; return 2; }
  t0=$(_pt_now_ms)
  deadline=$((SECONDS + timeout))
  while :; do
    if why="$(_pt_healthy_once "$dir" "$mode")"; then
      _pt_log "healthy after $(($(_pt_now_ms) - t0)) ms: $(patroni_primary | cut -d' ' -f1) leads, 2 replicas streaming ($mode)"
      return 0
    fi
    [[ "$why" != "$last" ]] && _pt_log "waiting: ${why:-no REST API answers}"
    last="$why"
    ((SECONDS >= deadline)) && break
    sleep 0.5
  done
  _pt_log "ERROR: not healthy within $timeout s: ${why:-no REST API answers}"
  return 1
}

_pt_body_patroni_psql() {
  local node port bindir args=() sql
  bindir="$(_pt_bindir)" || return 1
  read -r node port < <(patroni_primary) || { _pt_log "ERROR: no leader"; return 1; }
  [[ -n "${node:-}" ]] || { _pt_log "ERROR: no leader"; return 1; }
  for sql in "$@"; do args+=(-c "$sql"); done
  ((${#args[@]} > 0)) || args=(-f -)
  PGPASSWORD=orders PGCONNECT_TIMEOUT=3 "$bindir/psql" -X -q -At -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$port" \
    -U orders -d orders "${args[@]}"
}

# --- faults ----------------------------------------------------------------------------------------------

_pt_body_patroni_kill_primary() {
  local dir node port pid
  dir="$(_pt_dir)" || return 1
  read -r node port < <(patroni_primary) || true
  [[ -n "${node:-}" ]] || { _pt_log "ERROR: no leader to kill"; return 1; }
  pid="$(_pt_postmaster_pid "$dir" "$node")" || { _pt_log "ERROR: $node has no running postmaster"; return 1; }
  kill -KILL "$pid" || { _pt_log "ERROR: kill -9 $pid failed"; return 1; }
  PATRONI_KILLED_AT_MS=$(_pt_now_ms)
  PATRONI_KILLED_NODE=$node
  export PATRONI_KILLED_AT_MS PATRONI_KILLED_NODE
  printf 'killed %s (postmaster %s, port %s) at %s\n' "$node" "$pid" "$port" "$(date -d "@${PATRONI_KILLED_AT_MS:0:-3}.${PATRONI_KILLED_AT_MS: -3}" '+%H:%M:%S.%3N')"
}

# Sleeps SECONDS in a way patroni_down can cut short (it kills the sleep listed in DIR).
_pt_timed_sleep() {
  local dir="$1" secs="$2" tag="$3" pid
  sleep "$secs" &
  pid=$!
  printf '%s\n' "$pid" >"$dir/sleep.$tag.$pid"
  wait "$pid" 2>/dev/null
  rm -f "$dir/sleep.$tag.$pid"
}

# Resumes the pids in DIR/frozen.TAG and forgets them.
_pt_thaw() {
  local file="$1" pid
  [[ -f "$file" ]] || return 0
  # shellcheck disable=SC2013 # one pid a line
  for pid in $(cat "$file"); do kill -CONT "$pid" 2>/dev/null; done
  rm -f "$file"
}

_pt_body_patroni_freeze_primary() {
  local secs="${1:-}" dir node port pm ppid patroni_pid pids=() kids tag
  [[ "$secs" =~ ^[0-9]+$ ]] || { _pt_log "usage: patroni_freeze_primary SECONDS"; return 2; }
  dir="$(_pt_dir)" || return 1
  read -r node port < <(patroni_primary) || true
  [[ -n "${node:-}" ]] || { _pt_log "ERROR: no leader to freeze"; return 1; }
  pm="$(_pt_postmaster_pid "$dir" "$node")" || { _pt_log "ERROR: $node has no running postmaster"; return 1; }
  patroni_pid="$(cat "$dir/$node.pid" 2>/dev/null)"
  tag="freeze.$BASHPID"
  # Listed before the first SIGSTOP, so that patroni_down resumes them even if we are killed midway.
  # The postmaster first: once stopped it forks no new child, so the list of children is complete.
  kill -STOP "$pm" || { _pt_log "ERROR: kill -STOP $pm failed"; return 1; }
  pids+=("$pm")
  printf '%s\n' "$pm" >"$dir/frozen.$tag"
  # shellcheck disable=SC2207 # pids are words
  kids=($(ps -o pid= --ppid "$pm"))
  if ((${#kids[@]} > 0)); then
    printf '%s\n' "${kids[@]}" >>"$dir/frozen.$tag"
    kill -STOP "${kids[@]}" 2>/dev/null
    pids+=("${kids[@]}")
  fi
  if _pt_alive "$patroni_pid"; then
    # runuser, Patroni's parent, stops itself when it sees its child stop: it gets its SIGCONT too.
    ppid="$(ps -o ppid= -p "$patroni_pid" | tr -d ' ')"
    printf '%s\n' "$patroni_pid" ${ppid:+"$ppid"} >>"$dir/frozen.$tag"
    kill -STOP "$patroni_pid"
    pids+=("$patroni_pid")
  fi
  printf 'froze %s (postmaster %s, %s children, patroni %s) for %s s at %s\n' "$node" "$pm" "${#kids[@]}" \
    "${patroni_pid:-?}" "$secs" "$(date '+%H:%M:%S.%3N')"
  _pt_timed_sleep "$dir" "$secs" "$tag"
  _pt_thaw "$dir/frozen.$tag"
  printf 'resumed %s at %s\n' "$node" "$(date '+%H:%M:%S.%3N')"
}

_pt_body_patroni_lag_replicas() {
  local secs="${1:-}" dir leader port name pm wr pids=() tag
  [[ "$secs" =~ ^[0-9]+$ ]] || { _pt_log "usage: patroni_lag_replicas SECONDS"; return 2; }
  dir="$(_pt_dir)" || return 1
  read -r leader port < <(patroni_primary) || true
  [[ -n "${leader:-}" ]] || { _pt_log "ERROR: no leader"; return 1; }
  [[ "$(cat "$dir/mode")" == async ]] || _pt_log "warning: sync mode: the synchronous standby's stall stalls every commit"
  tag="lag.$BASHPID"
  : >"$dir/frozen.$tag"
  for name in "${_PT_NODES[@]}"; do
    [[ "$name" == "$leader" ]] && continue
    pm="$(_pt_postmaster_pid "$dir" "$name")" || { _pt_log "warning: $name has no postmaster"; continue; }
    wr="$(ps -o pid=,args= --ppid "$pm" | awk '/walreceiver/ {print $1; exit}')"
    [[ -n "$wr" ]] || { _pt_log "warning: $name has no walreceiver"; continue; }
    printf '%s\n' "$wr" >>"$dir/frozen.$tag"
    kill -STOP "$wr" && pids+=("$name:$wr")
  done
  if ((${#pids[@]} == 0)); then
    rm -f "$dir/frozen.$tag"
    _pt_log "ERROR: no walreceiver to stop"
    return 1
  fi
  printf 'stopped walreceivers %s for %s s at %s\n' "${pids[*]}" "$secs" "$(date '+%H:%M:%S.%3N')"
  _pt_timed_sleep "$dir" "$secs" "$tag"
  _pt_thaw "$dir/frozen.$tag"
  printf 'resumed walreceivers at %s\n' "$(date '+%H:%M:%S.%3N')"
}

_pt_body_patroni_switchover() {
  local dir mode leader port name role state lag candidate="" t0 deadline new i body
  dir="$(_pt_dir)" || return 1
  mode="$(cat "$dir/mode")"
  read -r leader port < <(patroni_primary) || true
  [[ -n "${leader:-}" ]] || { _pt_log "ERROR: no leader"; return 1; }
  # In synchronous mode Patroni only hands over to the synchronous standby; otherwise the least lagging.
  while read -r name role state _ lag; do
    [[ "$name" == "$leader" || "$state" != running ]] && continue
    if [[ "$mode" == sync ]]; then
      [[ "$role" == sync_standby ]] && candidate="$name"
    elif [[ -z "$candidate" || "$lag" == 0 ]]; then
      candidate="$name"
    fi
  done <<<"$(_pt_members)"
  [[ -n "$candidate" ]] || { _pt_log "ERROR: no healthy replica to switch over to"; return 1; }
  i="$(_pt_node_index "$leader")"
  body="{\"leader\":\"$leader\",\"candidate\":\"$candidate\"}"
  t0=$(_pt_now_ms)
  if ! curl -fsS --max-time 30 -XPOST -H 'Content-Type: application/json' -d "$body" \
    "http://127.0.0.1:${_PT_API_PORTS[$i]}/switchover" >"$dir/switchover.out" 2>&1; then
    _pt_log "ERROR: switchover $leader -> $candidate refused: $(cat "$dir/switchover.out")"
    return 1
  fi
  deadline=$((SECONDS + 30))
  while ((SECONDS < deadline)); do
    read -r new _ < <(patroni_primary) || true
    if [[ "${new:-}" == "$candidate" ]] \
      && [[ "$(_pt_admin_sql "$dir" "$new" 'select pg_is_in_recovery()')" == f ]]; then
      printf 'switchover %s -> %s: new leader writable after %s ms\n' "$leader" "$new" "$(($(_pt_now_ms) - t0))"
      return 0
    fi
    sleep 0.1
  done
  _pt_log "ERROR: $candidate not a writable leader 30 s after the switchover"
  return 1
}

# --- stop ------------------------------------------------------------------------------------------------

# TERM, wait up to SECS, then KILL; pids that are gone are skipped.
_pt_stop_pids() {
  local secs="$1" pid t=0 alive
  shift
  for pid in "$@"; do _pt_alive "$pid" && kill -TERM "$pid" 2>/dev/null; done
  while ((t < secs * 10)); do
    alive=0
    for pid in "$@"; do _pt_alive "$pid" && alive=1; done
    ((alive == 0)) && return 0
    sleep 0.1
    t=$((t + 1))
  done
  for pid in "$@"; do
    if _pt_alive "$pid"; then
      _pt_log "pid $pid ignored SIGTERM for $secs s: SIGKILL"
      kill -KILL "$pid" 2>/dev/null
    fi
  done
}

_pt_body_patroni_down() {
  local dir="${1:-${PATRONI_DIR:-}}" f pid name pm pids=() kids=() t
  [[ -n "$dir" && -d "$dir" ]] || return 0
  if [[ ! -f "$dir/.patroni-lib" ]]; then
    _pt_log "ERROR: $dir was not made by patroni_up; not touching it"
    return 1
  fi
  # A blocked freeze/lag wakes up now, and nothing stays stopped: a stopped process ignores SIGTERM.
  for f in "$dir"/sleep.*; do
    [[ -f "$f" ]] && kill -TERM "$(cat "$f")" 2>/dev/null
  done
  for f in "$dir"/frozen.*; do _pt_thaw "$f"; done
  for name in "${_PT_NODES[@]}"; do
    pid="$(cat "$dir/$name.pid" 2>/dev/null)"
    [[ "$pid" =~ ^[0-9]+$ ]] && _pt_alive "$pid" && { kill -CONT "$pid" 2>/dev/null; pids+=("$pid"); }
    if pm="$(_pt_postmaster_pid "$dir" "$name")"; then
      # shellcheck disable=SC2046 # pids are words
      kill -CONT "$pm" $(ps -o pid= --ppid "$pm") 2>/dev/null
    fi
  done
  # Patroni stops its PostgreSQL on SIGTERM (a fast shutdown); 20 s covers a checkpoint on a busy node.
  ((${#pids[@]} > 0)) && _pt_stop_pids 20 "${pids[@]}"
  # Left over: a postmaster whose Patroni died first, or one Patroni could not stop in time.
  for name in "${_PT_NODES[@]}"; do
    if pm="$(_pt_postmaster_pid "$dir" "$name")"; then
      # shellcheck disable=SC2207 # pids are words
      kids=($(ps -o pid= --ppid "$pm"))
      kill -QUIT "$pm" 2>/dev/null # immediate shutdown: we throw the data away anyway
      t=0
      while _pt_alive "$pm" && ((t < 50)); do sleep 0.1; t=$((t + 1)); done
      kill -KILL "$pm" "${kids[@]}" 2>/dev/null
    fi
  done
  pid="$(cat "$dir/etcd.pid" 2>/dev/null)"
  [[ "$pid" =~ ^[0-9]+$ ]] && _pt_stop_pids 10 "$pid"
  # The data dirs are postgres's; we are root (or the files are ours), so this removes all of it.
  rm -rf "$dir" || { _pt_log "ERROR: cannot remove $dir"; return 1; }
  if [[ "${PATRONI_DIR:-}" == "$dir" ]]; then
    unset PATRONI_DIR PATRONI_MODE PATRONI_JDBC_URL
  fi
  _pt_log "cluster in $dir stopped and removed"
  return 0
}

# --- the public names ------------------------------------------------------------------------------------

# The suite runs with set -euo pipefail; a benign failure in here (a kill of a process that just exited)
# must not end it. Each public function runs with errexit and nounset off, and the caller's options come
# back afterwards, whatever it returns.
_pt_guard() {
  local opts=$- rc
  set +eu
  "$@"
  rc=$?
  [[ "$opts" == *e* ]] && set -e
  [[ "$opts" == *u* ]] && set -u
  return "$rc"
}
patroni_install() { _pt_guard _pt_body_patroni_install; }
patroni_up() { _pt_guard _pt_body_patroni_up "$@"; }
patroni_primary() { _pt_guard _pt_body_patroni_primary; }
patroni_wait_healthy() { _pt_guard _pt_body_patroni_wait_healthy "$@"; }
patroni_psql() { _pt_guard _pt_body_patroni_psql "$@"; }
patroni_kill_primary() { _pt_guard _pt_body_patroni_kill_primary; }
patroni_freeze_primary() { _pt_guard _pt_body_patroni_freeze_primary "$@"; }
patroni_lag_replicas() { _pt_guard _pt_body_patroni_lag_replicas "$@"; }
patroni_switchover() { _pt_guard _pt_body_patroni_switchover; }
patroni_down() { _pt_guard _pt_body_patroni_down "$@"; }
