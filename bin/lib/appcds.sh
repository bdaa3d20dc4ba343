#!/usr/bin/env bash
# shellcheck shell=bash
#
# The service's AppCDS archive (class-data sharing, JDK 17): the classes a start loads, parsed, verified and
# laid out once, then mapped by every later start of the same jar on the same JVM. It halves start to ready on
# 2 cores (loadtest/RESULTS.md). The JDK only writes such an archive when a JVM exits, so a training start
# makes it: the service starts against its database (migrations, Hibernate ORM, the HTTP server: what every
# start loads), reports ready, and is stopped. Source this file, do not execute it:
#
#   source bin/lib/appcds.sh
#   ensure_appcds_archive target/order-service-runner.jar HTTP_PORT MGMT_PORT JVM_OPTION...
#   "$ORDERS_JAVA" JVM_OPTION... "$(appcds_option target/order-service-runner.jar)" -jar target/order-service-runner.jar
#
# The training start runs with the caller's environment (database, order-number key, admin token), so it is a
# real start of the service: it migrates the database as the first real start would. Run both from the same
# directory with the same jar path: the archive records the path as given, and the JVM checks the jar's size and
# time. A stale or foreign archive costs only its benefit: the JVM says so in one warning line and loads the
# classes from the jar; a missing one is ignored.

# The archive beside the jar: target/order-service-runner.jar -> target/order-service-runner.jsa.
appcds_archive_path() { printf '%s\n' "${1%.jar}.jsa"; }

# Prints -XX:SharedArchiveFile=... when the jar has an archive, else -Xshare:auto (the JVM's default: nothing).
appcds_option() {
  local archive
  archive="$(appcds_archive_path "$1")"
  if [[ -f "$archive" ]]; then printf -- '-XX:SharedArchiveFile=%s\n' "$archive"; else printf -- '-Xshare:auto\n'; fi
}

# What the archive was made for: the JVM build and the options. Another JVM or other options train anew.
_appcds_stamp() {
  shift 3
  { "$ORDERS_JAVA" -version 2>&1; printf '%s\n' "$@"; } | cksum | cut -d' ' -f1
}

# ensure_appcds_archive JAR HTTP_PORT MGMT_PORT JVM_OPTION...: trains a new archive unless the one beside the
# jar is newer than the jar and was made by this JVM with these options. Never fatal: when training fails
# (the service does not start, say), the archive is left out and the real start shows why.
ensure_appcds_archive() {
  local jar="$1" http="$2" mgmt="$3" archive stamp pid log ready=false
  archive="$(appcds_archive_path "$jar")"
  stamp="$(_appcds_stamp "$@")"
  if [[ -f "$archive" && "$archive" -nt "$jar" && "$(cat "$archive.stamp" 2>/dev/null)" == "$stamp" ]]; then
    return 0
  fi
  rm -f "$archive" "$archive.stamp" "$archive.tmp"
  log="${archive%.jsa}-training.log"
  printf 'appcds: training start of %s for its class-data archive (once per build, ~10 s)...\n' "$jar" >&2
  QUARKUS_HTTP_PORT="$http" QUARKUS_MANAGEMENT_PORT="$mgmt" \
    "$ORDERS_JAVA" "${@:4}" -XX:ArchiveClassesAtExit="$archive.tmp" -jar "$jar" >"$log" 2>&1 &
  pid=$!
  for _ in $(seq 1 600); do
    if ! kill -0 "$pid" 2>/dev/null; then break; fi
    if curl -fso /dev/null "http://localhost:$mgmt/q/health/ready" 2>/dev/null; then
      ready=true
      break
    fi
    sleep 0.2
  done
  # The JVM writes the archive as it exits after TERM (Quarkus stops gracefully): wait for it, bounded.
  kill -TERM "$pid" 2>/dev/null || true
  for _ in $(seq 1 300); do
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.1
  done
  kill -KILL "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
  if [[ "$ready" == true && -s "$archive.tmp" ]]; then
    mv "$archive.tmp" "$archive"
    printf '%s\n' "$stamp" >"$archive.stamp"
    printf 'appcds: wrote %s\n' "$archive" >&2
  else
    rm -f "$archive.tmp"
    printf 'appcds: no archive (the training start did not get ready; see %s); starting without one\n' "$log" >&2
  fi
  return 0
}
