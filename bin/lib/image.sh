#!/usr/bin/env bash
# shellcheck shell=bash
#
# What bin/image and loadtest/run-image share: the image's name and tag, how podman is called on these hosts,
# and the flags that start a container the way k8s/base/deployment.yaml starts a pod. Source it, do not execute it.
#
# Knob: ORDERS_IMAGE_STORAGE_DRIVER  podman's storage driver (e.g. vfs where overlay does not work); empty:
#                                    podman's default. Use the same one for bin/image and loadtest/run-image.

# The project version from pom.xml (the <version> right after the project's own artifactId, not the parent's).
image_project_version() {
  awk '/<artifactId>order-service<\/artifactId>/ { found = 1; next }
       found && /<version>/ { gsub(/.*<version>|<\/version>.*/, ""); print; exit }' pom.xml
}

# order-service:<project version>, e.g. localhost/order-service:1.0.0-SNAPSHOT.
image_tag() { printf 'localhost/order-service:%s\n' "$(image_project_version)"; }

# podman with the runtime that works here: crun refuses these hosts' cgroups ("cgroups in hybrid mode not
# supported"), runc does not mind.
image_podman() {
  local -a global=(--runtime runc)
  [[ -n "${ORDERS_IMAGE_STORAGE_DRIVER:-}" ]] && global+=(--storage-driver "$ORDERS_IMAGE_STORAGE_DRIVER")
  podman "${global[@]}" "$@"
}

# Explicit limits: with podman's defaults (taken from the calling process) the JVM or runc failed to start here.
# shellcheck disable=SC2034 # read by the scripts that source this file
image_ulimits=(--ulimit nofile=20000:20000 --ulimit nproc=4096:4096)

# The pod's securityContext as podman flags: uid/gid 185, read-only root, a writable /tmp (the emptyDir), no
# capability, no privilege escalation. seccomp: podman's default profile, as RuntimeDefault.
# shellcheck disable=SC2034,SC2054 # the commas are --tmpfs's options
image_pod_flags=(--user 185:185 --read-only --tmpfs /tmp:rw,size=256m,mode=1777 --cap-drop all
  --security-opt no-new-privileges "${image_ulimits[@]}")

# JAVA_TOOL_OPTIONS of the pods (k8s/base/config.env), as the image also carries them.
image_java_tool_options() { sed -n 's/^JAVA_TOOL_OPTIONS=//p' k8s/base/config.env; }

# The same without the archive option: the training start (there is no archive yet) and the reference start.
image_java_tool_options_without_archive() { image_java_tool_options | sed 's/ *-XX:SharedArchiveFile=[^ ]*//'; }

# port_free PORT: nothing listens on 127.0.0.1:PORT.
port_free() { ! (: </dev/tcp/127.0.0.1/"$1") 2>/dev/null; }
