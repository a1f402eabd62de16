# shellcheck shell=bash
# Helpers shared by the demo scripts (sourced, bash only). No curl/wget needed:
# plain HTTP/1.0 over bash's /dev/tcp.

# http_head URL [extra header...] -> prints the status line and headers (CR stripped), rc!=0 if no answer
http_head() {
    local url=$1; shift
    local rest=${url#http://}
    local hostport=${rest%%/*} path=/${rest#*/}
    [ "$rest" = "$hostport" ] && path=/
    local host=${hostport%:*} port=${hostport##*:}
    [ "$host" = "$hostport" ] && port=80
    local hdrs="" h
    for h in "$@"; do hdrs+="$h"$'\r\n'; done
    timeout 5 bash -c '
        exec 3<>"/dev/tcp/$1/$2" || exit 1
        printf "HEAD %s HTTP/1.0\r\nHost: %s\r\nUser-Agent: opsbot-demo\r\n%s\r\n" "$3" "$1:$2" "$4" >&3
        while IFS= read -r line <&3; do
            line=${line%$'"'"'\r'"'"'}
            [ -z "$line" ] && break
            printf "%s\n" "$line"
        done' _ "$host" "$port" "$path" "$hdrs" 2>/dev/null
}

# http_status URL -> prints the numeric status (000 when nothing answers)
http_status() {
    local first
    first=$(http_head "$@" | head -n1) || true
    set -- $first
    echo "${2:-000}"
}

REGISTRY_URL=${REGISTRY_URL:-http://127.0.0.1:5000}
