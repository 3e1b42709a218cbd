#!/usr/bin/env bash
# Starts the local test bed: a Docker daemon, an "swr" registry that checks the
# AK/SK-derived login for real (htpasswd, bcrypt), an anonymous registry, and an
# offline base image in it; then test-env/ext.sh adds buildx 0.13.1 (a CLI
# plugin), two Docker 26 daemons, buildkitd with a buildx remote builder, and
# act. Idempotent: whatever already runs and is ours is reused.
#
#   bash test-env/start.sh          # then: source "${IMAGESHIP_TESTBED:-/tmp/imageship-testbed}/env"
#
# Env: IMAGESHIP_TESTBED (state dir), TESTBED_REGION, TESTBED_AK, TESTBED_SK;
# ext.sh's: IMAGESHIP_TESTBED_EXT, IMAGESHIP_SHARED_TOOLS, CI.
set -euo pipefail

STATE="${IMAGESHIP_TESTBED:-/tmp/imageship-testbed}"
SWR_ADDR=127.0.0.1:5101
ANON_ADDR=127.0.0.1:5102
BASE_REPO=library/busybox
BASE_TAG=stable
BASE_IMAGE="$ANON_ADDR/$BASE_REPO:$BASE_TAG"

DEFAULT_REGION=cn-north-4
DEFAULT_AK=HPUATESTAK0000000001
DEFAULT_SK=TestSecretKey0000000000000000000000000000
DEFAULT_PASSWORD=a93997e52b53d3ddcb54abdff10d4458b7bf22dd86dae68b8b03e5c018c49622

REGION="${TESTBED_REGION:-$DEFAULT_REGION}"
AK="${TESTBED_AK:-$DEFAULT_AK}"
SK="${TESTBED_SK:-$DEFAULT_SK}"

started_at=$(date +%s.%N)
say() { printf 'testbed: %s\n' "$*" >&2; }
die() { printf 'testbed: ERROR: %s\n' "$*" >&2; exit 1; }

mkdir -p "$STATE"

