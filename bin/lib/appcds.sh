#!/usr/bin/env bash
# shellcheck shell=bash
#
# The service's AppCDS archive (class-data sharing, JDK 17): the classes a start loads, parsed, verified and
# laid out once, then mapped by every later start of the same jar on the same JVM. It halves start to ready on
# 2 cores (loadtest/RESULTS.md). Source this file, do not execute it:
#
#   source bin/lib/appcds.sh
#   ensure_appcds_archive target/order-service-runner.jar HTTP_PORT MGMT_PORT JVM_OPTION...
#   "$ORDERS_JAVA" JVM_OPTION... "$(appcds_option target/order-service-runner.jar)" -jar target/order-service-runner.jar
#
# How it is made: a training start lists the classes a start loads (-XX:DumpLoadedClassList): the service
# starts against its database (migrations, Hibernate ORM, the HTTP server), reports ready and is stopped. It
# runs with the caller's environment (database, order-number key, admin token), so it is a real start and
# migrates the database as the first real start would. Then the JVM dumps the listed classes into a static
# archive (-Xshare:dump), which links every one of them.
#
# Why not the simpler dynamic archive (-XX:ArchiveClassesAtExit): with it, JDK 17.0.15 crashed (SIGSEGV in
# KlassFactory::check_shared_class_file_load_hook) when the service started with JFR, or with any agent that
# watches class loading: for a class the uber-jar holds only under META-INF/versions/ (a multi-release class,
# e.g. pgjdbc's LazyCleanerImpl$CleanableWrapper), the JVM cannot find the bytes to show the agent. The static
# dump lets us leave every multi-release class out of the list; AppCdsArchiveIT starts the service with JFR.
#
# Run both from the same directory with the same jar path: the archive records the class path as given, and
# the JVM checks the jar's size and time. A stale or foreign archive costs only its benefit: the JVM says so in
# a warning and loads the classes from the jar; a missing one is ignored.

# shellcheck source=bin/lib/ready.sh
source "$(dirname "${BASH_SOURCE[0]}")/ready.sh"

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

# The classes the jar holds under META-INF/versions/ (multi-release), as a/b/C, one per line.
_appcds_versioned_classes() {
  local jar="$1" jar_tool
  jar_tool="$(dirname "$ORDERS_JAVA")/jar"
  if [[ -x "$jar_tool" ]]; then
    "$jar_tool" tf "$jar"
  elif command -v unzip >/dev/null 2>&1; then
    unzip -Z1 "$jar"
  else
    return 1
  fi | sed -n 's|^META-INF/versions/[0-9]*/\(.*\)\.class$|\1|p' | sort -u
}

# appcds_archivable_classes JAR LIST OUT: writes to OUT the class list LIST of a training start without the
# multi-release classes of JAR and the lambdas they define (see the top of this file). bin/image uses it too.
appcds_archivable_classes() {
  local jar="$1" list="$2" out="$3"
  _appcds_versioned_classes "$jar" >"$out.versioned" || { rm -f "$out.versioned"; return 1; }
  awk 'NR == FNR { versioned[$1] = 1; next }
       /^@lambda-proxy/ { if ($2 in versioned) next }
       /^[^#@]/ { if ($1 in versioned) next }
       { print }' "$out.versioned" "$list" >"$out"
  rm -f "$out.versioned"
}

# _appcds_train JAR HTTP MGMT LIST LOG JVM_OPTION...: a start to ready that lists the classes it loaded.
_appcds_train() {
  local jar="$1" http="$2" mgmt="$3" list="$4" log="$5" pid ready=1
  shift 5
  QUARKUS_HTTP_PORT="$http" QUARKUS_MANAGEMENT_PORT="$mgmt" \
    "$ORDERS_JAVA" "$@" -XX:DumpLoadedClassList="$list" -jar "$jar" >"$log" 2>&1 &
  pid=$!
  if await_ready "$mgmt" "$pid" 120 0.2; then
    ready=0
  fi
  kill -TERM "$pid" 2>/dev/null || true
  for _ in $(seq 1 300); do
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.1
  done
  kill -KILL "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
  return "$ready"
}

# ensure_appcds_archive JAR HTTP_PORT MGMT_PORT JVM_OPTION...: makes a new archive unless the one beside the
# jar is newer than the jar and was made by this JVM with these options. Never fatal: when a step fails (the
# service does not start, say), the archive is left out and the real start shows why.
ensure_appcds_archive() {
  local jar="$1" http="$2" mgmt="$3" archive stamp work
  archive="$(appcds_archive_path "$jar")"
  stamp="$(_appcds_stamp "$@")"
  if [[ -f "$archive" && "$archive" -nt "$jar" && "$(cat "$archive.stamp" 2>/dev/null)" == "$stamp" ]]; then
    return 0
  fi
  rm -f "$archive" "$archive.stamp" "$archive.tmp"
  if ! command -v curl >/dev/null 2>&1; then
    printf 'appcds: no archive (curl, which tells when the training start is ready, is not installed)\n' >&2
    return 0
  fi
  work="${archive%.jsa}-appcds"
  rm -rf "$work" && mkdir -p "$work"
  printf 'appcds: training start of %s for its class-data archive (once per build, ~20 s)...\n' "$jar" >&2
  if ! _appcds_train "$jar" "$http" "$mgmt" "$work/classes.lst" "$work/training.log" "${@:4}"; then
    printf 'appcds: no archive (the training start did not get ready; see %s)\n' "$work/training.log" >&2
    return 0
  fi
  if ! appcds_archivable_classes "$jar" "$work/classes.lst" "$work/archived.lst"; then
    printf 'appcds: no archive (neither the JDK'"'"'s jar tool nor unzip lists the jar)\n' >&2
    return 0
  fi
  if "$ORDERS_JAVA" "${@:4}" -Xshare:dump -XX:SharedClassListFile="$work/archived.lst" \
    -XX:SharedArchiveFile="$archive.tmp" -cp "$jar" >"$work/dump.log" 2>&1 && [[ -s "$archive.tmp" ]]; then
    mv "$archive.tmp" "$archive"
    printf '%s\n' "$stamp" >"$archive.stamp"
    printf 'appcds: wrote %s\n' "$archive" >&2
  else
    rm -f "$archive.tmp"
    printf 'appcds: no archive (the dump failed; see %s)\n' "$work/dump.log" >&2
  fi
  return 0
}
