#!/usr/bin/env bash
# Build the opsbot demo images offline: no base image is pulled. Each image is a tiny rootfs
# (Debian's static /bin/busybox + applet symlinks + files from images/) fed to `docker import`.
# Idempotent: an image whose dev.opsbot.demo.build label matches the current content hash is kept.
# Pushes every tag to the local registry when http://127.0.0.1:5000/v2/ answers (see registry.sh).
# Also creates examples/demo/.env from .env.example (mode 0600) when missing.
#
# Env: BUSYBOX (default /bin/busybox, must be static), DEMO_REGISTRY (default 127.0.0.1:5000),
#      DEMO_PUSH=0 to never push, DEMO_FORCE=1 to rebuild everything.
set -euo pipefail
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=lib.sh
source "$HERE/lib.sh"

REGISTRY=${DEMO_REGISTRY:-127.0.0.1:5000}
PREFIX=$REGISTRY/opsbot-demo
SERVICES=(backend worker web proxy)
BUSYBOX=${BUSYBOX:-/bin/busybox}
# tag -> "VERSION ALEMBIC_HEAD HEALTHY"
declare -A BUILDS=(
    [sha-1a2b3c4]="1a2b3c4 1 yes"
    [sha-5d6e7f8]="5d6e7f8 2 yes"
    [sha-badc0de]="badc0de 2 no"
)
BUILD_ORDER=(sha-1a2b3c4 sha-5d6e7f8 sha-badc0de)
# extra tag -> tag it points to (same image)
declare -A ALIASES=([0.1.0]=sha-1a2b3c4)
APPLETS=(sh ash cat echo printf date sleep mkdir ls env nc wget httpd test '[' expr id hostname
         grep sed awk head tail tr cut wc sort uniq tee touch rm mv cp ln chmod dirname basename
         readlink realpath ps kill pidof nslookup ping netstat ip seq true false yes uname whoami
         mktemp stat find xargs vi less more timeout usleep sha256sum md5sum base64 gzip zcat tar
         du df free top uptime which)

say() { printf 'build-images: %s\n' "$*"; }

# --- preconditions -----------------------------------------------------------------------
if ! command -v docker >/dev/null 2>&1 || ! docker info >/dev/null 2>&1; then
    cat >&2 <<'MSG'
build-images: cannot reach the Docker daemon (docker info failed).
  Install and start it (Debian 12, as root):
    apt-get install docker.io busybox-static docker-registry
    dockerd &        # or: systemctl start docker
  and make sure your user may use /var/run/docker.sock (or run as root).
MSG
    exit 2
fi
if [ ! -x "$BUSYBOX" ] || ! { ldd "$BUSYBOX" 2>&1 || true; } | grep -qE 'not a dynamic executable|statically linked'; then
    echo "build-images: $BUSYBOX is missing or not statically linked; install it: apt-get install busybox-static" >&2
    exit 2
fi

# --- .env -----------------------------------------------------------------------------------
if [ ! -e "$HERE/.env" ]; then
    (umask 077; cp "$HERE/.env.example" "$HERE/.env")
    chmod 0600 "$HERE/.env"
    say "created .env from .env.example (mode 0600)"
fi

# --- content hash -----------------------------------------------------------------------------
HASH=$(
    cd "$HERE"
    {
        sha256sum build-images.sh "$BUSYBOX"
        find images -type f -print0 | LC_ALL=C sort -z | xargs -0 sha256sum
        find images -type f -perm -u+x -print | LC_ALL=C sort
    } | sha256sum | cut -c1-16
)

label_of() { docker image inspect -f '{{index .Config.Labels "dev.opsbot.demo.build"}}' "$1" 2>/dev/null || true; }
id_of() { docker image inspect -f '{{.Id}}' "$1" 2>/dev/null || true; }

STAGE=$(mktemp -d "${TMPDIR:-/tmp}/opsbot-demo-build.XXXXXX")
trap 'rm -rf "$STAGE"' EXIT

# stage_rootfs SERVICE VERSION HEAD HEALTHY DIR
stage_rootfs() {
    local svc=$1 version=$2 head=$3 healthy=$4 root=$5 a
    mkdir -p "$root"/{bin,etc,app,www,data,tmp,root,usr/local/bin,proc,sys,dev}
    chmod 1777 "$root/tmp"
    cp "$BUSYBOX" "$root/bin/busybox"
    for a in "${APPLETS[@]}"; do ln -sf busybox "$root/bin/$a"; done
    cp -R "$HERE/images/common/." "$root/"
    echo "$version" > "$root/app/VERSION"
    echo "$svc" > "$root/app/SERVICE"
    install -m 0755 "$HERE/images/$svc/start" "$root/app/start"
    case $svc in
    backend)
        echo "$head" > "$root/app/alembic_head"
        install -m 0755 "$HERE/images/backend/alembic" "$root/usr/local/bin/alembic"
        if [ "$healthy" = yes ]; then echo "ok $version" > "$root/www/health"; fi
        ;;
    web|proxy)
        sed "s/@VERSION@/$version/g" "$HERE/images/$svc/index.html.in" > "$root/www/index.html"
        if [ "$svc" = proxy ]; then install -m 0755 "$HERE/images/proxy/handle" "$root/app/handle"; fi
        ;;
    esac
}

