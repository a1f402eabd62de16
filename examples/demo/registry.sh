#!/usr/bin/env bash
# Start a local, unauthenticated Docker registry on 127.0.0.1:5000 for the opsbot demo
# (Debian's docker-registry with examples/demo/registry-config.yml), unless one already answers.
#
#   examples/demo/registry.sh          start (idempotent) and wait until /v2/ answers 200
#   examples/demo/registry.sh stop     stop the registry started by this script
#   examples/demo/registry.sh status
#
# Env: REGISTRY_STORAGE_FILESYSTEM_ROOTDIRECTORY  storage root (default: /var/lib/opsbot-registry as root,
#        ${XDG_DATA_HOME:-$HOME/.local/share}/opsbot/registry otherwise)
#      OPSBOT_REGISTRY_LOG                         log file (default: <storage root>/registry.log)
set -euo pipefail
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=lib.sh
source "$HERE/lib.sh"

if [ "$(id -u)" = 0 ]; then
    default_root=/var/lib/opsbot-registry
else
    default_root=${XDG_DATA_HOME:-$HOME/.local/share}/opsbot/registry
fi
export REGISTRY_STORAGE_FILESYSTEM_ROOTDIRECTORY=${REGISTRY_STORAGE_FILESYSTEM_ROOTDIRECTORY:-$default_root}
ROOT=$REGISTRY_STORAGE_FILESYSTEM_ROOTDIRECTORY
LOG=${OPSBOT_REGISTRY_LOG:-$ROOT/registry.log}
PIDFILE=$ROOT/registry.pid

case ${1:-start} in
start) ;;
status)
    echo "registry: $REGISTRY_URL/v2/ -> HTTP $(http_status "$REGISTRY_URL/v2/")"
    exit 0 ;;
stop)
    if [ -s "$PIDFILE" ] && kill "$(cat "$PIDFILE")" 2>/dev/null; then
        echo "registry: stopped pid $(cat "$PIDFILE")"
    else
        echo "registry: not started by this script (no live pid in $PIDFILE)"
    fi
    rm -f "$PIDFILE"
    exit 0 ;;
*)
    echo "usage: $0 [start|stop|status]" >&2; exit 2 ;;
esac

status=$(http_status "$REGISTRY_URL/v2/")
case $status in
200)
    echo "registry: already running at $REGISTRY_URL"
    exit 0 ;;
401)
    echo "registry: something with authentication already listens on 127.0.0.1:5000 (HTTP 401)," >&2
    echo "  probably Debian's docker-registry service using /etc/docker/registry/config.yml." >&2
    echo "  Stop it (systemctl disable --now docker-registry, or service docker-registry stop) and re-run." >&2
    exit 1 ;;
000) ;;
*)
    echo "registry: 127.0.0.1:5000 answers HTTP $status on /v2/: not a usable registry" >&2
    exit 1 ;;
esac

if ! command -v docker-registry >/dev/null; then
    echo "registry: docker-registry not found; install it: apt-get install docker-registry" >&2
    exit 2
fi

mkdir -p "$ROOT" "$(dirname "$LOG")"
echo "registry: starting docker-registry (storage $ROOT, log $LOG)"
# setsid + nohup: keep running after this script (and a CI step's shell) exits
setsid nohup docker-registry serve "$HERE/registry-config.yml" >>"$LOG" 2>&1 </dev/null &
echo $! > "$PIDFILE"

for _ in $(seq 1 60); do
    if [ "$(http_status "$REGISTRY_URL/v2/")" = 200 ]; then
        echo "registry: ready at $REGISTRY_URL (pid $(cat "$PIDFILE"))"
        exit 0
    fi
    if ! kill -0 "$(cat "$PIDFILE")" 2>/dev/null; then
        echo "registry: docker-registry exited; last log lines:" >&2
        tail -n 20 "$LOG" >&2
        exit 1
    fi
    sleep 0.5
done
echo "registry: no answer from $REGISTRY_URL/v2/ after 30 s; see $LOG" >&2
exit 1
