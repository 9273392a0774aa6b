#!/usr/bin/env bash
# Make sure a Docker daemon answers, for the `docker` test tier.
#
#   tests/standins/engine.sh          start one if none answers (installs Debian's docker.io if needed)
#   tests/standins/engine.sh stop     stop the dockerd this script started (and only that one)
#
# Environment:
#   DOCKGEN_DOCKERD_LOG      dockerd's log file  (default: <cache>/engine/dockerd.log)
#   DOCKGEN_DOCKERD_PID      dockerd's pid file  (default: <cache>/engine/dockerd.pid)
#   DOCKGEN_DOCKERD_TIMEOUT  seconds to wait for `docker info` (default: 60)
#   DOCKGEN_STANDIN_CACHE    <cache>, default ${XDG_CACHE_HOME:-$HOME/.cache}/dockgen-standins
set -euo pipefail

CACHE=${DOCKGEN_STANDIN_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/dockgen-standins}
LOG=${DOCKGEN_DOCKERD_LOG:-$CACHE/engine/dockerd.log}
PIDFILE=${DOCKGEN_DOCKERD_PID:-$CACHE/engine/dockerd.pid}
TIMEOUT=${DOCKGEN_DOCKERD_TIMEOUT:-60}

die() { echo "engine: $*" >&2; exit 1; }

docker_cli() {
  if [ -x /usr/bin/docker ]; then echo /usr/bin/docker
  elif command -v docker >/dev/null 2>&1; then command -v docker
  fi
}

engine_answers() {
  local cli
  cli=$(docker_cli)
  [ -n "$cli" ] && "$cli" info >/dev/null 2>&1
}

# Root is needed to install packages and run dockerd: re-run through sudo when we are not root.
need_root() {
  if [ "$(id -u)" -ne 0 ]; then
    command -v sudo >/dev/null 2>&1 || die "must run as root (no sudo found)"
    exec sudo -E -- "$0" "$@"
  fi
}

# pid of the dockerd we started, if it is still running
our_dockerd() {
  local pid
  [ -f "$PIDFILE" ] || return 1
  pid=$(cat "$PIDFILE")
  [ -n "$pid" ] && [ -r "/proc/$pid/comm" ] && [ "$(cat "/proc/$pid/comm")" = dockerd ] || return 1
  echo "$pid"
}

stop_engine() {
  local pid i
  if ! pid=$(our_dockerd); then
    rm -f "$PIDFILE"
    echo "engine: no dockerd started by engine.sh is running (pid file: $PIDFILE)"
    return 0
  fi
  need_root stop
  kill -TERM "$pid"
  # dockerd stops its containers (up to 15 s each by default) and its containerd before exiting
  for ((i = 0; i < 120; i++)); do
    [ -d "/proc/$pid" ] || break
    sleep 0.5
  done
  if [ -d "/proc/$pid" ]; then
    echo "engine: dockerd (pid $pid) still running after 60 s, sending SIGKILL" >&2
    kill -KILL "$pid" || true
    while [ -d "/proc/$pid" ]; do sleep 0.2; done
  fi
  rm -f "$PIDFILE"
  echo "engine: stopped dockerd (pid $pid)"
}

wait_for_engine() {  # wait_for_engine PID-or-empty
  local pid=$1 i
  for ((i = 0; i < TIMEOUT * 2; i++)); do
    engine_answers && return 0
    if [ -n "$pid" ] && ! [ -d "/proc/$pid" ]; then
      echo "engine: dockerd (pid $pid) exited before answering; last lines of $LOG:" >&2
      tail -n 20 "$LOG" >&2 || true
      exit 1
    fi
    sleep 0.5
  done
  echo "engine: the engine did not answer \`docker info\` within ${TIMEOUT} s; last lines of $LOG:" >&2
  tail -n 20 "$LOG" >&2 2>/dev/null || true
  exit 1
}

start_engine() {
  local pid dockerd
  if engine_answers; then
    echo "engine: already running"
    return 0
  fi
  need_root
  if pid=$(our_dockerd); then
    echo "engine: dockerd started earlier (pid $pid) is not answering yet; waiting"
    wait_for_engine "$pid"
    echo "engine: already running"
    return 0
  fi
  if ! [ -x /usr/sbin/dockerd ]; then
    echo "engine: installing docker.io with apt-get"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq || die "apt-get update failed"
    apt-get install -y -qq docker.io >/dev/null || die "apt-get install docker.io failed"
    [ -x /usr/sbin/dockerd ] || die "docker.io installed but /usr/sbin/dockerd is missing"
  fi
  # Where systemd runs, the package's service is the engine (its postinst may have started it).
  if [ -d /run/systemd/system ] && command -v systemctl >/dev/null 2>&1; then
    systemctl start docker.service || die "systemctl start docker.service failed"
    wait_for_engine ""
    echo "engine: started docker.service (systemd)"
    return 0
  fi
  # A dockerd that is not answering yet (started by the package's init script, or by someone else)?
  if [ -f /var/run/docker.pid ]; then
    pid=$(cat /var/run/docker.pid)
    if [ -n "$pid" ] && [ "$(cat "/proc/$pid/comm" 2>/dev/null)" = dockerd ]; then
      echo "engine: a dockerd (pid $pid) is running but not answering yet; waiting"
      LOG="(no log: this dockerd was not started by engine.sh)"
      wait_for_engine "$pid"
      echo "engine: already running"
      return 0
    fi
  fi
  dockerd=/usr/sbin/dockerd
  mkdir -p "$(dirname "$LOG")" "$(dirname "$PIDFILE")"
  setsid "$dockerd" >"$LOG" 2>&1 </dev/null &
  pid=$!
  echo "$pid" >"$PIDFILE"
  wait_for_engine "$pid"
  echo "engine: started dockerd (pid $pid)"
}

case "${1:-start}" in
  start) start_engine ;;
  stop) stop_engine ;;
  *) die "usage: $0 [start|stop]" ;;
esac