port_of() { case $1 in backend) echo 8000;; web) echo 3000;; proxy) echo 80;; *) echo "";; esac; }

built=0 kept=0
for tag in "${BUILD_ORDER[@]}"; do
    read -r version head healthy <<<"${BUILDS[$tag]}"
    for svc in "${SERVICES[@]}"; do
        ref=$PREFIX/$svc:$tag
        if [ "${DEMO_FORCE:-0}" != 1 ] && [ "$(label_of "$ref")" = "$HASH" ]; then
            kept=$((kept + 1)); continue
        fi
        old=$(id_of "$ref")
        root=$STAGE/$svc-$tag
        stage_rootfs "$svc" "$version" "$head" "$healthy" "$root"
        changes=(
            --change "ENV PATH=/usr/local/bin:/bin VERSION=$version"
            --change "WORKDIR /app"
            --change 'CMD ["/app/start"]'
            --change "LABEL dev.opsbot.demo=true dev.opsbot.demo.build=$HASH dev.opsbot.demo.service=$svc dev.opsbot.demo.version=$version dev.opsbot.demo.migrations.head=$head org.opencontainers.image.revision=$version"
        )
        port=$(port_of "$svc")
        if [ -n "$port" ]; then changes+=(--change "EXPOSE $port"); fi
        if [ "$svc" = backend ]; then changes+=(--change "VOLUME /data"); fi
        tar -C "$root" --numeric-owner --owner=0 --group=0 -cf - . \
            | docker import "${changes[@]}" --message "opsbot demo $svc $tag" - "$ref" >/dev/null
        rm -rf "$root"
        built=$((built + 1))
        # drop the image this tag pointed to before, if nothing else uses it
        if [ -n "$old" ] && [ "$old" != "$(id_of "$ref")" ]; then
            docker rmi "$old" >/dev/null 2>&1 || true
        fi
    done
done
for alias in "${!ALIASES[@]}"; do
    for svc in "${SERVICES[@]}"; do
        src=$PREFIX/$svc:${ALIASES[$alias]}
        if [ "$(id_of "$PREFIX/$svc:$alias")" != "$(id_of "$src")" ]; then
            old=$(id_of "$PREFIX/$svc:$alias")
            docker tag "$src" "$PREFIX/$svc:$alias"
            if [ -n "$old" ]; then docker rmi "$old" >/dev/null 2>&1 || true; fi
        fi
    done
done
TAGS=("${BUILD_ORDER[@]}" "${!ALIASES[@]}")
# old builds left untagged (dangling) by a rebuild; images still used by containers are kept
if [ "$built" -gt 0 ]; then
    docker image prune -f --filter label=dev.opsbot.demo=true >/dev/null 2>&1 || true
fi
say "images: built $built, up to date $kept (content hash $HASH)"
say "tags: ${TAGS[*]} for $PREFIX/{${SERVICES[*]// /,}}"

# --- push ---------------------------------------------------------------------------------------
if [ "${DEMO_PUSH:-1}" = 0 ]; then
    say "push: skipped (DEMO_PUSH=0)"; exit 0
fi
if [ "$(http_status "http://$REGISTRY/v2/")" != 200 ]; then
    say "push: no registry at http://$REGISTRY/v2/ (start one with examples/demo/registry.sh); skipped"
    exit 0
fi
ACCEPT='Accept: application/vnd.docker.distribution.manifest.v2+json'
pushed=0 same=0
for svc in "${SERVICES[@]}"; do
    repo=$PREFIX/$svc
    for tag in "${TAGS[@]}"; do
        remote=$(http_head "http://$REGISTRY/v2/opsbot-demo/$svc/manifests/$tag" "$ACCEPT" \
                 | tr -d '\r' | awk 'tolower($1)=="docker-content-digest:" {print $2}') || true
        if [ -n "$remote" ] && docker image inspect -f '{{join .RepoDigests "\n"}}' "$repo:$tag" \
                | grep -qxF "$repo@$remote"; then
            same=$((same + 1)); continue
        fi
        docker push -q "$repo:$tag" >/dev/null
        pushed=$((pushed + 1))
    done
done
say "push: pushed $pushed, already in registry $same ($REGISTRY)"
