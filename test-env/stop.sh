#!/usr/bin/env bash
# Stops what test-env/start.sh started (by the pids it recorded) and leaves
# anything else alone: a Docker daemon that was already running stays up.
# Registry data, images and the trixie packages stay in the state dir; delete
# the dir for a clean slate.
set -euo pipefail

STATE="${IMAGESHIP_TESTBED:-/tmp/imageship-testbed}"
say() { printf 'testbed: %s\n' "$*" >&2; }

pid_alive() { [ -n "${1:-}" ] && kill -0 "$1" 2>/dev/null; }
cmdline_of() { tr '\0' ' ' <"/proc/$1/cmdline" 2>/dev/null || true; }

# stop_recorded LABEL PIDFILE PATTERN TIMEOUT_S
stop_recorded() {
  local label=$1 pidfile=$2 pattern=$3 timeout=$4 pid i
  [ -f "$pidfile" ] || { say "$label: not started by start.sh; nothing to stop"; return 0; }
  pid=$(cat "$pidfile")
  rm -f "$pidfile"
  # A recycled pid must not be killed: check it still is the process we started.
  if ! pid_alive "$pid" || [[ "$(cmdline_of "$pid")" != *"$pattern"* ]]; then
    say "$label: already gone (pid $pid)"
    return 0
  fi
  kill -TERM "$pid" 2>/dev/null || true
  for ((i = 0; i < timeout * 4; i++)); do
    if ! pid_alive "$pid"; then say "$label: stopped (pid $pid)"; return 0; fi
    sleep 0.25
  done
  say "$label: did not stop in ${timeout}s; killing pid $pid"
  kill -KILL "$pid" 2>/dev/null || true
}

# After a Docker 26 daemon is gone: deletes its bridge when start.sh created
# it (marker), and unmounts the bind mount dockerd puts on its data root, which
# stays when dockerd was killed (so the state dir can be deleted).
cleanup_docker26() {
  local dir=$1 name
  if curl -s -o /dev/null --max-time 3 --unix-socket "$dir/docker.sock" http://docker/_ping 2>/dev/null; then
    say "$(basename "$dir"): a daemon still answers on $dir/docker.sock; its bridge and mounts stay"
    return 0
  fi
  if [ -f "$dir/bridge.ours" ]; then
    name=$(cat "$dir/bridge.ours")
    ip link delete "$name" 2>/dev/null || true
    rm -f "$dir/bridge.ours"
    say "bridge $name: deleted"
  fi
  while mountpoint -q "$dir/data" 2>/dev/null; do
    umount "$dir/data" || break
  done
}

# The extensions (test-env/ext.sh) first: nothing else depends on them.
stop_recorded "buildkitd" "$STATE/buildkit/buildkitd.pid" "buildkitd --config $STATE/buildkit/buildkitd.toml" 15
for name in docker26c docker26; do
  # Each stops its containers and its own containerd on SIGTERM.
  stop_recorded "$name" "$STATE/$name/dockerd.pid" "dockerd --config-file $STATE/$name/daemon.json" 30
done
for name in docker26c docker26; do
  cleanup_docker26 "$STATE/$name"
done

stop_recorded "swr registry" "$STATE/swr/registry.pid" "docker-registry serve $STATE/swr/config.yml" 10
stop_recorded "anon registry" "$STATE/anon/registry.pid" "docker-registry serve $STATE/anon/config.yml" 10
# dockerd stops its containers and its own containerd on SIGTERM; give it time.
stop_recorded "dockerd" "$STATE/dockerd.pid" "dockerd" 30
