#!/usr/bin/env bash
# shellcheck shell=bash
#
# Whether target/order-service-runner.jar is older than what it is built from. bin/run and bin/image build only
# then: a build costs ~25 s and writes a new jar even when nothing changed, and a new jar also costs bin/run a new
# class-data archive (~20 s). Source this file, do not execute it.

# jar_stale_reason JAR: prints why JAR must be built (missing, or the first input newer than it) and returns 0;
# returns 1, printing nothing, when it is up to date. The inputs are pom.xml and src/main (code and resources);
# the test sources are not in the jar. Directories count too, so a deleted or renamed file makes it stale.
jar_stale_reason() {
  local jar="$1" newer
  if [[ ! -f "$jar" ]]; then
    printf '%s does not exist\n' "$jar"
    return 0
  fi
  newer="$(find pom.xml src/main -newer "$jar" -print -quit 2>/dev/null)"
  if [[ -n "$newer" ]]; then
    printf '%s is newer than %s\n' "$newer" "$jar"
    return 0
  fi
  return 1
}
