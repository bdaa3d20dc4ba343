#!/usr/bin/env bash
# The fault suite; run it through loadtest/run-faults, not directly. See loadtest/README.md.
#
#   lib/faults.sh [--skip-build] [--scenarios=restart,freeze,...]
#
# Every scenario gets a fresh database (single server) or a fresh schema (Patroni) and a fresh service process
# (prod profile, bin/lib/jvm.options, pool 16); FaultLoad drives 48 same-key-retrying clients at ~150 creates/s:
# ~10 s of steady load, the fault, load until ~15 s after the first 201 following the fault's end. Then the
# service is stopped and FaultVerify checks the database against what the clients were told; FaultReport
# writes loadtest/target/faults/<time>/faults.md. PostgreSQL runs privately (initdb in a temp folder, port
# 56432, as the postgres user when root); Patroni through loadtest/lib/patroni.sh (ports 57300-57399). All
# of it is stopped and removed at exit. Loopback only; every wait is bounded.
set -euo pipefail

all_scenarios="restart,freeze,max-connections,lock,kill-service,two-instances,patroni-kill,patroni-freeze,patroni-switchover,sync-cost,patroni-async-lag"
skip_build=false
scenarios="$all_scenarios"
for arg in "$@"; do
  case "$arg" in
    --skip-build) skip_build=true ;;
    --scenarios=*) scenarios="${arg#--scenarios=}" ;;
    -h | --help)
      sed -n '2,12p' "$0"
      printf 'scenarios: %s\n' "$all_scenarios"
      exit 0
      ;;
    *) printf 'run-faults: unknown option %s (--skip-build, --scenarios=a,b)\n' "$arg" >&2; exit 2 ;;
  esac
