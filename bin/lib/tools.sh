#!/usr/bin/env bash
# shellcheck shell=bash
#
# The command-line tools the deployment tests need besides Java and PostgreSQL. Source it, do not execute it:
#
#   source bin/lib/tools.sh
#   require_kubectl   # kubectl renders the Kustomize overlays (no cluster needed)
#   ensure_promtool   # promtool checks and unit-tests the alert rules; installed when missing
#   lint_openapi      # Spectral over the OpenAPI document: no error and no warning
#   ensure_image_tools # podman, runc, debootstrap and friends for bin/image; installed when missing
#   ensure_chromium   # headless Chromium for the status page's browser test; installed when missing
#   ensure_wrk        # wrk for the load suite's closed-loop and compare steps; installed when missing
#
# Like db.sh, nothing here runs `set -euo pipefail` at top level; the installer runs in a subshell that does.

_tools_log() { printf 'tools: %s\n' "$*" >&2; }

# Fails with a hint when kubectl is missing: it is not in Debian's archive, so it is not installed here.
require_kubectl() {
  if command -v "${KUBECTL:-kubectl}" >/dev/null 2>&1; then
    return 0
  fi
  _tools_log "ERROR: kubectl not found. The deployment tests render k8s/overlays with 'kubectl kustomize' (no cluster needed)."
  _tools_log "  Install it (https://kubernetes.io/docs/tasks/tools/), or set KUBECTL to its path."
  return 1
}

# promtool comes with the Debian package 'prometheus'. Installing it must not leave a Prometheus server running
# (or starting at boot) on a developer's machine: a temporary policy-rc.d keeps the package's scripts from
# starting it, and the service is disabled afterwards.
ensure_promtool() {
  if command -v "${PROMTOOL:-promtool}" >/dev/null 2>&1; then
    return 0
  fi
  local rc=0 errexit=false
  if [[ "$-" == *e* ]]; then errexit=true; fi
  set +e
  (
    set -euo pipefail
    fail() {
      printf 'tools: ERROR: %s\n' "$*" >&2
      exit 1
    }
    sudo=()
    command -v apt-get >/dev/null 2>&1 \
      || fail "promtool not found and apt-get is not available. Install promtool (part of Prometheus, https://prometheus.io/download/) or set PROMTOOL to its path."
    if [[ "$EUID" -ne 0 ]]; then
      command -v sudo >/dev/null 2>&1 \
        || fail "promtool not found; not root and sudo is not installed. Ask an admin to run 'apt-get install prometheus', or set PROMTOOL to a promtool binary."
      sudo=(sudo)
    fi
    _tools_log "promtool not found; installing the Debian package 'prometheus' for it (its server is not started)"
    policy=/usr/sbin/policy-rc.d
    if [[ ! -e "$policy" ]]; then
      # 101: "action not allowed"; invoke-rc.d and deb-systemd-invoke then start nothing.
      printf '#!/bin/sh\nexit 101\n' | "${sudo[@]}" tee "$policy" >/dev/null || fail "cannot write $policy"
      "${sudo[@]}" chmod 755 "$policy"
      trap '"${sudo[@]}" rm -f "$policy"' EXIT
    fi
    "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update >&2 \
      || fail "'apt-get update' failed; cannot install promtool."
    "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends prometheus >&2 \
      || fail "'apt-get install prometheus' failed; install promtool by hand or set PROMTOOL to its path."
    # The package enables its service for the next boot; only promtool was wanted.
    if [[ -d /run/systemd/system ]]; then
      "${sudo[@]}" systemctl disable --now prometheus >&2 || true
    elif command -v update-rc.d >/dev/null 2>&1; then
      "${sudo[@]}" update-rc.d prometheus disable >&2 || true
    fi
    command -v promtool >/dev/null 2>&1 || fail "the 'prometheus' package is installed but promtool is still not on PATH."
    _tools_log "installed $(promtool --version 2>&1 | head -n 1)"
  )
  rc=$?
  if [[ "$errexit" == true ]]; then set -e; fi
  return "$rc"
}

# The OpenAPI document is the storefronts' contract: Spectral's OpenAPI ruleset (spectral:oas, .spectral.yaml) must
# find nothing in it, warnings included. npx fetches the pinned Spectral from the npm registry on first use.
lint_openapi() {
  if ! command -v npx >/dev/null 2>&1; then
    _tools_log "ERROR: npx not found. The OpenAPI document is linted with Spectral from npm: install Node.js and npm"
    _tools_log "  (apt-get install nodejs npm)."
    return 1
  fi
  npx --yes @stoplight/spectral-cli@6.16.0 lint --fail-severity=warn --ruleset .spectral.yaml \
    src/main/resources/META-INF/openapi.yaml
}

# What bin/image needs: Debian's podman (it builds with buildah inside), runc (crun fails on these hosts),
# debootstrap (the base), curl (readiness of the training start); uidmap, fuse-overlayfs and slirp4netns for podman
# as a normal user. A fresh CI machine has none of them: as root (or with sudo) they are installed from Debian.
ensure_image_tools() {
  local -A wanted=([podman]=podman [runc]=runc [debootstrap]=debootstrap [curl]=curl [newuidmap]=uidmap
    [fuse-overlayfs]=fuse-overlayfs [slirp4netns]=slirp4netns)
  local -a missing=()
  local tool
  for tool in "${!wanted[@]}"; do
    command -v "$tool" >/dev/null 2>&1 || [[ -x "/usr/sbin/$tool" ]] || missing+=("${wanted[$tool]}")
  done
  ((${#missing[@]} == 0)) && return 0
  _apt_install "bin/image needs them" "${missing[@]}"
}

# The status page's browser test (StatusPageTest) screenshots /q/status and reads its DOM with Debian's headless
# Chromium. CHROMIUM may name another binary. Without apt-get (or root/sudo) this fails, and so does the test: it
# never skips.
ensure_chromium() {
  if [[ -n "${CHROMIUM:-}" ]]; then
    [[ -x "$CHROMIUM" ]] && return 0
    _tools_log "ERROR: CHROMIUM=$CHROMIUM is not an executable file."
    return 1
  fi
  if command -v chromium >/dev/null 2>&1 || command -v chromium-browser >/dev/null 2>&1; then
    return 0
  fi
  _apt_install "the status page's browser test needs it; or set CHROMIUM to its path" chromium
}

# The load suite's closed-loop and compare steps drive create-order with Debian's wrk.
ensure_wrk() {
  command -v wrk >/dev/null 2>&1 && return 0
  _apt_install "the load suite's closed-loop and compare steps need it" wrk
}

# Installs Debian packages as root, or through sudo; fails with what to do where neither works.
_apt_install() {
  local why="$1"
  shift
  local -a sudo=()
  if ! command -v apt-get >/dev/null 2>&1; then
    _tools_log "ERROR: missing $* and apt-get is not available; install them with your package manager ($why)."
    return 1
  fi
  if [[ "$EUID" -ne 0 ]]; then
    if ! command -v sudo >/dev/null 2>&1; then
      _tools_log "ERROR: missing $*; not root and sudo is not installed. Ask an admin to run 'apt-get install $*' ($why)."
      return 1
    fi
    sudo=(sudo)
  fi
  _tools_log "installing the Debian packages $* ($why)"
  "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update >&2 \
    || { _tools_log "ERROR: 'apt-get update' failed."; return 1; }
  "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "$@" >&2 \
    || { _tools_log "ERROR: 'apt-get install $*' failed ($why)."; return 1; }
}
