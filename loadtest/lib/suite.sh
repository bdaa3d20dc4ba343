#!/usr/bin/env bash
# The load-test suite; run it through loadtest/run-quick or loadtest/run-full, not directly.
#
#   lib/suite.sh quick|full [--skip-build] [--steps=storefront,throughput,closed,fill,multi,webhooks,rollout]
#                [--webhooks-pairs=N] [--webhooks-seconds=S] [--webhooks-rate=R]
#                [--rollout-pairs=N] [--rollout-warm-seconds=S] [--rollout-rate=R] [--rollout-steady=N]
#                [--closed-rounds=N] [--closed-seconds=S] [--closed-warmup=S]
#                [--compare=REV] [--compare-rounds=N] [--compare-seconds=S] [--compare-warmup=S]
#
# Steps, each against its own fresh database (orders_bench, orders_fill, orders_multi, orders_pgbench,
# orders_webhooks, orders_rollout, all owned by the dev role `orders`, never the tests' or bin/run's):
#   1. start-up      the packaged service (prod profile, JVM mode, with its class-data archive as bin/run
#                    makes it): time from exec to the first 200 on /q/health/ready, and Quarkus's own
#                    "started in" line; the full mode also starts it twice without the archive, for reference
#   2. storefront    Gatling: create, get, list, staff test orders, open model; asserts p99 and failures
#   3. throughput    the highest create-order rate within the SLO, half that rate, RSS; pgbench's TPS for the
#                    same writes at the same client count, in the same run
#   3a. closed       a closed loop beside pgbench: wrk (2 threads, as many connections as the pool) sends
#                    create-orders back to back, each a new order; pgbench's same transaction with as many
#                    clients; the floor (loadtest/floor: the same body parsed and the same rows written in one
#                    statement, on the same stack) under the same wrk; interleaved rounds after a warm-up, the
#                    ratios taken within each round
#   3c. compare      only with --steps=...,compare --compare=REV: this build against REV's, both on one database,
#                    wrk's closed loop in interleaved rounds after a warm-up each; the ratio within each round
#   4. fill          create-order cost at 0/50/90/99/99.9% of a 6-digit space: FF1 path vs random+retry
#   5. multi         two instances on one database under concurrent load: no duplicates, stored = 201s
#   5b. webhooks     storefront create p99 in rounds a b a b: (a) no subscription, (b) every order fans out to a
#                    receiver on loopback with a backlog of 1,000+ events draining; delivery lag; every event
#                    delivered (the admin summaries add up)
#   5c. rollout      what a pod's first traffic sees: fresh starts (the pods' way: prod profile, class-data
#                    archive), each offered creates and reads at a fixed rate the moment it turns ready; p50 and
#                    p99 of the first 500 creates against the same run's steady state, in pairs with the warm-up
#                    before readiness off and on (ORDERS_WARMUP_ENABLED), and the start-to-ready of each
#   6. summary       results.md with every figure and each target met or missed
# Everything lands in loadtest/target/results/<mode>-<time>/; the full mode also copies the figures to
# loadtest/results/ (committed, cited by loadtest/RESULTS.md).
set -euo pipefail

mode="${1:-}"
shift || true
case "$mode" in
  quick | full) ;;
  *)
    printf 'usage: %s quick|full [--skip-build]\n' "$0" >&2
    exit 2
    ;;
esac
skip_build=false
steps=",storefront,throughput,closed,fill,multi,webhooks,rollout,"
[[ "$mode" == full ]] && steps=",storefront,throughput,closed,profile,fill,multi,webhooks,rollout,"
webhooks_pairs="" webhooks_seconds="" webhooks_rate=""
rollout_pairs="" rollout_warm_seconds="" rollout_rate="" rollout_steady=""
closed_rounds="" closed_seconds="" closed_warmup=""
compare_rev="" compare_rounds=3 compare_seconds=20 compare_warmup=60
for arg in "$@"; do
  case "$arg" in
    --skip-build) skip_build=true ;;
    --steps=*) steps=",${arg#--steps=}," ;;
    --webhooks-pairs=*) webhooks_pairs="${arg#*=}" ;;
    --webhooks-seconds=*) webhooks_seconds="${arg#*=}" ;;
    --webhooks-rate=*) webhooks_rate="${arg#*=}" ;;
    --rollout-pairs=*) rollout_pairs="${arg#*=}" ;;
    --rollout-warm-seconds=*) rollout_warm_seconds="${arg#*=}" ;;
    --rollout-rate=*) rollout_rate="${arg#*=}" ;;
    --rollout-steady=*) rollout_steady="${arg#*=}" ;;
    --closed-rounds=*) closed_rounds="${arg#*=}" ;;
    --closed-seconds=*) closed_seconds="${arg#*=}" ;;
    --closed-warmup=*) closed_warmup="${arg#*=}" ;;
    --compare=*) compare_rev="${arg#*=}" ;;
    --compare-rounds=*) compare_rounds="${arg#*=}" ;;
    --compare-seconds=*) compare_seconds="${arg#*=}" ;;
    --compare-warmup=*) compare_warmup="${arg#*=}" ;;
    *) printf 'suite: unknown option %s\n' "$arg" >&2; exit 2 ;;
  esac
done

cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/../.."
repo="$PWD"
if [[ "$steps" == *,compare,* && -z "$compare_rev" ]]; then
  printf 'suite: the compare step needs --compare=REV (the build to measure this one against)\n' >&2
  exit 2
fi
# shellcheck source=../../bin/lib/db.sh
source bin/lib/db.sh
# shellcheck source=../../bin/lib/java.sh
source bin/lib/java.sh
# shellcheck source=../../bin/lib/tools.sh
source bin/lib/tools.sh
# Before anything starts: on a fresh machine the wrk steps would otherwise fail every round after minutes of set-up.
if [[ "$steps" == *,closed,* || "$steps" == *,compare,* ]]; then
  ensure_wrk || exit 1
fi

suite_started=$SECONDS
steal_start=$(awk '/^cpu / {print $9}' /proc/stat)
stamp="$(date -u +%Y%m%d-%H%M%S)"
out="$repo/loadtest/target/results/$mode-$stamp"
mkdir -p "$out"
log() { printf '[%s +%3ds] %s\n' "$(date -u +%H:%M:%S)" $((SECONDS - suite_started)) "$*" | tee -a "$out/suite.log" >&2; }

