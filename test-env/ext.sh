#!/usr/bin/env bash
# The test bed's second half, run by start.sh once the Docker daemon and the
# registries answer: the Docker and buildx that users have, and the builders
# GitHub runners use. Everything lives under the state dir; the system's
# packages, apt sources and the Docker 20.10 daemon stay as they are.
#
#   - Debian 13 (trixie) packages from a private apt index: docker-buildx 0.13.1
#     (a CLI plugin that tests link into their own DOCKER_CONFIG, never
#     system-wide) and docker.io/docker-cli 26.1.5;
#   - Docker 26 as two more daemons: docker26 (vfs) and docker26c (the
#     containerd image store), each on a socket under the state dir;
#   - buildkitd (../shared/tools) and a buildx "remote" builder for it;
#   - act (../shared/tools), a real runner implementation.
#
#   bash test-env/ext.sh          # every step; writes $STATE/env.ext for start.sh
#   bash test-env/ext.sh STEP     # one step (packages, docker26, docker26c, buildkit, act);
#                                 # prints its env lines on stdout
#
# A failed step is a warning (tests that need it skip) unless CI=true, where it
# fails the run: CI must run every test.
#
# Env: IMAGESHIP_TESTBED (state dir), IMAGESHIP_TESTBED_EXT (where the trixie
# packages go; default $STATE/ext), IMAGESHIP_SHARED_TOOLS (act.xz and
# buildkitd.xz; default <repo>/../shared/tools), CI.
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd -P)
REPO=$(dirname "$HERE")
STATE="${IMAGESHIP_TESTBED:-/tmp/imageship-testbed}"
EXT="${IMAGESHIP_TESTBED_EXT:-$STATE/ext}"
TOOLS="${IMAGESHIP_SHARED_TOOLS:-$REPO/../shared/tools}"
ANON_ADDR=127.0.0.1:5102
SWR_ADDR=127.0.0.1:5101

TRIXIE="$EXT/trixie"         # the private apt index (sources, lists, cache)
DEBS="$EXT/debs"             # the downloaded .deb files
ROOT="$EXT/root"             # the packages' files, as dpkg-deb -x lays them out
BUILDX_PLUGIN="$ROOT/usr/libexec/docker/cli-plugins/docker-buildx"
DOCKER26_BIN="$ROOT/usr/bin"
PACKAGES=(docker-buildx docker.io docker-cli)
# All apt calls of one run together (index, download, one retry of both) may
# not take longer than this: a slow or dead mirror must not hang CI. About
# 55 MB go over the wire (trixie's Packages index and three .debs).
APT_BUDGET_S=240
APT_DEADLINE=$(($(date +%s) + APT_BUDGET_S))

BUILDER=imageship-buildkit
BUILDKITD_HOW=ready # or "reusing ours": for the summary line
BUILDX_CONFIG_DIR="$STATE/buildx-config"
# start.sh's own buildx calls run with this config; tests make their own.
BUILDX_DOCKER_CONFIG="$STATE/buildx-docker-config"