done
for s in ${scenarios//,/ }; do
  [[ ",$all_scenarios," == *",$s,"* ]] || { printf 'run-faults: unknown scenario %s (known: %s)\n' "$s" "$all_scenarios" >&2; exit 2; }
done
# Run in the suite's order, whatever order they were asked in.
ordered=""
for s in ${all_scenarios//,/ }; do
  [[ ",$scenarios," == *",$s,"* ]] && ordered+="${ordered:+,}$s"
done
scenarios="$ordered"
want() { [[ ",$scenarios," == *",$1,"* ]]; }

cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/../.."
repo="$PWD"
# shellcheck source=../../bin/lib/db.sh
source bin/lib/db.sh
# shellcheck source=../../bin/lib/java.sh
source bin/lib/java.sh
unset QUARKUS_DATASOURCE_JDBC_URL QUARKUS_DATASOURCE_USERNAME QUARKUS_DATASOURCE_PASSWORD

suite_started=$SECONDS
stamp="$(date -u +%Y%m%d-%H%M%S)"
out="$repo/loadtest/target/faults/$stamp"
mkdir -p "$out"
log() { printf '[%s +%4ds] %s\n' "$(date -u +%H:%M:%S)" $((SECONDS - suite_started)) "$*" | tee -a "$out/suite.log" >&2; }
now_ms() { date +%s%3N; }

# Knobs (environment, for trying things out; the defaults are the suite's).
clients="${FAULTS_CLIENTS:-48}" rate="${FAULTS_RATE:-150}"
http_a=18280 mgmt_a=18290 http_b=18281 mgmt_b=18291
pg_port=56432

# --- what we start, and only that, is stopped on the way out ---------------------------------------------------
pids=()          # every process of ours still to stop
pg_tmp="" pg_data="" pg_bin="" pt_tmp=""
frozen_file=""   # postgres pids we stopped, to resume whatever happens
as_pg() {
  if [[ "$EUID" -eq 0 ]]; then (cd / && runuser -u postgres -- "$@"); else "$@"; fi
}
stop_pids() {
  local pid
  for pid in "$@"; do kill -0 "$pid" 2>/dev/null && kill -TERM "$pid" 2>/dev/null; done
  for pid in "$@"; do
    for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$pid" 2>/dev/null || true
  done
  return 0
}
thaw() {
  if [[ -n "$frozen_file" && -f "$frozen_file" ]]; then
    # shellcheck disable=SC2046
    kill -CONT $(cat "$frozen_file") 2>/dev/null || true
    rm -f "$frozen_file"
  fi
}
cleanup() {
  local rc=$?
  set +e
  thaw
  stop_pids "${pids[@]}"
  if [[ -n "$pt_tmp" ]]; then
    if declare -F patroni_down >/dev/null; then patroni_down "$pt_tmp/cluster" >/dev/null 2>&1; fi
    rm -rf "$pt_tmp"
  fi
  if [[ -n "$pg_data" && -f "$pg_data/postmaster.pid" ]]; then
    as_pg "$pg_bin/pg_ctl" -D "$pg_data" -m immediate -w -t 30 stop >/dev/null 2>&1
  fi
  [[ -n "$pg_tmp" ]] && rm -rf "$pg_tmp"
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

{
  printf 'started: %s\n' "$(date -u '+%Y-%m-%d %H:%M:%S UTC')"
  printf 'git: %s\n' "$(git rev-parse --short HEAD 2>/dev/null || echo unknown)$(git diff --quiet HEAD 2>/dev/null || echo ' (dirty)')"
  printf 'cpu: %s x %s\n' "$(nproc)" "$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ //')"
  printf 'load average at start: %s\n' "$(cut -d' ' -f1-3 /proc/loadavg)"
  printf 'scenarios: %s\n' "$scenarios"
  printf 'clients: %s, rate: %s/s\n' "$clients" "$rate"
} >"$out/machine.txt"
log "fault suite: $scenarios; results in $out"

# --- build what is stale ----------------------------------------------------------------------------------------
# shellcheck source=build.sh
source loadtest/lib/build.sh
build_stale "$skip_build" || exit 2
tool() { "$ORDERS_JAVA" -XX:+UseSerialGC -Xmx512m -XX:TieredStopAtLevel=1 -cp "$cp_bench" "$@"; }
driver() { "$ORDERS_JAVA" -XX:+UseSerialGC -Xmx512m -cp "$cp_bench" "$@"; }

mapfile -t jvm_options < <(grep -Ev '^[[:space:]]*(#|$)' bin/lib/jvm.options)
# shellcheck source=../../bin/lib/ready.sh
source bin/lib/ready.sh
# shellcheck source=../../bin/lib/appcds.sh
source bin/lib/appcds.sh
export ORDERS_ADMIN_TOKEN
ORDERS_ADMIN_TOKEN="faults-$(od -An -N24 -tx1 /dev/urandom | tr -d ' \n')"
order_key="$(od -An -N16 -tx1 /dev/urandom | tr -d ' \n')"
export PGPASSWORD=orders PGCONNECT_TIMEOUT=3

# --- the private PostgreSQL ---------------------------------------------------------------------------------------
pg_start_private() {
  pg_bin="$(_db_newest_bindir)"
  if [[ -z "$pg_bin" ]]; then
    (_db_install_server) || { log "no PostgreSQL server and it could not be installed"; return 1; }
    pg_bin="$(_db_newest_bindir)"
  fi
  if [[ -n "$(ss -Hltn "sport = :$pg_port" 2>/dev/null)" ]]; then
    log "port $pg_port is in use: another private server? Not touching it."
    return 1
  fi
  pg_tmp="$(mktemp -d /tmp/faults-pg.XXXXXX)"
  chmod 755 "$pg_tmp"
  [[ "$EUID" -eq 0 ]] && chown postgres:postgres "$pg_tmp"
  pg_data="$pg_tmp/data"
  as_pg "$pg_bin/initdb" -D "$pg_data" -U postgres --auth-local=trust --auth-host=scram-sha-256 -E UTF8 \
    --locale=C >"$out/initdb.log" 2>&1 || { log "initdb failed: $(tail -3 "$out/initdb.log")"; return 1; }
  cat >>"$pg_data/postgresql.conf" <<EOF
port = $pg_port
listen_addresses = '127.0.0.1'
unix_socket_directories = '$pg_tmp'
max_connections = 100
fsync = on
synchronous_commit = on
EOF
  as_pg "$pg_bin/pg_ctl" -D "$pg_data" -l "$pg_tmp/postgresql.log" -w -t 60 start >/dev/null \
    || { log "PostgreSQL did not start: $(tail -5 "$pg_tmp/postgresql.log")"; return 1; }
  pg_admin "CREATE ROLE orders LOGIN PASSWORD 'orders'" >/dev/null
  log "private PostgreSQL $("$pg_bin/postgres" --version | awk '{print $3}') on 127.0.0.1:$pg_port, data in $pg_data"
}
pg_admin() { as_pg "$pg_bin/psql" -X -q -At -v ON_ERROR_STOP=1 -h "$pg_tmp" -p "$pg_port" -U postgres -d postgres -c "$1"; }
pg_fresh_db() {
  pg_admin "DROP DATABASE IF EXISTS $1 WITH (FORCE)" >/dev/null 2>&1
  pg_admin "CREATE DATABASE $1 OWNER orders" >/dev/null
  db_url="jdbc:postgresql://127.0.0.1:$pg_port/$1"
}
pg_ctl_() { as_pg "$pg_bin/pg_ctl" -D "$pg_data" -l "$pg_tmp/postgresql.log" "$@"; }
pg_running() { as_pg "$pg_bin/pg_ctl" -D "$pg_data" status >/dev/null 2>&1; }

# --- the service --------------------------------------------------------------------------------------------------
# start_service NAME JDBC_URL HTTP MGMT: the packaged jar, prod profile, jvm.options (and its class-data archive
# when bin/run or the suite made one); sets service_pid.
start_service() {
  local name="$1" url="$2" http="$3" mgmt="$4"
  ORDERS_ORDER_NUMBER_KEY="$order_key" ORDERS_ORDER_NUMBER_DIGITS=8 \
    QUARKUS_DATASOURCE_JDBC_URL="$url" QUARKUS_HTTP_PORT="$http" QUARKUS_MANAGEMENT_PORT="$mgmt" \
    "$ORDERS_JAVA" "${jvm_options[@]}" "$(appcds_option "$jar")" -jar "$jar" >"$sdir/service-$name.log" 2>&1 &
  service_pid=$!
  pids+=("$service_pid")
}
wait_ready() {
  local name="$1" pid="$2" mgmt="$3" t0
  t0=$(now_ms)
  if await_ready "$mgmt" "$pid" 120 0.1; then
    log "service $name (pid $pid) ready in $(($(now_ms) - t0)) ms"
    return 0
  fi
  if ! kill -0 "$pid" 2>/dev/null; then
    log "service $name died; last lines of its log:"
    tail -15 "$sdir/service-$name.log" >&2
  else
    log "service $name not ready within 120 s"
  fi
  return 1
}
start_ready() { start_service "$@" && wait_ready "$1" "$service_pid" "$4"; }
# One dispensary and its storefront key (the shape of suite.sh's tenants): sets dispensary, api_key.
tenant() {
  local base="$1" auth="Authorization: Bearer $ORDERS_ADMIN_TOKEN"
  dispensary=faults-1
  curl -fsS --max-time 10 -o /dev/null -X PUT "$base/admin/dispensaries/$dispensary" -H "$auth" \
    -H 'Content-Type: application/json' -d '{"name": "Fault suite", "timezone": "America/Los_Angeles",
      "fulfillment": ["PICKUP", "DELIVERY"], "minimumAge": 21, "purchaseLimits": {"RECREATIONAL":
      {"flowerGrams": 28.35, "concentrateGrams": 8, "edibleThcMg": 100}}}'
  api_key="$(curl -fsS --max-time 10 -X POST "$base/admin/api-keys" -H "$auth" -H 'Content-Type: application/json' \
    -d '{"role": "STOREFRONT", "dispensaryId": "'"$dispensary"'"}' | sed -n 's/.*"apiKey":"\([^"]*\)".*/\1/p')"
  [[ -n "$api_key" ]]
}

# --- one scenario's frame ---------------------------------------------------------------------------------------
# mark EVENT: epoch ms, the event, and the service log lines so far (all of this scenario's service logs).
mark() {
  local lines created snap="$sdir/.logs-snapshot"
  # One snapshot for both counts: counted apart, the logs grew in between and the difference went negative.
  cat "$sdir"/service-*.log >"$snap" 2>/dev/null || true
  lines="$(wc -l <"$snap")"
  created="$(grep -c ' Created order ' "$snap" || true)"
  rm -f "$snap"
  printf '%s\t%s\t%s\t%s\n' "$(now_ms)" "$1" "$lines" "${created:-0}" >>"$sdir/events.tsv"
  log "$scenario: $1"
}
# start_load TARGETS HEALTH: FaultLoad in the background; sets load_pid. First 5 s of warm-up on every target
# (8 clients, 50/s, not measured; FaultVerify still checks its orders): a JVM just started runs interpreted
# code, and its first requests took 2.5 s in one run, which is the start-up's cost, not the fault's.
start_load() {
  rm -f "$sdir/stop"
  driver io.dispensary.orders.loadtest.FaultLoad --targets="$1" --api-key="$api_key" --dispensary="$dispensary" \
    --clients=8 --rate=50 --stop-file="$sdir/warmup/stop" --max-seconds=5 --drain-seconds=10 \
    --out="$sdir/warmup" >"$sdir/warmup.log" 2>&1
  driver io.dispensary.orders.loadtest.FaultLoad --targets="$1" --health="$2" --api-key="$api_key" \
    --dispensary="$dispensary" --clients="$clients" --rate="$rate" --stop-file="$sdir/stop" --max-seconds=400 \
    --out="$sdir" >"$sdir/load.log" 2>&1 &
  load_pid=$!
  pids+=("$load_pid")
  mark load_start
  cut -d' ' -f1-3 /proc/loadavg >"$sdir/loadavg"
}
# after_recovery SECONDS: waits (at most 90 s) for a 201 answered after the last mark, then SECONDS more.
after_recovery() {
  local since last=0 deadline=$((SECONDS + 90))
  since="$(tail -1 "$sdir/events.tsv" | cut -f1)"
  while ((SECONDS < deadline)); do
    last="$(cat "$sdir/last-201.ms" 2>/dev/null || echo 0)"
    ((${last:-0} > since)) && break
    sleep 0.25
  done
  if ((${last:-0} <= since)); then log "$scenario: no 201 within 90 s of the fault's end"; fi
  sleep "$1"
}
stop_load() {
  mark load_stop
  touch "$sdir/stop"
  # The driver bounds its own drain (65 s: a 30 s retry budget plus a 30 s client timeout); 100 s is a backstop.
  for _ in $(seq 1 1000); do kill -0 "$load_pid" 2>/dev/null || break; sleep 0.1; done
  kill -KILL "$load_pid" 2>/dev/null || true
  wait "$load_pid" 2>/dev/null || true
  log "$scenario: $(cat "$sdir/load-summary.txt" 2>/dev/null || echo 'the driver wrote no summary')"
}
verify() {
  local url="$1" sync="$2"
  tool io.dispensary.orders.loadtest.FaultVerify --dir="$sdir" --scenario="$scenario" --jdbc="$url" \
    --key="$order_key" --digits=8 --sync="$sync" >"$sdir/verify.log" 2>&1 \
    || { log "$scenario: the verifier failed: $(tail -3 "$sdir/verify.log")"; return 1; }
  log "$scenario: $(grep -E '^(orders by outcome|acknowledged but missing|ghosts)' "$sdir/verify.txt" | tr '\n' ';' | cut -c1-300)"
}
# run_scenario NAME: runs scenario_NAME in a subshell of its own, so that one that breaks is reported and the
# suite goes on; the subshell stops what it started (services, driver, outside sessions) and resumes PostgreSQL.
broken=()
run_scenario() {
  scenario="$1"
  sdir="$out/$scenario"
  mkdir -p "$sdir"
  : >"$sdir/events.tsv"
  local rc=0 t0=$SECONDS
  log "=== $scenario"
  set +e
  (
    set -e
    pids=()
    frozen_file="$sdir/frozen.pids"
    scenario_cleanup() {
      set +e
      thaw
      stop_pids "${pids[@]}"
      if [[ -n "$pg_data" ]] && ! pg_running; then pg_ctl_ -w -t 60 start >/dev/null 2>&1; fi
    }
    trap scenario_cleanup EXIT
    trap 'exit 130' INT
    trap 'exit 143' TERM
    "scenario_${scenario//-/_}"
  ) 2>&1 | tee -a "$sdir/scenario.log" >&2
  rc=${PIPESTATUS[0]}
  set -e
  if ((rc != 0)); then
    broken+=("$scenario")
    log "$scenario BROKE (exit $rc); see $sdir/scenario.log"
  fi
  log "$scenario took $((SECONDS - t0)) s"
}

# single_setup DB [second]: fresh database, fresh service a (and b), the tenant.
single_setup() {
  pg_fresh_db "$1"
  start_ready a "$db_url" "$http_a" "$mgmt_a"
  if [[ "${2:-}" == second ]]; then start_ready b "$db_url" "$http_b" "$mgmt_b"; fi
  tenant "http://127.0.0.1:$http_a"
}
a_url="http://127.0.0.1:$http_a" a_health="http://127.0.0.1:$mgmt_a/q/health/ready"
b_url="http://127.0.0.1:$http_b" b_health="http://127.0.0.1:$mgmt_b/q/health/ready"
finish_single() {
  stop_pids "${pids[@]}"
  verify "$db_url" true
}

# --- single-server scenarios --------------------------------------------------------------------------------------
scenario_restart() {
  single_setup fault_restart
  start_load "$a_url" "$a_health"
  sleep 10
  mark fault_start
  pg_ctl_ -m fast -w -t 60 stop >/dev/null
  sleep 10
  pg_ctl_ -w -t 60 start >/dev/null
  mark fault_end
  after_recovery 15
  stop_load
  finish_single
}

scenario_freeze() {
  local pm kids
  single_setup fault_freeze
  start_load "$a_url" "$a_health"
  sleep 10
  pm="$(head -1 "$pg_data/postmaster.pid")"
  mark fault_start
  # The postmaster first: stopped, it forks no new backend, so the list of its children is complete.
  printf '%s\n' "$pm" >"$frozen_file"
  kill -STOP "$pm"
  kids="$(ps -o pid= --ppid "$pm" | tr '\n' ' ')"
  printf '%s\n' $kids >>"$frozen_file"
  # shellcheck disable=SC2086
  kill -STOP $kids
  sleep 20
  thaw
  mark fault_end
  after_recovery 15
  stop_load
  finish_single
}

scenario_max_connections() {
  single_setup fault_maxconn
  start_load "$a_url" "$a_health"
  sleep 10
  mark fault_start
  tool io.dispensary.orders.loadtest.ConnectionHog --jdbc="$db_url" --seconds=10 >"$sdir/hog.log" 2>&1
  mark fault_end
  log "$scenario: $(cat "$sdir/hog.log")"
  after_recovery 15
  stop_load
  finish_single
}

scenario_lock() {
  single_setup fault_lock
  start_load "$a_url" "$a_health"
  sleep 10
  mark fault_start
  "$pg_bin/psql" -X -q -At -h 127.0.0.1 -p "$pg_port" -U orders -d fault_lock \
    -c "BEGIN; LOCK TABLE customer_order IN ACCESS EXCLUSIVE MODE; SELECT pg_sleep(15); COMMIT;" >/dev/null
  mark fault_end
  after_recovery 15
  stop_load
  finish_single
}

scenario_kill_service() {
  local i
  single_setup fault_killsvc
  start_load "$a_url" "$a_health"
  sleep 10
  for i in 1 2 3; do
    mark fault_start
    kill -KILL "$service_pid"
    wait "$service_pid" 2>/dev/null || true
    start_ready "a-$((i + 1))" "$db_url" "$http_a" "$mgmt_a"
    mark fault_end
    if ((i < 3)); then after_recovery 8; fi
  done
  after_recovery 15
  stop_load
  finish_single
}

scenario_two_instances() {
  local b_pid
  single_setup fault_two second
  b_pid=$service_pid
  start_load "$a_url,$b_url" "$a_health,$b_health"
  sleep 10
  mark fault_start
  mark recovery_ref
  kill -KILL "$b_pid"
  # The kill is instantaneous; its window is the 10 s after it, while the clients move to instance a.
  sleep 10
  mark fault_end
  after_recovery 5
  stop_load
  finish_single
}

# --- Patroni ------------------------------------------------------------------------------------------------------
pt_loaded=false
pt_up() {
  local mode="$1"
  if [[ "$pt_loaded" == false ]]; then
    # FAULTS_PATRONI_LIB: another copy of the library, to try one not merged yet.
    local lib="${FAULTS_PATRONI_LIB:-$repo/loadtest/lib/patroni.sh}"
    [[ -f "$lib" ]] || { log "no $lib: the Patroni scenarios need it"; return 1; }
    # shellcheck source=patroni.sh
    source "$lib"
    pt_loaded=true
    patroni_install >>"$out/patroni.log" 2>&1 || { log "patroni_install failed: $(tail -5 "$out/patroni.log")"; return 1; }
  fi
  if [[ -n "${PATRONI_DIR:-}" ]]; then
    [[ "$(cat "$PATRONI_DIR/mode" 2>/dev/null)" == "$mode" ]] && return 0
    patroni_down >>"$out/patroni.log" 2>&1
  fi
  if [[ -z "$pt_tmp" ]]; then
    pt_tmp="$(mktemp -d /tmp/faults-pt.XXXXXX)"
    chmod 755 "$pt_tmp"
  fi
  # Ports 57300-57399 lie in Linux's ephemeral range (32768-60999): right after the throughput search's
  # thousands of connections, a client socket still held 57308 and Patroni's REST API could not bind it. Wait
  # (at most 90 s: TIME_WAIT lasts 60 s) until no socket of any state uses them, and try a second time.
  local t try
  for try in 1 2; do
    t=$((SECONDS + 90))
    while ((SECONDS < t)) && ss -Htan 2>/dev/null | awk '{n = split($4, a, ":"); p = a[n] + 0; if (p >= 57300 && p <= 57399) f = 1} END {exit !f}'; do
      sleep 1
    done
    log "Patroni: a 3-node $mode cluster (try $try)"
    if patroni_up "$pt_tmp/cluster" "$mode" >>"$out/patroni.log" 2>&1; then
      break
    fi
    log "patroni_up failed: $(grep -m1 -E 'ERROR|Error' "$out/patroni.log" | tail -1)"
    ((try == 2)) && return 1
  done
  log "Patroni: $PATRONI_JDBC_URL, leader $(patroni_primary)"
}
# pt_setup: a healthy cluster, a fresh schema, a fresh service, the tenant.
pt_setup() {
  patroni_wait_healthy 120 >>"$out/patroni.log" 2>&1
  patroni_psql "DROP SCHEMA public CASCADE" "CREATE SCHEMA public" >/dev/null 2>>"$out/patroni.log"
  db_url="$PATRONI_JDBC_URL"
  start_ready a "$db_url" "$http_a" "$mgmt_a"
  tenant "$a_url"
}
# wait_new_primary OLD SECONDS [any]: until a leader other than OLD accepts writes (0) or the time is up (1).
# With "any", OLD counts too: after a kill -9 with no replica fit to take over (async, lag past
# maximum_lag_on_failover) Patroni restarts the old primary in place, and its fault ends when it takes writes.
wait_new_primary() {
  local old="$1" deadline=$((SECONDS + $2)) any="${3:-}" node port bin
  bin="${pg_bin:-$(_db_newest_bindir)}"
  while ((SECONDS < deadline)); do
    node="" port=""
    read -r node port < <(patroni_primary 2>/dev/null) || true
    if [[ -n "$node" && ( "$node" != "$old" || "$any" == any ) ]] \
      && [[ "$(timeout 3 "$bin/psql" -X -At -h 127.0.0.1 -p "$port" -U orders -d orders -c 'select pg_is_in_recovery()' 2>/dev/null)" == f ]]; then
      if [[ "$node" == "$old" ]]; then
        log "$scenario: $node ($port) was restarted in place and takes writes again (no failover)"
      else
        log "$scenario: $node ($port) is the new writable primary"
      fi
      return 0
    fi
    sleep 0.2
  done
  return 1
}
finish_pt() {
  local sync="$1"
  stop_pids "${pids[@]}"
  patroni_wait_healthy 120 >>"$out/patroni.log" 2>&1 || log "$scenario: the cluster is not healthy again within 120 s"
  verify "$PATRONI_JDBC_URL" "$sync"
}

scenario_patroni_kill() {
  local old
  pt_setup
  start_load "$a_url" "$a_health"
  sleep 10
  old="$(patroni_primary | cut -d' ' -f1)"
  mark fault_start
  mark recovery_ref
  patroni_kill_primary >>"$sdir/scenario.log"
  wait_new_primary "$old" 90 any || log "$scenario: no writable primary within 90 s"
  mark fault_end
  after_recovery 15
  stop_load
  finish_pt true
}

scenario_patroni_freeze() {
  local old fpid ended=false
  pt_setup
  start_load "$a_url" "$a_health"
  sleep 10
  old="$(patroni_primary | cut -d' ' -f1)"
  mark fault_start
  patroni_freeze_primary 25 >>"$sdir/scenario.log" 2>&1 &
  fpid=$!
  pids+=("$fpid")
  # The fault ends when a new primary takes writes, or when the old one is resumed, whichever comes first.
  while kill -0 "$fpid" 2>/dev/null; do
    if wait_new_primary "$old" 1; then
      mark fault_end
      ended=true
      break
    fi
  done
  wait "$fpid" 2>/dev/null || true
  [[ "$ended" == true ]] || mark fault_end
  after_recovery 15
  stop_load
  finish_pt true
}

scenario_patroni_switchover() {
  pt_setup
  start_load "$a_url" "$a_health"
  sleep 10
  mark fault_start
  patroni_switchover >>"$sdir/scenario.log" 2>&1
  mark fault_end
  after_recovery 15
  stop_load
  finish_pt true
}

scenario_patroni_async_lag() {
  local old lpid
  pt_setup
  start_load "$a_url" "$a_health"
  sleep 10
  old="$(patroni_primary | cut -d' ' -f1)"
  # Kill 2 s into a 12 s lag, so the promotion happens while the walreceivers are still stopped: with 6 s and
  # a kill 3 s in, they resumed before the promotion, read the WAL waiting in their sockets, and nothing was
  # lost; 4 s in, the service's WAL (~2 kB an order) put every replica past maximum_lag_on_failover (1 MiB),
  # so Patroni restarted the old primary in place, and nothing was lost either.
  patroni_lag_replicas 12 >>"$sdir/scenario.log" 2>&1 &
  lpid=$!
  pids+=("$lpid")
  sleep 2
  mark fault_start
  mark recovery_ref
  patroni_kill_primary >>"$sdir/scenario.log"
  wait_new_primary "$old" 90 any || log "$scenario: no writable primary within 90 s"
  mark fault_end
  wait "$lpid" 2>/dev/null || true
  after_recovery 15
  stop_load
  finish_pt false
}

# --- the cost of synchronous commit: the same search on the single server and on the sync cluster ------------------
cost_search() {
  local which="$1"
  mkdir -p "$out/sync-cost"
  local la
  la="$(cut -d' ' -f1-3 /proc/loadavg)"
  driver io.dispensary.orders.loadtest.OpenLoad --mode=fixed --targets="$a_url" --api-key="$api_key" \
    --dispensary="$dispensary" --rate=100 --seconds=5 --out="$out/sync-cost/$which-warmup" >/dev/null 2>&1
  driver io.dispensary.orders.loadtest.OpenLoad --mode=search --targets="$a_url" --api-key="$api_key" \
    --dispensary="$dispensary" --pid="$service_pid" --start-rate=150 --factor=1.6 --step-seconds=4 \
    --bisections=1 --max-steps=8 --warmup-seconds=0 --confirm-seconds=0 --half-seconds=4 --settle-seconds=2 \
    --out="$out/sync-cost/$which" >"$out/sync-cost/$which.log" 2>&1
  printf 'loadavg=%s\n' "$la" >>"$out/sync-cost/$which.properties"
  log "sync-cost $which: $(grep -E '^(max_rate|max_rate_p99_ms|half_rate_p99_ms)=' "$out/sync-cost/$which.properties" | tr '\n' ' ')"
}
scenario_sync_cost_single() {
  single_setup fault_cost
  cost_search single
}
scenario_sync_cost_sync() {
  pt_setup
  cost_search sync
}

# --- the run ------------------------------------------------------------------------------------------------------
single_list="restart freeze max-connections lock kill-service two-instances"
need_single=false
for s in $single_list; do want "$s" && need_single=true; done
want sync-cost && need_single=true
if [[ "$need_single" == true ]]; then pg_start_private; fi
for s in $single_list; do want "$s" && run_scenario "$s"; done
if want sync-cost; then run_scenario sync-cost-single; fi
if [[ -n "$pg_data" ]]; then
  # Not needed any more: its CPU and memory go to the cluster.
  pg_ctl_ -m fast -w -t 60 stop >/dev/null 2>&1 || true
fi
if want patroni-kill || want patroni-freeze || want patroni-switchover || want sync-cost; then
  if pt_up sync; then
    for s in patroni-kill patroni-freeze patroni-switchover; do want "$s" && run_scenario "$s"; done
    if want sync-cost; then run_scenario sync-cost-sync; fi
  else
    for s in patroni-kill patroni-freeze patroni-switchover sync-cost; do want "$s" && broken+=("$s"); done
  fi
fi
if want patroni-async-lag; then
  if pt_up async; then run_scenario patroni-async-lag; else broken+=(patroni-async-lag); fi
fi
if [[ -n "${PATRONI_DIR:-}" ]]; then patroni_down >>"$out/patroni.log" 2>&1 || true; fi

report_rc=0
tool io.dispensary.orders.loadtest.FaultReport --dir="$out" --scenarios="$scenarios" \
  --title="$(date -u '+%Y-%m-%d %H:%M UTC'), git $(git rev-parse --short HEAD 2>/dev/null || echo unknown), $((SECONDS - suite_started)) s" \
  || report_rc=$?
log "report: $out/faults.md (suite took $((SECONDS - suite_started)) s)"
if ((${#broken[@]} > 0)); then
  log "broken scenarios: ${broken[*]}"
  exit 2
fi
exit "$report_rc"
