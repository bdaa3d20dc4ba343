#!/usr/bin/env bash
# shellcheck shell=bash
#
# One readiness poll for every script that starts the service (bin/run, bin/lib/appcds.sh, loadtest/lib/suite.sh).
# Source this file, do not execute it.

# await_ready MGMT_PORT PID SECONDS [INTERVAL]: polls http://localhost:MGMT_PORT/q/health/ready until it answers
# 200 (returns 0), or the process PID has ended or SECONDS have passed (returns 1). Each poll costs the machine a
# few ms of CPU, which a start being timed pays: callers that time the start poll less often than 10 ms.
await_ready() {
  local mgmt="$1" pid="$2" seconds="$3" interval="${4:-0.2}" deadline
  deadline=$((SECONDS + seconds))
  while ((SECONDS < deadline)); do
    if curl -fso /dev/null --max-time 2 "http://localhost:$mgmt/q/health/ready" 2>/dev/null; then
      return 0
    fi
    kill -0 "$pid" 2>/dev/null || return 1
    sleep "$interval"
  done
  return 1
}