# --- the knobs of each mode ------------------------------------------------------------------------------
if [[ "$mode" == quick ]]; then
  storefront_rate=20 storefront_seconds=10
  # From 320/s (every run since create-order left the ORM has held 800/s or more): three steps fewer than from
  # 100/s leave room for the ~15-20 s class-data archive a fresh clone makes, within the 3 minutes.
  search_start=320 search_factor=1.6 search_step=2 search_bisect=1 search_max_steps=8 search_warmup=0
  search_confirm=0 search_half=2 rounds=1 pgbench_seconds=4
  # FF1 orders cost ~0.5 ms each: 300 of them make a p99 that is not just the maximum, for 0.3 s a level.
  fill_samples=300 fill_service_samples=60 fill_baseline_samples=40 fill_rounds=1 fill_warmup=60
  multi_rate=100 multi_seconds=4 starts=1 warmup_seconds=5 profile_seconds=10 settle_seconds=1
  # Two pairs of 15 s rounds: a smoke run of the step (p99 of ~270 creates is nearly the maximum).
  : "${webhooks_pairs:=2}" "${webhooks_seconds:=15}" "${webhooks_rate:=$storefront_rate}"
  # One pair, a short settle: a smoke run of the step (its steady state is not settled after 10 s).
  : "${rollout_pairs:=1}" "${rollout_warm_seconds:=10}" "${rollout_rate:=50}" "${rollout_steady:=500}"
  : "${closed_rounds:=1}" "${closed_seconds:=5}" "${closed_warmup:=5}"
else
  storefront_rate=40 storefront_seconds=120
  search_start=100 search_factor=1.5 search_step=10 search_bisect=3 search_max_steps=12 search_warmup=10
  search_confirm=20 search_half=20 rounds=3 pgbench_seconds=20
  fill_samples=1000 fill_service_samples=1000 fill_baseline_samples=500 fill_rounds=3 fill_warmup=500
  multi_rate=200 multi_seconds=45 starts=3 warmup_seconds=30 profile_seconds=30 settle_seconds=8
  : "${webhooks_pairs:=4}" "${webhooks_seconds:=45}" "${webhooks_rate:=$storefront_rate}"
  : "${rollout_pairs:=3}" "${rollout_warm_seconds:=90}" "${rollout_rate:=50}" "${rollout_steady:=2000}"
  : "${closed_rounds:=3}" "${closed_seconds:=20}" "${closed_warmup:=30}"
fi
# The webhooks step's own ports, apart from the suite's 18080-18094: its service and the receiver.
webhooks_http=19180 webhooks_mgmt=19190 webhooks_receiver=19100
rollout_http=19280 rollout_mgmt=19290
floor_http=19380
pool_size="${QUARKUS_DATASOURCE_JDBC_MAX_SIZE:-16}"

# --- processes we start, and only those, are stopped on the way out ----------------------------------------
pids=()
cleanup() {
  local pid
  for pid in "${pids[@]}"; do
    if kill -0 "$pid" 2>/dev/null; then
      kill -TERM "$pid" 2>/dev/null || true
    fi
  done
  for pid in "${pids[@]}"; do
    for _ in $(seq 1 100); do
      kill -0 "$pid" 2>/dev/null || break
      sleep 0.1
    done
    kill -KILL "$pid" 2>/dev/null || true
  done
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# --- the machine ---------------------------------------------------------------------------------------------
{
  printf 'mode: %s\nstarted: %s\n' "$mode" "$(date -u '+%Y-%m-%d %H:%M:%S UTC')"
  printf 'cpu: %s x %s\n' "$(nproc)" "$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ //')"
  printf 'memory: %s\n' "$(free -h | awk '/^Mem:/ {print $2}')"
  printf 'kernel: %s\n' "$(uname -sr)"
  printf 'load average at start: %s\n' "$(cut -d' ' -f1-3 /proc/loadavg)"
  # 10 s of sampling in the full mode; 1 s in the quick one, which has 3 minutes in all.
  steal_window=$([[ "$mode" == full ]] && echo 10 || echo 1)
  printf 'CPU stolen by the hypervisor in the %s s before: %s%% of one core\n' "$steal_window" "$(
    a=$(awk '/^cpu / {print $9}' /proc/stat); sleep "$steal_window"; b=$(awk '/^cpu / {print $9}' /proc/stat)
    echo $(((b - a) / steal_window)))"
  printf 'java: %s\n' "$(java -version 2>&1 | head -1)"
  printf 'service JVM options (bin/lib/jvm.options): %s\n' "$(grep -Ev '^[[:space:]]*(#|$)' bin/lib/jvm.options | tr '\n' ' ')"
  printf 'postgresql: %s\n' "$("$(_db_newest_bindir)/postgres" --version 2>/dev/null || psql --version)"
  printf 'git: %s\n' "$(git rev-parse --short HEAD 2>/dev/null || echo unknown)"
  printf 'busiest other processes at start (%%cpu, command):\n'
  ps -eo pcpu=,args= --sort=-pcpu | head -8 | cut -c1-150 | sed 's/^/  /'
} >"$out/machine.txt"
log "results in $out"

# --- build -----------------------------------------------------------------------------------------------------
# shellcheck source=build.sh
source loadtest/lib/build.sh
build_stale "$skip_build" || exit 1
bench() { "$ORDERS_JAVA" -XX:+UseParallelGC -Xmx1g -cp "$cp_bench" "$@"; }

# --- databases -----------------------------------------------------------------------------------------------
if [[ -n "${QUARKUS_DATASOURCE_JDBC_URL:-}" ]]; then
  log "QUARKUS_DATASOURCE_JDBC_URL is set, but the suite creates and resets databases of its own on the local"
  log "server (orders_bench, orders_fill, orders_multi, orders_pgbench, orders_webhooks, orders_rollout): unset it and run again."
  exit 2
fi
declare -A jdbc_url
for db in orders_bench orders_fill orders_multi orders_pgbench orders_webhooks orders_rollout; do
  unset QUARKUS_DATASOURCE_JDBC_URL
  ensure_database "$db" 2>>"$out/suite.log"
  jdbc_url[$db]="$QUARKUS_DATASOURCE_JDBC_URL"
done
db_port="$ORDERS_DB_PORT"
export PGPASSWORD="${QUARKUS_DATASOURCE_PASSWORD:-orders}"
psql_as() { psql -X -q -v ON_ERROR_STOP=1 -h localhost -p "$db_port" -U "${QUARKUS_DATASOURCE_USERNAME:-orders}" -d "$1" "${@:2}"; }
for db in orders_bench orders_fill orders_multi orders_pgbench orders_webhooks orders_rollout; do
  # Fresh every run, so every run starts from empty tables.
  psql_as "$db" -c 'DROP SCHEMA public CASCADE; CREATE SCHEMA public;' 2>>"$out/suite.log"
