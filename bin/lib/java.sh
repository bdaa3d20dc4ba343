#!/usr/bin/env bash
# shellcheck shell=bash
#
# find_java: sets ORDERS_JAVA to the java that Maven and bin/run use (JAVA_HOME's, else the one on the PATH), or
# says how to get one. Source this file, do not execute it.
#
# It checks no version: maven-enforcer refuses a JDK older than 17 (and Maven older than 3.9) in every build, with
# the reason; Maven itself says when it was given a JRE; and a JVM older than 17 refuses the jar's classes.
find_java() {
  local java
  if [[ -n "${JAVA_HOME:-}" ]]; then
    java="$JAVA_HOME/bin/java"
  else
    java="$(command -v java 2>/dev/null)" || java=""
  fi
  if [[ -z "$java" || ! -x "$java" ]]; then
    printf 'java: ERROR: no java found%s. Install a JDK 17 or newer, e.g. on Debian/Ubuntu: apt-get install openjdk-17-jdk-headless (or set JAVA_HOME to one).\n' \
      "${JAVA_HOME:+ in JAVA_HOME=$JAVA_HOME}" >&2
    return 1
  fi
  # shellcheck disable=SC2034 # read by the scripts that source this file
  ORDERS_JAVA="$java"
}