# ---------------------------------------------------------------- packages
install_missing_packages() {
  local missing=()
  command -v dockerd >/dev/null 2>&1 || missing+=(dockerd)
  command -v docker >/dev/null 2>&1 || missing+=(docker)
  command -v docker-registry >/dev/null 2>&1 || missing+=(docker-registry)
  command -v htpasswd >/dev/null 2>&1 || missing+=(htpasswd)
  command -v skopeo >/dev/null 2>&1 || missing+=(skopeo)
  command -v curl >/dev/null 2>&1 || missing+=(curl)
  # The Kubernetes API stand-in makes its CA and certificates with openssl.
  command -v openssl >/dev/null 2>&1 || missing+=(openssl)
  # ext.sh: Docker 26's docker-init is bookworm's tini-static; xz unpacks the
  # shared tools; ip makes the Docker 26 daemons' bridges.
  [ -x /usr/bin/tini-static ] || missing+=(tini)
  command -v xz >/dev/null 2>&1 || missing+=(xz)
  command -v ip >/dev/null 2>&1 || missing+=(ip)
  # The package tests make their zip archives with Info-ZIP, a reader independent of imageship's.
  command -v zip >/dev/null 2>&1 || missing+=(zip)
  # The base image needs the *static* busybox (Debian's plain busybox is dynamic).
  if ! command -v busybox >/dev/null 2>&1 ||
    { command -v dpkg-query >/dev/null 2>&1 &&
      [ "$(dpkg-query -W -f='${Status}' busybox-static 2>/dev/null)" != "install ok installed" ]; }; then
    missing+=(busybox-static)
  fi
  [ ${#missing[@]} -eq 0 ] && return 0
  [ "$(id -u)" -eq 0 ] || die "missing ${missing[*]}; run as root or install: docker.io docker-registry apache2-utils skopeo busybox-static curl openssl tini xz-utils iproute2 zip"
  say "installing Debian packages (missing: ${missing[*]}; log: $STATE/apt.log)"
  # Keep package scripts from starting services (dockerd with iptables, a registry on :5000).
  local made_policy=0
  if [ ! -e /usr/sbin/policy-rc.d ]; then
    printf '#!/bin/sh\nexit 101\n' >/usr/sbin/policy-rc.d
    chmod +x /usr/sbin/policy-rc.d
    made_policy=1
  fi
  local rc=0
  {
    DEBIAN_FRONTEND=noninteractive apt-get update -q &&
      DEBIAN_FRONTEND=noninteractive apt-get install -y -q \
        docker.io docker-registry apache2-utils skopeo busybox-static curl openssl tini xz-utils iproute2 zip
  } </dev/null >"$STATE/apt.log" 2>&1 || rc=$?
  if [ "$made_policy" -eq 1 ]; then rm -f /usr/sbin/policy-rc.d; fi
  [ "$rc" -eq 0 ] || { tail -n 30 "$STATE/apt.log" >&2; die "apt-get failed (log: $STATE/apt.log)"; }
  local cmd
  for cmd in dockerd docker docker-registry htpasswd skopeo curl openssl busybox tini-static xz ip zip; do
    command -v "$cmd" >/dev/null 2>&1 || die "$cmd still missing after apt-get install"
  done
}

# ---------------------------------------------------------------- helpers
# HTTP status of a GET (000 when nothing answers). Optional user:password for
# Basic auth, handed to curl on stdin so it never shows in a process list.
http_status() {
  local url=$1 userpass=${2:-}
  if [ -n "$userpass" ]; then
    printf 'user = "%s"\n' "$userpass" |
      curl -s -K - -o /dev/null -w '%{http_code}' --max-time 3 "$url" 2>/dev/null || true
  else
    curl -s -o /dev/null -w '%{http_code}' --max-time 3 "$url" 2>/dev/null || true
  fi
}

pid_alive() { [ -n "${1:-}" ] && kill -0 "$1" 2>/dev/null; }

# The cmdline of a pid, NULs as spaces.
cmdline_of() { tr '\0' ' ' <"/proc/$1/cmdline" 2>/dev/null || true; }

docker_answers() { docker info --format '{{.ServerVersion}}' >/dev/null 2>&1; }

hmac_password() {
  local out
  if command -v openssl >/dev/null 2>&1; then
    out=$(printf %s "$AK" | openssl dgst -sha256 -hmac "$SK")
    printf '%s' "${out##* }"
  else
    node -e 'process.stdout.write(require("crypto").createHmac("sha256", process.argv[2]).update(process.argv[1]).digest("hex"))' "$AK" "$SK"
  fi
}

# ---------------------------------------------------------------- docker daemon
ensure_docker() {
  local ours_pid=""
  if [ -f "$STATE/dockerd.pid" ]; then
    ours_pid=$(cat "$STATE/dockerd.pid")
    if ! pid_alive "$ours_pid" || [[ "$(cmdline_of "$ours_pid")" != *dockerd* ]]; then
      rm -f "$STATE/dockerd.pid"
      ours_pid=""
    fi
  fi
  if docker_answers; then
    if [ -n "$ours_pid" ]; then say "dockerd: reusing ours (pid $ours_pid)"; else say "dockerd: reusing a running daemon (not ours; stop.sh leaves it)"; fi
    return 0
  fi
  if [ -n "$ours_pid" ]; then
    say "dockerd: ours (pid $ours_pid) does not answer yet; waiting"
  else
    if [ -f /var/run/docker.pid ]; then
      local old
      old=$(cat /var/run/docker.pid 2>/dev/null || true)
      if pid_alive "$old"; then
        die "a dockerd (pid $old, /var/run/docker.pid) runs but does not answer 'docker info'; stop it or fix it first"
      fi
      say "dockerd: removing stale /var/run/docker.pid (pid $old is gone)"
      rm -f /var/run/docker.pid
    fi
    say "dockerd: starting (log: $STATE/dockerd.log)"
    setsid dockerd --iptables=false --ip6tables=false --storage-driver=vfs \
      </dev/null >>"$STATE/dockerd.log" 2>&1 &
    ours_pid=$!
    echo "$ours_pid" >"$STATE/dockerd.pid"
  fi
  local i
  for ((i = 0; i < 120; i++)); do
    if docker_answers; then
      # dockerd writes its own pid file; trust it over $! (setsid may fork).
      local real
      real=$(cat /var/run/docker.pid 2>/dev/null || true)
      if pid_alive "$real" && [[ "$(cmdline_of "$real")" == *dockerd* ]]; then echo "$real" >"$STATE/dockerd.pid"; fi
      say "dockerd: ready (pid $(cat "$STATE/dockerd.pid"), server $(docker info --format '{{.ServerVersion}}'))"
      return 0
    fi
    if ! pid_alive "$ours_pid" && ! pid_alive "$(cat /var/run/docker.pid 2>/dev/null || true)"; then
      rm -f "$STATE/dockerd.pid"
      tail -n 30 "$STATE/dockerd.log" >&2
      die "dockerd exited (log: $STATE/dockerd.log)"
    fi
    sleep 0.5
  done
  tail -n 30 "$STATE/dockerd.log" >&2
  die "dockerd did not answer 'docker info' within 60 s (log: $STATE/dockerd.log)"
}

# ---------------------------------------------------------------- registries
# write_registry_config NAME ADDR [HTPASSWD_FILE]
write_registry_config() {
  local name=$1 addr=$2 htfile=${3:-} dir="$STATE/$1"
  mkdir -p "$dir/data"
  # The secret only signs upload-state tokens; a fixed per-registry value keeps
  # resumable uploads valid across restarts.
  {
    printf 'version: 0.1\n'
    printf 'log:\n  level: info\n  formatter: text\n  fields:\n    service: %s\n' "$name"
    printf 'storage:\n  filesystem:\n    rootdirectory: %s\n  delete:\n    enabled: true\n' "$dir/data"
    printf 'http:\n  addr: %s\n  secret: imageship-testbed-%s\n' "$addr" "$name"
    if [ -n "$htfile" ]; then
      printf 'auth:\n  htpasswd:\n    realm: imageship-test\n    path: %s\n' "$htfile"
    fi
  } >"$dir/config.yml.new"
  mv "$dir/config.yml.new" "$dir/config.yml"
}

# ensure_registry NAME ADDR EXPECTED_ANON_STATUS [USER:PASS that must get 200]
ensure_registry() {
  local name=$1 addr=$2 anon_expect=$3 login=${4:-} dir="$STATE/$1"
  local config="$dir/config.yml" pidfile="$dir/registry.pid" pid="" status
  if [ -f "$pidfile" ]; then
    pid=$(cat "$pidfile")
    if ! pid_alive "$pid" || [[ "$(cmdline_of "$pid")" != *docker-registry*"$config"* ]]; then
      rm -f "$pidfile"
      pid=""
    fi
  fi
  status=$(http_status "http://$addr/v2/")
  if [ "$status" = 200 ] || [ "$status" = 401 ]; then
    [ -n "$pid" ] || die "port ${addr##*:} answers as a registry (GET /v2/ -> $status) but it is not ours (no live pid in $pidfile); stop it or free the port"
    local healthy=1
    [ "$status" = "$anon_expect" ] || healthy=0
    if [ -n "$login" ] && [ "$(http_status "http://$addr/v2/" "$login")" != 200 ]; then healthy=0; fi
    if [ "$healthy" = 1 ]; then
      say "$name registry: reusing ours at $addr (pid $pid)"
      return 0
    fi
    # Our registry with an old config (other credentials): htpasswd is read at start.
    say "$name registry: ours at $addr has another config; restarting"
    stop_pid "$pid"
    rm -f "$pidfile"
    pid=""
  elif [ "$status" != 000 ]; then
    die "port ${addr##*:} is held by something that is not a registry (GET /v2/ -> $status); free it"
  elif [ -n "$pid" ]; then
    # Ours but not answering: give it a moment, then restart it.
    sleep 1
    status=$(http_status "http://$addr/v2/")
    if [ "$status" != "$anon_expect" ]; then
      say "$name registry: ours (pid $pid) does not answer; restarting"
      stop_pid "$pid"
      rm -f "$pidfile"
      pid=""
    fi
  fi
  if [ -z "$pid" ]; then
    if port_in_use "${addr##*:}"; then
      die "port ${addr##*:} on 127.0.0.1 is held by another process (not a registry of this test bed); free it"
    fi
    say "$name registry: starting at $addr (log: $dir/registry.log)"
    setsid docker-registry serve "$config" </dev/null >>"$dir/registry.log" 2>&1 &
    pid=$!
    echo "$pid" >"$pidfile"
  fi
  local i
  for ((i = 0; i < 60; i++)); do
    status=$(http_status "http://$addr/v2/")
    if [ "$status" = "$anon_expect" ]; then
      if [ -n "$login" ]; then
        [ "$(http_status "http://$addr/v2/" "$login")" = 200 ] || die "$name registry answers but rejects the derived login (log: $dir/registry.log)"
      fi
      say "$name registry: ready at $addr (pid $pid)"
      return 0
    fi
    if ! pid_alive "$pid"; then
      rm -f "$pidfile"
      tail -n 20 "$dir/registry.log" >&2
      die "$name registry exited (log: $dir/registry.log)"
    fi
    sleep 0.25
  done
  die "$name registry did not answer GET /v2/ with $anon_expect within 15 s (log: $dir/registry.log)"
}

port_in_use() {
  if command -v ss >/dev/null 2>&1; then
    ss -Hltn "sport = :$1" 2>/dev/null | grep -q .
  else
    (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
  fi
}

stop_pid() {
  local pid=$1 i
  kill "$pid" 2>/dev/null || return 0
  for ((i = 0; i < 40; i++)); do pid_alive "$pid" || return 0; sleep 0.25; done
  kill -9 "$pid" 2>/dev/null || true
}

# ---------------------------------------------------------------- base image
ensure_base_image() {
  local accept='application/vnd.docker.distribution.manifest.v2+json,application/vnd.oci.image.manifest.v1+json,application/vnd.docker.distribution.manifest.list.v2+json,application/vnd.oci.image.index.v1+json'
  local status
  status=$(curl -s -o /dev/null -w '%{http_code}' --max-time 5 -I -H "Accept: $accept" \
    "http://$ANON_ADDR/v2/$BASE_REPO/manifests/$BASE_TAG" 2>/dev/null || true)
  if [ "$status" = 200 ]; then
    say "base image: $BASE_IMAGE present"
    return 0
  fi
  say "base image: making $BASE_IMAGE from the static busybox"
  local rootfs
  rootfs=$(mktemp -d "$STATE/rootfs.XXXXXX")
  mkdir -p "$rootfs/bin" "$rootfs/tmp" "$rootfs/www" "$rootfs/etc"
  cp /bin/busybox "$rootfs/bin/busybox"
  local applet
  for applet in sh echo cat ls httpd; do ln -s busybox "$rootfs/bin/$applet"; done
  printf 'root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/:/bin/false\n' >"$rootfs/etc/passwd"
  printf 'root:x:0:\nnogroup:x:65534:\n' >"$rootfs/etc/group"
  chmod 1777 "$rootfs/tmp"
  tar --numeric-owner --owner=0 --group=0 -C "$rootfs" -cf - . |
    docker import \
      --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
      --change 'CMD ["sh"]' \
      --message 'imageship test bed: static busybox' \
      - "$BASE_IMAGE" >/dev/null
  rm -rf "$rootfs"
  docker push "$BASE_IMAGE" >"$STATE/base-push.log" 2>&1 || {
    cat "$STATE/base-push.log" >&2
    die "docker push $BASE_IMAGE failed"
  }
  say "base image: pushed $BASE_IMAGE"
}

# ---------------------------------------------------------------- main
install_missing_packages

PASSWORD=$(hmac_password)
[[ "$PASSWORD" =~ ^[0-9a-f]{64}$ ]] || die "could not compute HMAC-SHA256 password (got '$PASSWORD')"
if [ "$AK" = "$DEFAULT_AK" ] && [ "$SK" = "$DEFAULT_SK" ] && [ "$PASSWORD" != "$DEFAULT_PASSWORD" ]; then
  die "derived password $PASSWORD != expected $DEFAULT_PASSWORD for the default AK/SK"
fi
USERNAME="$REGION@$AK"

ensure_docker

mkdir -p "$STATE/swr" "$STATE/anon"
htpasswd -Bbn "$USERNAME" "$PASSWORD" | sed '/^$/d' >"$STATE/swr/htpasswd.new"
chmod 600 "$STATE/swr/htpasswd.new"
# Replace the file only when the login changed, so a running registry's file stays as loaded.
if [ -f "$STATE/swr/htpasswd" ] && htpasswd -vb "$STATE/swr/htpasswd" "$USERNAME" "$PASSWORD" >/dev/null 2>&1 &&
  [ "$(cut -d: -f1 "$STATE/swr/htpasswd")" = "$USERNAME" ]; then
  rm -f "$STATE/swr/htpasswd.new"
else
  mv "$STATE/swr/htpasswd.new" "$STATE/swr/htpasswd"
fi
write_registry_config swr "$SWR_ADDR" "$STATE/swr/htpasswd"
write_registry_config anon "$ANON_ADDR"

ensure_registry swr "$SWR_ADDR" 401 "$USERNAME:$PASSWORD"
ensure_registry anon "$ANON_ADDR" 200

ensure_base_image

# Writes $STATE/env.ext; a part that fails there is a warning, or fatal with CI=true.
bash "$(dirname "${BASH_SOURCE[0]}")/ext.sh"

{
  printf 'export TESTBED_SWR_REGISTRY=%q\n' "$SWR_ADDR"
  printf 'export TESTBED_ANON_REGISTRY=%q\n' "$ANON_ADDR"
  printf 'export TESTBED_REGION=%q\n' "$REGION"
  printf 'export TESTBED_AK=%q\n' "$AK"
  printf 'export TESTBED_SK=%q\n' "$SK"
  printf 'export TESTBED_BASE_IMAGE=%q\n' "$BASE_IMAGE"
  cat "$STATE/env.ext"
} >"$STATE/env.new"
mv "$STATE/env.new" "$STATE/env"

elapsed=$(awk -v a="$started_at" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b - a }')
echo "testbed ready in ${elapsed}s: docker $(docker info --format '{{.ServerVersion}}'), swr=$SWR_ADDR (user $USERNAME), anon=$ANON_ADDR, base=$BASE_IMAGE, env=$STATE/env"