done
# Every Flyway migration in version order, so pgbench writes into the schema the service runs on.
migrations=()
while IFS= read -r migration; do migrations+=(-f "$migration"); done \
  < <(find src/main/resources/db/migration -name 'V*__*.sql' | sort -V)
psql_as orders_pgbench "${migrations[@]}" -f loadtest/sql/pgbench-seed.sql >/dev/null
# The newest installed server's pgbench (bin/lib/db.sh), else the one on the PATH.
pg_bindir="$(_db_newest_bindir)"
pgbench_bin="${pg_bindir:+$pg_bindir/pgbench}"
[[ -x "$pgbench_bin" ]] || pgbench_bin="$(command -v pgbench)"

# --- the service -----------------------------------------------------------------------------------------------
export ORDERS_ADMIN_TOKEN
ORDERS_ADMIN_TOKEN="loadtest-$(od -An -N24 -tx1 /dev/urandom | tr -d ' \n')"
order_key="$(od -An -N16 -tx1 /dev/urandom | tr -d ' \n')"

# The service runs with the JVM options of every deployment (bin/lib/jvm.options) and its class-data archive
# (bin/lib/appcds.sh), as bin/run starts it; START_HOW=no-archive starts it without the archive, for reference.
mapfile -t jvm_options < <(grep -Ev '^[[:space:]]*(#|$)' bin/lib/jvm.options)
# shellcheck source=bin/lib/appcds.sh
source bin/lib/appcds.sh
# shellcheck source=bin/lib/ready.sh
source bin/lib/ready.sh

# start_service NAME DB HTTP_PORT MGMT_PORT DIGITS [JDBC_URL]: starts the packaged jar in the background; sets
# service_pid. wait_ready NAME PID MGMT_PORT [solo|parallel] then waits for readiness and appends
# "NAME ready_ms started_in solo|parallel" to $out/startup.tsv.
start_service() {
  local name="$1" db="$2" http="$3" mgmt="$4" digits="$5" url="${6:-${jdbc_url[$2]}}" cds
  cds="$(appcds_option "$jar")"
  [[ "${START_HOW:-}" == no-archive ]] && cds=-Xshare:auto
  date +%s%N >"$out/service-$name.t0"
  ORDERS_ORDER_NUMBER_KEY="$order_key" ORDERS_ORDER_NUMBER_DIGITS="$digits" \
    QUARKUS_DATASOURCE_JDBC_URL="$url" QUARKUS_HTTP_PORT="$http" QUARKUS_MANAGEMENT_PORT="$mgmt" \
    "$ORDERS_JAVA" "${jvm_options[@]}" "$cds" ${SERVICE_JAVA_OPTS:-} -jar "$jar" >"$out/service-$name.log" 2>&1 &
  service_pid=$!
  pids+=("$service_pid")
}

wait_ready() {
  local name="$1" pid="$2" mgmt="$3" how="${4:-solo}" t0 t1 ready_ms started
  t0="$(cat "$out/service-$name.t0")"
  # Every 50 ms: each curl costs the 2-core machine ~6 ms of CPU, which a 10 ms poll took from the start it
  # timed (about 0.15 s of a 4.3 s start, measured); 50 ms keeps that small and adds at most 50 ms.
  if await_ready "$mgmt" "$pid" 60 0.05; then
    t1=$(date +%s%N)
    ready_ms=$(((t1 - t0) / 1000000))
    started="$(grep -o 'started in [0-9.]*s' "$out/service-$name.log" | head -1 | grep -o '[0-9.]*' || echo '')"
    printf '%s\t%s\t%s\t%s\n' "$name" "$ready_ms" "$started" "$how" >>"$out/startup.tsv"
    log "service $name (pid $pid) ready in $ready_ms ms, $how (Quarkus: started in ${started}s)"
    return 0
  fi
  if ! kill -0 "$pid" 2>/dev/null; then
    log "service $name died; last lines of its log:"
    tail -20 "$out/service-$name.log" >&2
    return 1
  fi
  log "service $name not ready within the wait"
  return 1
}

# start_ready NAME DB HTTP MGMT DIGITS [JDBC_URL]: start_service + wait_ready (solo). A start-up that dies is
# logged, counted in $out/startup-failures.txt and tried once more, so one flake does not void the run.
start_ready() {
  local how="${START_HOW:-solo}"
  # A start with the warm-up on waits for it before it is ready: not the boot alone that the start target times.
  if [[ "$how" == solo && "${ORDERS_WARMUP_ENABLED:-true}" != false ]]; then how=warm-up; fi
  start_service "$@"
  if ! wait_ready "$1" "$service_pid" "$4" "$how"; then
    printf '%s: %s\n' "$1" "$(grep -m1 -oE '(Caused by|ERROR).{0,200}' "$out/service-$1.log" | tail -1)" \
      >>"$out/startup-failures.txt"
    log "service $1 did not start; trying once more"
    start_service "$@"
    wait_ready "$1" "$service_pid" "$4" "$how"
  fi
}

want() { [[ "$steps" == *",$1,"* ]]; }

stop_service() {
  local pid="$1"
  kill -TERM "$pid" 2>/dev/null || true
  for _ in $(seq 1 200); do
    kill -0 "$pid" 2>/dev/null || return 0
    sleep 0.1
  done
  kill -KILL "$pid" 2>/dev/null || true
}