say() { printf 'testbed: %s\n' "$*" >&2; }
die() { printf 'testbed: ERROR: %s\n' "$*" >&2; exit 1; }
pid_alive() { [ -n "${1:-}" ] && kill -0 "$1" 2>/dev/null; }
cmdline_of() { tr '\0' ' ' <"/proc/$1/cmdline" 2>/dev/null || true; }
since() { awk -v a="$1" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1fs", b - a }'; }

# The pid in FILE when that process is alive and its cmdline holds PATTERN;
# otherwise removes FILE (a recycled pid must never be taken for ours).
recorded_pid() {
  local file=$1 pattern=$2 pid
  [ -f "$file" ] || return 0
  pid=$(cat "$file" 2>/dev/null || true)
  if pid_alive "$pid" && [[ "$(cmdline_of "$pid")" == *"$pattern"* ]]; then
    echo "$pid"
  else
    rm -f "$file"
  fi
}

# ---------------------------------------------------------------- trixie packages
apt_private() {
  # Every Dir:: apt reads or writes points into $TRIXIE, so neither the
  # system's sources, pins and lists nor its dpkg status are read or changed.
  # apt.conf.d stays: it may hold the proxy the machine needs.
  local left=$((APT_DEADLINE - $(date +%s)))
  if ((left <= 0)); then
    # To the caller's log, whose tail the caller shows.
    echo "the ${APT_BUDGET_S}s budget for the trixie downloads is spent" >&2
    return 1
  fi
  timeout "$left" apt-get -q \
    -o Dir::Etc::SourceList=/dev/null \
    -o Dir::Etc::SourceParts="$TRIXIE/sources.list.d" \
    -o Dir::Etc::Preferences=/dev/null \
    -o Dir::Etc::PreferencesParts="$TRIXIE/preferences.d" \
    -o Dir::State="$TRIXIE/state" \
    -o Dir::State::status="$TRIXIE/status" \
    -o Dir::Cache="$TRIXIE/cache" \
    -o APT::Architectures="$(dpkg --print-architecture)" \
    -o Acquire::Languages=none \
    -o Acquire::http::Timeout=30 \
    -o Acquire::https::Timeout=30 \
    -o Acquire::Retries=2 \
    -o APT::Sandbox::User=root \
    "$@"
}

# timeout(1) exits 124 when it stopped the command.
budget_note() { [ "$1" -ne 124 ] || printf ': the %ss budget ran out' "$APT_BUDGET_S"; }

# The Debian mirror the system already uses (deb822 or one-line sources).
debian_mirror() {
  local uri
  uri=$(grep -hs '^URIs:' /etc/apt/sources.list.d/*.sources | awk '{print $2}' | grep -v -e security -e '^$' | grep -m1 debian || true)
  [ -n "$uri" ] || uri=$(awk '$1 == "deb" && $0 !~ /security/ { print $2; exit }' /etc/apt/sources.list 2>/dev/null || true)
  echo "${uri:-http://deb.debian.org/debian}"
}

# Refreshes the private index when it is missing or a day old.
trixie_index() {
  local force=${1:-}
  if [ -z "$force" ] && [ -n "$(find "$TRIXIE/state/lists" -maxdepth 1 -name '*trixie*Packages*' -mmin -1440 2>/dev/null)" ]; then
    return 0
  fi
  mkdir -p "$TRIXIE/sources.list.d" "$TRIXIE/preferences.d" "$TRIXIE/state/lists/partial" "$TRIXIE/cache/archives/partial"
  : >>"$TRIXIE/status"
  printf 'Types: deb\nURIs: %s\nSuites: trixie\nComponents: main\nSigned-By: /usr/share/keyrings/debian-archive-keyring.gpg\n' \
    "$(debian_mirror)" >"$TRIXIE/sources.list.d/trixie.sources"
  local rc=0
  apt_private update >"$EXT/apt-update.log" 2>&1 || rc=$?
  if [ "$rc" -ne 0 ]; then
    tail -n 20 "$EXT/apt-update.log" >&2
    die "apt-get update of the private trixie index failed (exit $rc$(budget_note "$rc"); log: $EXT/apt-update.log)"
  fi
}

have_debs() {
  local p
  for p in "${PACKAGES[@]}"; do compgen -G "$DEBS/${p}_*.deb" >/dev/null || return 1; done
}

download_debs() {
  mkdir -p "$DEBS.new"
  rm -f "$DEBS.new"/*.deb
  # A stale index names versions the mirror dropped: refresh it and try once more.
  if ! (cd "$DEBS.new" && apt_private download "${PACKAGES[@]}") >"$EXT/apt-download.log" 2>&1; then
    trixie_index force
    local rc=0
    (cd "$DEBS.new" && apt_private download "${PACKAGES[@]}") >"$EXT/apt-download.log" 2>&1 || rc=$?
    if [ "$rc" -ne 0 ]; then
      tail -n 20 "$EXT/apt-download.log" >&2
      die "apt-get download ${PACKAGES[*]} failed (exit $rc$(budget_note "$rc"); log: $EXT/apt-download.log)"
    fi
  fi
  rm -rf "$DEBS"
  mv "$DEBS.new" "$DEBS"
}

# Extracts into a new tree and swaps it in, so a half-extracted tree never
# looks complete; the stamp names the .debs the tree was made from.
extract_debs() {
  local deb
  rm -rf "$ROOT.new"
  mkdir -p "$ROOT.new"
  for deb in "$DEBS"/*.deb; do dpkg-deb -x "$deb" "$ROOT.new"; done
  # The package's docker-init is a relative link to a tini-static beside it,
  # which is not there: bookworm's tini package has it in /usr/bin.
  ln -sfn /usr/bin/tini-static "$ROOT.new/usr/bin/docker-init"
  (cd "$DEBS" && ls -1 ./*.deb) >"$ROOT.new/.imageship-debs"
  rm -rf "$ROOT"
  mv "$ROOT.new" "$ROOT"
}

extracted_current() {
  [ -f "$ROOT/.imageship-debs" ] && [ -x "$BUILDX_PLUGIN" ] && [ -x "$ROOT/usr/sbin/dockerd" ] &&
    [ "$(cat "$ROOT/.imageship-debs")" = "$(cd "$DEBS" 2>/dev/null && ls -1 ./*.deb 2>/dev/null)" ]
}

step_packages() {
  local t0 how=present
  t0=$(date +%s.%N)
  [ -x /usr/bin/tini-static ] || die "/usr/bin/tini-static is missing (apt-get install tini; start.sh does it)"
  mkdir -p "$EXT"
  if ! have_debs; then
    how=downloaded
    trixie_index
    download_debs
  fi
  if ! extracted_current; then
    [ "$how" = present ] && how=extracted
    extract_debs
  fi
  local bx d26
  bx=$("$BUILDX_PLUGIN" version 2>/dev/null | awk '{print $2}')
  d26=$("$DOCKER26_BIN/docker" --version 2>/dev/null | sed -E 's/^Docker version ([^ ,]+).*/\1/')
  { [ -n "$bx" ] && [ -n "$d26" ]; } || die "the extracted buildx or docker 26 CLI does not run (tree: $ROOT)"
  say "trixie packages: $how in $(since "$t0") (buildx $bx plugin, docker $d26; $EXT)"
  printf 'export TESTBED_BUILDX_PLUGIN=%q\n' "$BUILDX_PLUGIN"
  printf 'export TESTBED_DOCKER26_BIN=%q\n' "$DOCKER26_BIN"
}

# ---------------------------------------------------------------- docker 26 daemons
# BuildKit inside dockerd runs RUN steps on the daemon's network named
# "bridge"; with --bridge=none there is none and RUN fails with "network
# bridge not found" (the classic builder just disables networking instead).
# docker0 belongs to the 20.10 daemon, so each 26 daemon gets a bridge of its
# own; iptables stays off, so containers reach nothing beyond it.
#
# Name and subnet follow from the state dir, so a second state dir's daemons
# (for trying changes) get other bridges: imgsNNNv 10.198.NNN.1/24 (vfs) and
# imgsNNNc 10.199.NNN.1/24 (containerd store).
STATE_SLOT=$(($(printf %s "$STATE" | cksum | cut -d' ' -f1) % 250))

ensure_bridge() {
  local name=$1 cidr=$2 marker=$3
  if ! ip link show "$name" >/dev/null 2>&1; then
    ip link add "$name" type bridge || die "cannot create bridge $name"
    echo "$name" >"$marker" # stop.sh deletes only a bridge start.sh created
  fi
  ip addr replace "$cidr" dev "$name"
  ip link set "$name" up
}

docker26_answers() { # socket
  DOCKER_HOST="unix://$1" timeout 10 "$DOCKER26_BIN/docker" version --format '{{.Server.Version}}' 2>/dev/null
}

# ensure_docker26 NAME BRIDGE CIDR STORAGE_DRIVER DAEMON_JSON
ensure_docker26() {
  local name=$1 bridge=$2 cidr=$3 driver=$4 config=$5
  local dir="$STATE/$name" sock="$STATE/$name/docker.sock" pid version
  [ -x "$ROOT/usr/sbin/dockerd" ] || die "$name: $ROOT/usr/sbin/dockerd is missing (the packages step failed)"
  mkdir -p "$dir/data" "$dir/exec"
  pid=$(recorded_pid "$dir/dockerd.pid" "dockerd --config-file $dir/daemon.json")
  if version=$(docker26_answers "$sock"); then
    if [ -n "$pid" ]; then
      say "$name: reusing ours (pid $pid, server $version, unix://$sock)"
    else
      say "$name: reusing a daemon on unix://$sock with no recorded pid (server $version; stop.sh leaves it)"
    fi
    printf 'export TESTBED_%s_HOST=%q\n' "${name^^}" "unix://$sock"
    return 0
  fi
  if [ -n "$pid" ]; then
    say "$name: ours (pid $pid) does not answer yet; waiting"
  else
    ensure_bridge "$bridge" "$cidr" "$dir/bridge.ours"
    printf '%s\n' "$config" >"$dir/daemon.json"
    rm -f "$sock"
    say "$name: starting (log: $dir/dockerd.log)"
    # dockerd finds containerd, runc (bookworm's) and docker-init, docker-proxy
    # (the package's) on PATH; it writes its own pid file once it runs.
    setsid env PATH="$ROOT/usr/sbin:$ROOT/usr/bin:$PATH" "$ROOT/usr/sbin/dockerd" \
      --config-file "$dir/daemon.json" \
      --data-root "$dir/data" --exec-root "$dir/exec" --pidfile "$dir/dockerd.pid" \
      -H "unix://$sock" --storage-driver="$driver" \
      --iptables=false --ip6tables=false --ip-forward=false --bridge="$bridge" \
      </dev/null >>"$dir/dockerd.log" 2>&1 &
    pid=$!
  fi
  local i
  for ((i = 0; i < 120; i++)); do
    if version=$(docker26_answers "$sock"); then
      say "$name: ready (pid $(cat "$dir/dockerd.pid"), server $version, $driver, unix://$sock)"
      printf 'export TESTBED_%s_HOST=%q\n' "${name^^}" "unix://$sock"
      return 0
    fi
    # setsid forks when it starts as a group leader: then only the pid file is right.
    if ! pid_alive "$pid" && ! pid_alive "$(cat "$dir/dockerd.pid" 2>/dev/null || true)"; then
      tail -n 20 "$dir/dockerd.log" >&2
      die "$name: dockerd exited (log: $dir/dockerd.log)"
    fi
    sleep 0.5
  done
  tail -n 20 "$dir/dockerd.log" >&2
  die "$name: dockerd did not answer within 60 s (log: $dir/dockerd.log)"
}

step_docker26() {
  ensure_docker26 docker26 "imgs${STATE_SLOT}v" "10.198.$STATE_SLOT.1/24" vfs '{}'
}

# The containerd image store: its snapshotter name takes --storage-driver's place.
step_docker26c() {
  ensure_docker26 docker26c "imgs${STATE_SLOT}c" "10.199.$STATE_SLOT.1/24" native '{"features":{"containerd-snapshotter":true}}'
}

# ---------------------------------------------------------------- shared tools
# unpack_tool NAME: $TOOLS/NAME.xz -> $STATE/bin/NAME, again only when the .xz is newer.
unpack_tool() {
  local name=$1 src="$TOOLS/$1.xz" dest="$STATE/bin/$1"
  if [ ! -f "$src" ]; then
    [ -x "$dest" ] && return 0 # unpacked before; keep using it
    die "$src is missing (set IMAGESHIP_SHARED_TOOLS to the folder holding $name.xz)"
  fi
  if [ ! -x "$dest" ] || [ "$src" -nt "$dest" ]; then
    mkdir -p "$STATE/bin"
    xz -dc "$src" >"$dest.new"
    chmod +x "$dest.new"
    mv "$dest.new" "$dest" # a running buildkitd keeps its old inode
  fi
}

step_act() {
  unpack_tool act
  local version
  version=$("$STATE/bin/act" --version 2>/dev/null) || die "act: $STATE/bin/act --version failed"
  say "act: ${version#act version } ($STATE/bin/act)"
  printf 'export TESTBED_ACT=%q\n' "$STATE/bin/act"
}

# ---------------------------------------------------------------- buildkit
write_buildkitd_config() {
  local file=$1
  {
    printf 'root = "%s"\n\n' "$STATE/buildkit/root"
    # native: no overlayfs needed. arm64 is declared so multi-platform builds
    # run as on a runner with QEMU; without an emulator only steps that run no
    # arm64 binary (FROM scratch + COPY) work for it.
    printf '[worker.oci]\n  enabled = true\n  snapshotter = "native"\n  platforms = ["linux/amd64", "linux/arm64"]\n\n'
    printf '[worker.containerd]\n  enabled = false\n\n'
    # Plain HTTP for both registries (printf repeats the format per argument).
    printf '[registry."%s"]\n  http = true\n\n' "$SWR_ADDR" "$ANON_ADDR"
  } >"$file"
}

ensure_buildkitd() {
  local dir="$STATE/buildkit" sock="$STATE/buildkit/buildkitd.sock" pid
  mkdir -p "$dir/root"
  write_buildkitd_config "$dir/buildkitd.toml.new"
  pid=$(recorded_pid "$dir/buildkitd.pid" "buildkitd --config $dir/buildkitd.toml")
  if [ -n "$pid" ] && [ -S "$sock" ]; then
    if cmp -s "$dir/buildkitd.toml.new" "$dir/buildkitd.toml"; then
      rm -f "$dir/buildkitd.toml.new"
      BUILDKITD_HOW="reusing ours"
      return 0
    fi
    # buildkitd reads its config once: a changed one needs a restart.
    say "buildkitd: config changed; restarting ours (pid $pid)"
    kill "$pid"
    local i
    for ((i = 0; i < 40; i++)); do pid_alive "$pid" || break; sleep 0.25; done
    pid_alive "$pid" && die "buildkitd (pid $pid) did not stop"
  elif [ -n "$pid" ]; then
    die "buildkitd: ours (pid $pid) runs without its socket $sock (log: $dir/buildkitd.log); stop it: bash test-env/stop.sh"
  fi
  mv "$dir/buildkitd.toml.new" "$dir/buildkitd.toml"
  rm -f "$sock" "$dir/buildkitd.pid"
  say "buildkitd: starting (log: $dir/buildkitd.log)"
  BUILDKITD_HOW=ready
  # The shell records its own pid and then becomes buildkitd (exec), so the
  # pid is right whether setsid forks or not. runc comes from bookworm.
  # shellcheck disable=SC2016 # $$ and $@ are the inner shell's
  setsid bash -c 'echo $$ >"$1"; shift; exec "$@"' _ "$dir/buildkitd.pid" \
    "$STATE/bin/buildkitd" --config "$dir/buildkitd.toml" --addr "unix://$sock" \
    </dev/null >>"$dir/buildkitd.log" 2>&1 &
  local launched=$! i
  for ((i = 0; i < 120; i++)); do
    [ -S "$sock" ] && return 0
    if ! pid_alive "$launched" && ! pid_alive "$(cat "$dir/buildkitd.pid" 2>/dev/null || true)"; then
      tail -n 20 "$dir/buildkitd.log" >&2
      die "buildkitd exited (log: $dir/buildkitd.log)"
    fi
    sleep 0.25
  done
  die "buildkitd did not open $sock within 30 s (log: $dir/buildkitd.log)"
}

buildx() {
  DOCKER_CONFIG="$BUILDX_DOCKER_CONFIG" BUILDX_CONFIG="$BUILDX_CONFIG_DIR" timeout 60 "$DOCKER26_BIN/docker" buildx "$@"
}

# The remote builder, (re)created when missing or pointing at another socket.
ensure_builder() {
  local addr=$1 info
  [ -x "$BUILDX_PLUGIN" ] || die "buildkit: the buildx plugin is missing (the packages step failed)"
  mkdir -p "$BUILDX_DOCKER_CONFIG/cli-plugins" "$BUILDX_CONFIG_DIR"
  ln -sfn "$BUILDX_PLUGIN" "$BUILDX_DOCKER_CONFIG/cli-plugins/docker-buildx"
  if ! buildx inspect "$BUILDER" 2>/dev/null | grep -qxE "Endpoint: +$addr"; then
    buildx rm "$BUILDER" >/dev/null 2>&1 || true
    buildx create --name "$BUILDER" --driver remote "$addr" >/dev/null
  fi
  info=$(buildx inspect --bootstrap "$BUILDER" 2>&1) || { echo "$info" >&2; die "buildx inspect --bootstrap $BUILDER failed"; }
  local driver platforms bk
  driver=$(sed -n -E 's/^Driver: +//p' <<<"$info")
  platforms=$(sed -n -E 's/^Platforms: +//p' <<<"$info" | head -n 1)
  bk=$(sed -n -E 's/^BuildKit version: +//p' <<<"$info" | head -n 1)
  [ "$driver" = remote ] || die "builder $BUILDER has driver '$driver', not remote"
  [[ ", $platforms," == *", linux/amd64,"* && ", $platforms," == *", linux/arm64,"* ]] ||
    die "builder $BUILDER lacks linux/amd64 or linux/arm64 (platforms: $platforms)"
  say "buildkitd: $BUILDKITD_HOW (pid $(cat "$STATE/buildkit/buildkitd.pid"), $bk, $addr; builder $BUILDER: $driver, $platforms)"
}

step_buildkit() {
  unpack_tool buildkitd
  ensure_buildkitd
  local addr="unix://$STATE/buildkit/buildkitd.sock"
  ensure_builder "$addr"
  printf 'export TESTBED_BUILDKIT_ADDR=%q\n' "$addr"
  printf 'export TESTBED_BUILDX_CONFIG=%q\n' "$BUILDX_CONFIG_DIR"
  printf 'export TESTBED_BUILDKIT_BUILDER=%q\n' "$BUILDER"
}

# ---------------------------------------------------------------- main
# Each step runs in its own bash, so its `set -e` holds and one failure stops
# only that step.
run_step() {
  local step=$1 out rc=0
  out=$(bash "$HERE/ext.sh" "$step") || rc=$?
  if [ "$rc" -eq 0 ]; then
    printf '%s\n' "$out" >>"$STATE/env.ext.new"
    return 0
  fi
  if [ "${CI:-}" = true ]; then die "$step failed (CI=true: every part of the test bed is required)"; fi
  say "WARNING: $step is unavailable; the tests that need it skip (CI=true makes this fatal)"
  return 1
}

main() {
  mkdir -p "$STATE"
  : >"$STATE/env.ext.new"
  local step up=() down=()
  if run_step packages; then
    up+=(packages)
    for step in docker26 docker26c buildkit; do
      if run_step "$step"; then up+=("$step"); else down+=("$step"); fi
    done
  else
    down+=(packages docker26 docker26c buildkit)
    say "WARNING: docker26, docker26c and buildkit need the trixie packages; skipped"
  fi
  if run_step act; then up+=(act); else down+=(act); fi
  mv "$STATE/env.ext.new" "$STATE/env.ext"
  say "extensions: up: ${up[*]:-none}${down[*]:+; unavailable: ${down[*]}}"
}

case "${1:-all}" in
all) main ;;
packages | docker26 | docker26c | buildkit | act) "step_$1" ;;
*) sed -n '2,24p' "$0" >&2; exit 2 ;;
esac
