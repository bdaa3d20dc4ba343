#!/usr/bin/env bash
# shellcheck shell=bash
#
# The build step of the load-test suites (lib/suite.sh, lib/faults.sh): builds what is stale, then sets jar
# (the service's runner jar, which the suites start) and cp_bench (the class path of the plain-Java tools). Source it from the repository root, after bin/lib/java.sh
# (find_java). Source this file, do not execute it.

# build_stale SKIP_BUILD: with SKIP_BUILD=false, installs the service when its sources are newer than its jar
# or its order-number jar is not the one installed (./mvnw install: the load tests depend on that jar), and
# compiles the load tests when they or that jar are newer than their class path, and packages the floor reference
# (loadtest/floor) when its sources are newer than its jar. Either way, fails unless all three are there.
build_stale() {
  local skip="$1" ordernumber_jar=target/order-service-1.0.0-SNAPSHOT-ordernumber.jar installed
  # Where the load tests' build resolves that jar from: the local repository (Maven's default place).
  installed="${HOME}/.m2/repository/io/dispensary/order-service/1.0.0-SNAPSHOT/order-service-1.0.0-SNAPSHOT-ordernumber.jar"
  jar=target/order-service-runner.jar
  # The stack's floor for create-order (loadtest/floor), which the closed-loop step measures beside the service.
  floor_jar=loadtest/floor/target/floor-runner.jar
  find_java
  if [[ "$skip" == false ]]; then
    # bin/test packages but does not install, so a fresh jar in target/ may still be missing from the repository.
    if [[ ! -f "$jar" || ! -f "$ordernumber_jar" ]] || ! cmp -s "$ordernumber_jar" "$installed" \
      || [[ -n "$(find src pom.xml -newer "$jar" -print -quit)" ]]; then
      log "building the service (./mvnw install -Dmaven.test.skip=true: the jars need no test classes)"
      # Formatting is bin/test's concern, not the load tests'. `|| return 1`: this function runs on the left of
      # an ||, where set -e does not stop a failed build, and the suite went on with the old jar.
      ./mvnw -B -q install -Dmaven.test.skip=true -Dspotless.check.skip=true || return 1
    fi
    if [[ ! -f loadtest/target/classpath.txt ]] || [[ -n "$(find loadtest/src loadtest/pom.xml "$installed" \
      -newer loadtest/target/classpath.txt -print -quit)" ]]; then
      log "compiling the load tests"
      ./mvnw -B -q -f loadtest/pom.xml test-compile || return 1
      touch loadtest/target/classpath.txt
    fi
    if [[ ! -f "$floor_jar" ]] || [[ -n "$(find loadtest/floor/src loadtest/floor/pom.xml -newer "$floor_jar" -print -quit)" ]]; then
      log "building the floor reference (loadtest/floor)"
      ./mvnw -B -q -f loadtest/floor/pom.xml package || return 1
    fi
  fi
  [[ -f "$jar" ]] || { log "no $jar: run without --skip-build"; return 1; }
  [[ -f "$floor_jar" ]] || { log "no $floor_jar: run without --skip-build"; return 1; }
  [[ -f loadtest/target/classpath.txt ]] || { log "no loadtest/target/classpath.txt: run without --skip-build"; return 1; }
  # The tools call the service's order-number code from its own jar (on the class path via Maven), never the
  # runner jar, which carries a Netty and a Jackson of its own.
  cp_bench="loadtest/target/test-classes:$(cat loadtest/target/classpath.txt)"
}