# tenants BASE_URL PREFIX COUNT: dispensaries PREFIX-1..COUNT with a storefront key each, and one INTERNAL key.
# Sets dispensaries, storefront_keys (comma-separated) and internal_key.
tenants() {
  local base="$1" prefix="$2" count="$3" i id key
  local auth="Authorization: Bearer $ORDERS_ADMIN_TOKEN"
  dispensaries="" storefront_keys=""
  for i in $(seq 1 "$count"); do
    id="$prefix-$i"
    curl -fsS -o /dev/null -X PUT "$base/admin/dispensaries/$id" -H "$auth" -H 'Content-Type: application/json' \
      -d '{"name": "Load test '"$i"'", "timezone": "America/Los_Angeles", "fulfillment": ["PICKUP", "DELIVERY"],
           "minimumAge": 21, "purchaseLimits": {"RECREATIONAL": {"flowerGrams": 28.35, "concentrateGrams": 8,
           "edibleThcMg": 100}, "MEDICAL": {"flowerGrams": 226.8, "concentrateGrams": 32}}}'
    key="$(curl -fsS -X POST "$base/admin/api-keys" -H "$auth" -H 'Content-Type: application/json' \
      -d '{"role": "STOREFRONT", "dispensaryId": "'"$id"'"}' | sed -n 's/.*"apiKey":"\([^"]*\)".*/\1/p')"
    dispensaries+="${dispensaries:+,}$id"
    storefront_keys+="${storefront_keys:+,}$key"
  done
  internal_key="$(curl -fsS -X POST "$base/admin/api-keys" -H "$auth" -H 'Content-Type: application/json' \
    -d '{"role": "INTERNAL"}' | sed -n 's/.*"apiKey":"\([^"]*\)".*/\1/p')"
}

# closed_wrk SECONDS LOG [URL]: wrk's closed loop of create-orders (loadtest/wrk/create-order.lua), as many
# connections as the pool, against the main service unless URL says otherwise.
closed_wrk() {
  ORDERS_KEY="${storefront_keys%%,*}" ORDERS_DISPENSARY="${dispensaries%%,*}" \
    wrk -t2 -c"$pool_size" -d"$1s" --latency -s loadtest/wrk/create-order.lua "${3:-$main_url}" >"$2" 2>&1 || true
}
# wrk_props PREFIX FILE: its figures as PREFIX_rps and so on.
wrk_props() {
  printf '%s_rps=%s\n' "$1" "$(sed -n 's/^Requests\/sec: *\([0-9.]*\).*/\1/p' "$2")"
  printf '%s_requests=%s\n' "$1" "$(sed -n 's/^ *\([0-9]*\) requests in .*/\1/p' "$2")"
  # wrk prints these two lines only when there were any.
  printf '%s_non_2xx=%s\n' "$1" "$(sed -n 's/^ *Non-2xx or 3xx responses: *\([0-9]*\).*/\1/p' "$2" | grep . || echo 0)"
  printf '%s_socket_errors=%s\n' "$1" "$(sed -n 's/^ *Socket errors: *\(.*\)$/\1/p' "$2" | tr -d ' ' | grep . || echo none)"
  printf '%s_p50=%s\n%s_p99=%s\n' "$1" "$(awk '$1 == "50%" {print $2; exit}' "$2")" "$1" "$(awk '$1 == "99%" {print $2; exit}' "$2")"
}
# wrk_failed PREFIX PROPERTIES: true when wrk_props' figures under PREFIX have an answer not 2xx, or no rate.
wrk_failed() {
  ! grep -q "^$1_non_2xx=0\$" "$2" || ! grep -q "^$1_rps=[0-9]" "$2"
}

# rss_sampler PID FILE SECONDS: the highest VmRSS (kB) seen, written to FILE; in the background, bounded.
rss_sampler() {
  local pid="$1" file="$2" seconds="$3" max=0 kb
  for _ in $(seq 1 $((seconds * 4))); do
    kb="$(awk '/^VmRSS:/ {print $2}' "/proc/$pid/status" 2>/dev/null || echo 0)"
    [[ -n "$kb" ]] && ((kb > max)) && max=$kb
    printf '%s\n' "$max" >"$file"
    sleep 0.25
  done
}

failures=()
report_dir=""

# --- 1 and 2: start-up and the storefront scenario ------------------------------------------------------------
# The class-data archive of this build, as bin/run makes it: one training start, on the database of the starts
# below (kept when bin/run already made one for this jar, JVM and options).
t0=$(date +%s)
(
  export ORDERS_ORDER_NUMBER_KEY="$order_key" ORDERS_ORDER_NUMBER_DIGITS=8 \
    QUARKUS_DATASOURCE_JDBC_URL="${jdbc_url[orders_bench]}"
  ensure_appcds_archive "$jar" 18080 18090 "${jvm_options[@]}" 2>>"$out/suite.log"
)
log "class-data archive: $(ls "$(appcds_archive_path "$jar")" 2>/dev/null || echo none) ($(($(date +%s) - t0)) s)"
# Start-up on its own (nothing else of ours running): the figure for the start-up target.
# The boot alone, with the warm-up off: what the 3 s target has always measured. The rollout step measures the
# start with the warm-up (the pods' default) and what it adds.
for i in $(seq 1 "$starts"); do
  ORDERS_WARMUP_ENABLED=false start_ready "start-$i" orders_bench 18080 18090 8
  if ((i < starts)); then stop_service "$service_pid"; fi
done
if [[ "$mode" == full ]]; then
  # One more start, recorded by JFR (not counted: the recorder slows it), to say where start-up time goes.
  stop_service "$service_pid"
  SERVICE_JAVA_OPTS="-XX:StartFlightRecording=filename=$out/startup.jfr,settings=profile,dumponexit=true" \
    ORDERS_WARMUP_ENABLED=false START_HOW=profiled start_ready start-jfr orders_bench 18080 18090 8
  stop_service "$service_pid"
  bench io.dispensary.orders.loadtest.JfrTop --jfr="$out/startup.jfr" --out="$out/startup-profile.md" >/dev/null || true
  # The same jar without its class-data archive: what the archive saves. Reported apart, never as the figure.
  for i in 1 2; do
    ORDERS_WARMUP_ENABLED=false START_HOW=no-archive start_ready "start-no-archive-$i" orders_bench 18080 18090 8
    stop_service "$service_pid"
  done
  start_ready "start-$((starts + 1))" orders_bench 18080 18090 8
fi
main_pid=$service_pid
main_url=http://localhost:18080
tenants "$main_url" lt 4
# A service just started runs interpreted code: warm it up (unmeasured) before measuring anything.
log "warm-up: $warmup_seconds s of creates at 100/s, not measured"
bench io.dispensary.orders.loadtest.OpenLoad --mode=fixed --targets="$main_url" --api-key="${storefront_keys%%,*}" \
  --dispensary="${dispensaries%%,*}" --rate=100 --seconds="$warmup_seconds" --out="$out/warmup" >"$out/warmup.log" 2>&1
if want storefront; then
log "storefront: Gatling, $storefront_rate users/s for $storefront_seconds s"
rss_sampler "$main_pid" "$out/rss-storefront.kb" $((storefront_seconds + 30)) &
rss_job=$!
gatling_rc=0
./mvnw -B -f loadtest/pom.xml gatling:test \
  -Dgatling.simulationClass=io.dispensary.orders.loadtest.StorefrontSimulation \
  -DbaseUrl="$main_url" -Ddispensaries="$dispensaries" -DstorefrontKeys="$storefront_keys" \
  -DinternalKey="$internal_key" -DusersPerSec="$storefront_rate" -Dseconds="$storefront_seconds" -DsloMs=300 \
  >"$out/gatling.log" 2>&1 || gatling_rc=$?
kill "$rss_job" 2>/dev/null || true
report_dir="$(ls -td loadtest/target/gatling/storefrontsimulation-* 2>/dev/null | head -1)"
printf 'gatling_exit=%s\nreport=%s\n' "$gatling_rc" "$report_dir" >"$out/storefront.properties"
sed -n '/Global Information/,/^=====/p' "$out/gatling.log" | head -40 >"$out/storefront-stats.txt" || true
sed -n '/Assertions/,$p' "$out/gatling.log" | grep -E '^(Global|create order|details|.*: (true|false))' \
  >>"$out/storefront-stats.txt" || true
if ((gatling_rc != 0)); then failures+=("storefront assertions (see $out/gatling.log)"); fi
log "storefront: Gatling exit $gatling_rc, report $report_dir/index.html"
fi

# --- 3: throughput, next to pgbench, in the same run --------------------------------------------------------
want throughput || rounds=0
start_rate="$search_start"
for round in $(seq 1 "$rounds"); do
  log "throughput round $round: searching the highest create-order rate within the SLO from $start_rate/s"
  bench io.dispensary.orders.loadtest.OpenLoad --mode=search --targets="$main_url" \
    --api-key="${storefront_keys%%,*}" --dispensary="${dispensaries%%,*}" --pid="$main_pid" \
    --start-rate="$start_rate" --factor="$search_factor" --step-seconds="$search_step" \
    --bisections="$search_bisect" --max-steps="$search_max_steps" --warmup-seconds="$search_warmup" \
    --confirm-seconds="$search_confirm" --half-seconds="$search_half" --settle-seconds="$settle_seconds" \
    --out="$out/throughput-$round" | tee "$out/throughput-$round.log" >&2
  log "throughput round $round: pgbench, $pool_size clients (the service's pool), $pgbench_seconds s"
  "$pgbench_bin" -h localhost -p "$db_port" -U "${QUARKUS_DATASOURCE_USERNAME:-orders}" -n -M prepared \
    -c "$pool_size" -j 2 -T "$pgbench_seconds" -f loadtest/sql/create-order.pgbench.sql orders_pgbench \
    >"$out/pgbench-$round.log" 2>&1
  # Later rounds start the search nearer the rate found, which saves steps, not accuracy.
  found="$(sed -n 's/^max_rate=//p' "$out/throughput-$round.properties")"
  start_rate=$(((${found:-0} * 6 / 10) > search_start ? ${found:-0} * 6 / 10 : search_start))
  tps="$(sed -n 's/^tps = \([0-9.]*\).*/\1/p' "$out/pgbench-$round.log" | head -1)"
  printf 'pgbench_tps=%s\npgbench_clients=%s\n' "$tps" "$pool_size" >>"$out/throughput-$round.properties"
  log "throughput round $round: $(grep -E '^(max_rate|half_rate_p99_ms|rss_max_kb)=' "$out/throughput-$round.properties" | tr '\n' ' ') pgbench $tps TPS"
done

# --- 3a: closed loop: wrk against create-order and pgbench beside it, interleaved -----------------------------
if want closed; then
  if ! command -v wrk >/dev/null 2>&1; then
    log "closed: wrk is not installed (Debian: apt-get install wrk); skipping the step"
    failures+=("closed loop: wrk is not installed")
  else
    log "closed: wrk -t2 -c$pool_size and pgbench -c$pool_size, $closed_rounds interleaved rounds of $closed_seconds s after $closed_warmup s of warm-up"
    # The floor (loadtest/floor): the same body parsed and the same rows written in one statement, by the same
    # Quarkus with the same JVM options and pool, into the pgbench database. Started now, idle while the others run.
    "$ORDERS_JAVA" "${jvm_options[@]}" -Dquarkus.http.port="$floor_http" \
      -Dquarkus.datasource.jdbc.url="${jdbc_url[orders_pgbench]}" -Dquarkus.datasource.jdbc.max-size="$pool_size" \
      -jar "$floor_jar" >"$out/service-floor.log" 2>&1 &
    floor_pid=$!
    pids+=("$floor_pid")
    closed_wrk "$closed_warmup" "$out/closed-warmup.log"
    # Any answer (a 404 for /) says it listens; it has no health check, being no service.
    for _ in $(seq 1 200); do curl -s -o /dev/null "http://localhost:$floor_http/" && break; sleep 0.1; done
    closed_wrk "$closed_warmup" "$out/closed-floor-warmup.log" "http://localhost:$floor_http"
    for round in $(seq 1 "$closed_rounds"); do
      closed_wrk "$closed_seconds" "$out/closed-wrk-$round.log"
      "$pgbench_bin" -h localhost -p "$db_port" -U "${QUARKUS_DATASOURCE_USERNAME:-orders}" -n -M prepared \
        -c "$pool_size" -j 2 -T "$closed_seconds" -f loadtest/sql/create-order.pgbench.sql orders_pgbench \
        >"$out/closed-pgbench-$round.log" 2>&1
      closed_wrk "$closed_seconds" "$out/closed-floor-$round.log" "http://localhost:$floor_http"
      {
        wrk_props wrk "$out/closed-wrk-$round.log"
        wrk_props floor "$out/closed-floor-$round.log"
        printf 'pgbench_tps=%s\n' "$(sed -n 's/^tps = \([0-9.]*\).*/\1/p' "$out/closed-pgbench-$round.log" | head -1)"
      } >"$out/closed-$round.properties"
      log "closed round $round: $(tr '\n' ' ' <"$out/closed-$round.properties")"
      if wrk_failed wrk "$out/closed-$round.properties"; then
        failures+=("closed loop round $round: answers not 2xx, or no figure (see $out/closed-wrk-$round.log)")
      fi
      if wrk_failed floor "$out/closed-$round.properties"; then
        failures+=("closed loop round $round: the floor answered not 2xx, or no figure (see $out/closed-floor-$round.log)")
      fi
    done
    stop_service "$floor_pid"
    if want profile; then
      # Where the closed loop's time goes: one more round, not counted, with JFR's profile settings on the service.
      log "closed: one more round of $closed_seconds s with JFR (not counted), for closed-profile.md"
      jcmd "$main_pid" JFR.start name=closed settings=profile filename="$out/closed.jfr" >/dev/null
      closed_wrk "$closed_seconds" "$out/closed-profiled.log"
      jcmd "$main_pid" JFR.stop name=closed >/dev/null
      bench io.dispensary.orders.loadtest.JfrTop --jfr="$out/closed.jfr" --out="$out/closed-profile.md" >/dev/null || true
    fi
  fi
fi
# --- 3c: compare: this build against another, closed loop, interleaved (only when asked) ----------------------
if want compare; then
  # The other build from its commit, in a folder of its own: `git archive`, then the same package as ours.
  base_sha="$(git rev-parse --short "$compare_rev^{commit}")"
  base_dir="$repo/loadtest/target/compare/$base_sha"
  base_jar="$base_dir/target/order-service-runner.jar"
  if [[ ! -f "$base_jar" ]]; then
    log "compare: building $compare_rev ($base_sha) in $base_dir"
    rm -rf "$base_dir" && mkdir -p "$base_dir"
    git archive "$base_sha" | tar -x -C "$base_dir"
    (cd "$base_dir" && ./mvnw -B -q package -Dmaven.test.skip=true -Dspotless.check.skip=true) >"$out/compare-build.log" 2>&1 \
      || { log "compare: the build of $base_sha failed (see $out/compare-build.log)"; exit 1; }
  fi
  # Both on orders_bench, with the same key and JVM options: the same tables, rows and indexes under both. No
  # class-data archive for the other build (throughput, not start-up, is compared). This build migrates first, so
  # an older build finds versions it does not know: it must not refuse them (the schema only ever gains).
  QUARKUS_FLYWAY_VALIDATE_ON_MIGRATE=false jar="$base_jar" start_ready compare-base orders_bench 18081 18091 8
  base_pid=$service_pid
  log "compare: $base_sha against this build ($(git rev-parse --short HEAD)$(git diff --quiet HEAD -- src pom.xml || echo ', with uncommitted changes')): warm-up $compare_warmup s each, $compare_rounds rounds of $compare_seconds s each"
  closed_wrk "$compare_warmup" "$out/compare-warmup-base.log" http://localhost:18081
  closed_wrk "$compare_warmup" "$out/compare-warmup-head.log" "$main_url"
  for round in $(seq 1 "$compare_rounds"); do
    # Base first in odd rounds, this build first in even ones: a drift over the run falls on both alike.
    order="base head"
    ((round % 2 == 0)) && order="head base"
    for side in $order; do
      url="$main_url"
      [[ "$side" == base ]] && url=http://localhost:18081
      closed_wrk "$compare_seconds" "$out/compare-$side-$round.log" "$url"
    done
    {
      printf 'base=%s\n' "$base_sha"
      wrk_props head "$out/compare-head-$round.log"
      wrk_props base "$out/compare-base-$round.log"
    } >"$out/compare-$round.properties"
    log "compare round $round: $(grep -E '^(head|base)_(rps|p99|non_2xx)=' "$out/compare-$round.properties" | tr '\n' ' ')"
    if wrk_failed head "$out/compare-$round.properties" || wrk_failed base "$out/compare-$round.properties"; then
      failures+=("compare round $round: answers not 2xx, or no figure (see $out/compare-*-$round.log)")
    fi
  done
  stop_service "$base_pid"
fi
stop_service "$main_pid"

# --- 3b: where the time goes at the highest rate (JFR, CPU per process, native memory) --------------------------
if want profile; then
  found="$(grep -h '^max_rate=' "$out"/throughput-*.properties 2>/dev/null | sed 's/max_rate=//' | sort -n \
    | awk '{v[NR]=$1} END {print (NR ? v[int((NR+1)/2)] : 0)}' || true)"
  # 60% of the rate found: the profile is of steady work, not of a collapse (JFR and NMT cost CPU too).
  prate=$((found > 0 ? found * 6 / 10 : 200))
  log "profile: the service with JFR and native-memory tracking, $prate creates/s for $profile_seconds s"
  SERVICE_JAVA_OPTS="-XX:NativeMemoryTracking=summary" START_HOW=profiled start_ready profiled orders_bench 18080 18090 8
  prof_pid=$service_pid
  bench io.dispensary.orders.loadtest.OpenLoad --mode=fixed --targets="$main_url" --api-key="${storefront_keys%%,*}" \
    --dispensary="${dispensaries%%,*}" --rate="$((prate / 2))" --seconds="$warmup_seconds" --out="$out/prof-warmup" \
    >/dev/null 2>&1
  jcmd "$prof_pid" JFR.start name=loadtest settings=profile filename="$out/create-order.jfr" >/dev/null
  # CPU ticks of the service, of its PostgreSQL backends and of the load generator, over the measured window.
  ticks() { awk '{print $14 + $15}' "/proc/$1/stat" 2>/dev/null || echo 0; }
  pg_pids() {
    psql_as orders_bench -Atc "SELECT pid FROM pg_stat_activity WHERE datname = 'orders_bench' AND pid <> pg_backend_pid()"
  }
  sum_ticks() { local t=0 p; for p in "$@"; do t=$((t + $(ticks "$p"))); done; echo "$t"; }
  mapfile -t backends < <(pg_pids)
  w0=$(date +%s%N); svc0=$(ticks "$prof_pid"); pg0=$(sum_ticks "${backends[@]}"); all0=$(awk '/^cpu / {print $2+$3+$4+$7+$8}' /proc/stat); steal0=$(awk '/^cpu / {print $9}' /proc/stat)
  bench io.dispensary.orders.loadtest.OpenLoad --mode=fixed --targets="$main_url" --api-key="${storefront_keys%%,*}" \
    --dispensary="${dispensaries%%,*}" --rate="$prate" --seconds="$profile_seconds" --out="$out/prof-load" \
    >"$out/profile-load.log" 2>&1 || true
  w1=$(date +%s%N); svc1=$(ticks "$prof_pid"); pg1=$(sum_ticks "${backends[@]}"); all1=$(awk '/^cpu / {print $2+$3+$4+$7+$8}' /proc/stat); steal1=$(awk '/^cpu / {print $9}' /proc/stat)
  jcmd "$prof_pid" VM.native_memory summary >"$out/native-memory.txt" 2>&1 || true
  grep '^VmRSS' "/proc/$prof_pid/status" >>"$out/native-memory.txt" || true
  jcmd "$prof_pid" JFR.stop name=loadtest >/dev/null
  stop_service "$prof_pid"
  {
    # The window: the generator's start-up, its $profile_seconds s of load and the drain of what was in flight.
    window="$(awk -v a="$w0" -v b="$w1" 'BEGIN {printf "%.1f", (b - a) / 1e9}')"
    printf 'CPU over the %s s window (100%% = one core; the machine has %s):\n' "$window" "$(nproc)"
    awk -v s="$((svc1 - svc0))" -v p="$((pg1 - pg0))" -v a="$((all1 - all0))" -v st="$((steal1 - steal0))" \
      -v t="$window" -v n="$(nproc)" 'BEGIN {printf "  service JVM: %.0f%%\n  its PostgreSQL backends: %.0f%%\n  whole machine busy: %.0f%% of %d00%% (plus %.0f%% stolen by the hypervisor)\n", s/t, p/t, a/t, n, st/t}'
    sed -n 's/^generator_cpu_percent=/  load generator JVM: /p' "$out/profile-load.log" | sed 's/$/%/'
    printf 'The load:\n'
    sed -n '1,2p' "$out/profile-load.log"
  } >"$out/cpu-split.txt"
  bench io.dispensary.orders.loadtest.JfrTop --jfr="$out/create-order.jfr" --out="$out/profile.md" >/dev/null
  cat "$out/cpu-split.txt" >&2
  log "profile: $out/profile.md, $out/native-memory.txt"
fi

# --- 4: fill -------------------------------------------------------------------------------------------------
if want fill; then
log "fill: services with 6-digit numbers on orders_fill (one direct, one through the round-trip counter)"
"$ORDERS_JAVA" -Xmx256m -cp "$cp_bench" io.dispensary.orders.loadtest.RoundTripProxy --listen=15433 \
  --control=15434 --target-port="$db_port" --max-seconds=3600 >"$out/proxy.log" 2>&1 &
pids+=("$!")
for _ in $(seq 1 100); do grep -q listening "$out/proxy.log" 2>/dev/null && break; sleep 0.1; done
# Both at once, to keep the quick mode within its 3 minutes; their start-ups count as parallel, not as solo.
start_service fill orders_fill 18081 18091 6
fill_pid=$service_pid
start_service fill-counted orders_fill 18082 18092 6 "jdbc:postgresql://127.0.0.1:15433/orders_fill"
fill_counted_pid=$service_pid
if ! wait_ready fill "$fill_pid" 18091 parallel || ! wait_ready fill-counted "$fill_counted_pid" 18092 parallel; then
  log "fill: a service did not start; starting both again, one after the other"
  stop_service "$fill_pid"
  stop_service "$fill_counted_pid"
  start_ready fill orders_fill 18081 18091 6
  fill_pid=$service_pid
  start_ready fill-counted orders_fill 18082 18092 6 "jdbc:postgresql://127.0.0.1:15433/orders_fill"
  fill_counted_pid=$service_pid
fi
tenants http://localhost:18081 fill 1
fill_rc=0
bench io.dispensary.orders.loadtest.FillBenchmark --jdbc="${jdbc_url[orders_fill]}" --key="$order_key" \
  --dispensary="$dispensaries" --service=http://localhost:18081 --counting-service=http://localhost:18082 \
  --proxy-control=15434 --api-key="$storefront_keys" --samples="$fill_samples" \
  --service-samples="$fill_service_samples" --baseline-samples="$fill_baseline_samples" \
  --rounds="$fill_rounds" --warmup="$fill_warmup" \
  --settle-seconds="$((settle_seconds > 1 ? 5 : 1))" \
  --out="$out" 2>&1 | tee "$out/fill.log" >&2 || fill_rc=$?
((fill_rc == 0)) || failures+=("fill benchmark (exit $fill_rc)")
stop_service "$fill_pid"
stop_service "$fill_counted_pid"
fi

# --- 5: two instances, one database ---------------------------------------------------------------------------
if want multi; then
log "multi: two instances on orders_multi, $multi_rate creates/s for $multi_seconds s, 5% of keys sent to both"
# Both at once: their start-ups also race on the number-space set-up of one database.
start_service multi-a orders_multi 18083 18093 8
multi_a=$service_pid
START_HOW=parallel start_ready multi-b orders_multi 18084 18094 8
multi_b=$service_pid
if ! wait_ready multi-a "$multi_a" 18093 parallel; then
  printf '%s: %s\n' multi-a "$(grep -m1 -oE '(Caused by|ERROR).{0,200}' "$out/service-multi-a.log" | tail -1)" \
    >>"$out/startup-failures.txt"
  START_HOW=parallel start_ready multi-a orders_multi 18083 18093 8
  multi_a=$service_pid
fi
tenants http://localhost:18083 multi 2
# Both instances warmed up (unmeasured) on the second dispensary; the check counts the first one's orders, and
# looks for duplicate numbers over all of them.
bench io.dispensary.orders.loadtest.OpenLoad --mode=fixed --targets=http://localhost:18083,http://localhost:18084 \
  --api-key="${storefront_keys#*,}" --dispensary="${dispensaries#*,}" --rate=100 --seconds="$warmup_seconds" \
  --out="$out/multi-warmup" >"$out/multi-warmup.log" 2>&1
multi_rc=0
bench io.dispensary.orders.loadtest.OpenLoad --mode=multi --targets=http://localhost:18083,http://localhost:18084 \
  --api-key="${storefront_keys%%,*}" --dispensary="${dispensaries%%,*}" --rate="$multi_rate" --seconds="$multi_seconds" \
  --jdbc="${jdbc_url[orders_multi]}" --timeout-seconds=120 --out="$out/multi" 2>&1 | tee "$out/multi.log" >&2 || multi_rc=$?
((multi_rc == 0)) || failures+=("multi-instance check")
stop_service "$multi_a"
stop_service "$multi_b"
fi

# --- 5b: webhooks: do the delivery workers starve create-order? ----------------------------------------------
if want webhooks; then
log "webhooks: $webhooks_pairs pairs of $webhooks_seconds s rounds at $webhooks_rate/s, (a) no subscription, (b) 1,000+ events draining"
webhooks_rc=0
busy_ports="$(ss -Hltn 2>/dev/null | awk '{print $4}' | grep -E ":($webhooks_http|$webhooks_mgmt|$webhooks_receiver)\$" || true)"
if [[ -n "$busy_ports" ]]; then
  log "webhooks: ports already in use: $busy_ports; skipping the step"
  webhooks_rc=2
else
  # Prod profile, as every other step; the receiver is on loopback, which prod refuses unless allowed.
  # With a GC log (wall-clock times): a pause can then be placed in its round (webhooks-creates.tsv).
  ORDERS_WEBHOOKS_ALLOW_PRIVATE_TARGETS=true SERVICE_JAVA_OPTS="-Xlog:gc:file=$out/gc-webhooks.log:time" \
    start_ready webhooks orders_webhooks "$webhooks_http" "$webhooks_mgmt" 8
  webhooks_pid=$service_pid
  webhooks_url="http://localhost:$webhooks_http"
  tenants "$webhooks_url" wha 4
  a_dispensaries="$dispensaries" a_keys="$storefront_keys"
  tenants "$webhooks_url" whb 4
  # A service just started runs interpreted code: the same unmeasured warm-up as the main service's.
  bench io.dispensary.orders.loadtest.OpenLoad --mode=fixed --targets="$webhooks_url" --api-key="${a_keys%%,*}" \
    --dispensary="${a_dispensaries%%,*}" --rate=100 --seconds="$warmup_seconds" --out="$out/webhooks-warmup" \
    >"$out/webhooks-warmup.log" 2>&1
  bench io.dispensary.orders.loadtest.WebhookLoad --target="$webhooks_url" --admin-token="$ORDERS_ADMIN_TOKEN" \
    --receiver-port="$webhooks_receiver" --dispensaries-a="$a_dispensaries" --keys-a="$a_keys" \
    --dispensaries-b="$dispensaries" --keys-b="$storefront_keys" --internal-key="$internal_key" \
    --rate="$webhooks_rate" --seconds="$webhooks_seconds" --pairs="$webhooks_pairs" --backlog=1000 \
    --warmup-seconds="$warmup_seconds" --out="$out/webhooks" 2>&1 | tee "$out/webhooks.log" >&2 || webhooks_rc=$?
  stop_service "$webhooks_pid"
fi
((webhooks_rc == 0)) || failures+=("webhooks: not every event accounted for, or the step broke (see $out/webhooks.log)")
fi

# --- 5c: rollout: a pod's first requests against its steady state, with and without the warm-up ------------
if want rollout; then
log "rollout: $rollout_pairs pairs of fresh starts, warm-up off and on, $rollout_rate creates/s from ready, $rollout_warm_seconds s to settle"
rollout_rc=0
# The dispensaries and keys, made once by a start of its own; every measured start then finds them there.
start_ready rollout-setup orders_rollout "$rollout_http" "$rollout_mgmt" 8
tenants "http://localhost:$rollout_http" ro 2
stop_service "$service_pid"
for pair in $(seq 1 "$rollout_pairs"); do
  # Off first in odd pairs, on first in even ones: a drift over the run falls on both sides alike.
  order="off on"
  ((pair % 2 == 0)) && order="on off"
  for how in $order; do
    name="rollout-$how-$pair"
    rm -f "$out/service-$name.t0" "$out/rollout-$how-$pair.warm"
    # The generator first, so its own JVM start and warm-up do not share the CPU with the start it times: it
    # warms its own code against a stand-in (then writes the .warm file), waits for the service's exec time
    # (the .t0 file), then for readiness, and offers the first create at once.
    bench io.dispensary.orders.loadtest.RolloutLoad --target="http://localhost:$rollout_http" \
      --ready="http://localhost:$rollout_mgmt/q/health/ready" --t0-file="$out/service-$name.t0" \
      --warm-file="$out/rollout-$how-$pair.warm" \
      --keys="$storefront_keys" --dispensaries="$dispensaries" --rate="$rollout_rate" --first=500 \
      --warm-seconds="$rollout_warm_seconds" --steady="$rollout_steady" --label="$how-$pair" \
      --out="$out/rollout-$how-$pair" >>"$out/rollout.log" 2>&1 &
    load_pid=$!
    pids+=("$load_pid")
    for _ in $(seq 1 900); do
      [[ -f "$out/rollout-$how-$pair.warm" ]] || ! kill -0 "$load_pid" 2>/dev/null && break
      sleep 0.1
    done
    sleep 1
    ORDERS_WARMUP_ENABLED="$([[ "$how" == on ]] && echo true || echo false)" \
      start_service "$name" orders_rollout "$rollout_http" "$rollout_mgmt" 8
    rollout_pid=$service_pid
    wait "$load_pid" || rollout_rc=$?
    tail -1 "$out/rollout.log" >&2
    stop_service "$rollout_pid"
  done
done
((rollout_rc == 0)) || failures+=("rollout: a request failed or went unanswered (see $out/rollout.log)")
fi

# --- 6: summary ----------------------------------------------------------------------------------------------
printf 'load average at end: %s\nduration_s: %s\nCPU stolen by the hypervisor during the run: %s%% of one core on average\n' \
  "$(cut -d' ' -f1-3 /proc/loadavg)" $((SECONDS - suite_started)) \
  "$(( ($(awk '/^cpu / {print $9}' /proc/stat) - steal_start) / (SECONDS - suite_started + 1) ))" >>"$out/machine.txt"
bench io.dispensary.orders.loadtest.Summary --dir="$out" --mode="$mode" --report="$report_dir" | tee "$out/summary.log" >&2
if [[ "$mode" == full ]]; then
  mkdir -p loadtest/results
  mkdir -p loadtest/results/runs
  cp "$out/results.md" "loadtest/results/runs/$mode-$stamp.md"
  for f in results.md fill-p99.svg fill.tsv fill.md fill-runs.tsv machine.txt webhooks.md webhooks.tsv webhooks.properties; do
    if [[ -f "$out/$f" ]]; then cp "$out/$f" loadtest/results/; fi
  done
  cp "$out"/throughput-*.tsv "$out"/throughput-*.properties "$out"/pgbench-*.log "$out/multi.properties" \
    "$out/startup.tsv" "$out/storefront-stats.txt" "$out/profile.md" "$out/cpu-split.txt" "$out/native-memory.txt" \
    "$out/startup-profile.md" loadtest/results/ 2>/dev/null || true
  log "figures copied to loadtest/results/"
fi
log "done in $((SECONDS - suite_started)) s; results: $out/results.md"
if ((${#failures[@]} > 0)); then
  log "FAILED: ${failures[*]}"
  exit 1
fi
