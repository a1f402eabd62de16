#!/usr/bin/env bash
# A Java 17 runtime image made from this machine alone, for building opsbot's image where no base
# image can be pulled (CI, air-gapped hosts): jlink's runtime of the local JDK with the modules the
# bot uses, the C libraries it links to, and Debian's static busybox for /bin/sh, on a root file
# system fed to `docker import` (as examples/demo/build-images.sh makes the demo images).
#   packaging/local-base.sh [TAG]     default opsbot-base:local; then ./opsbot image --base TAG
# Idempotent: an image whose dev.opsbot.base.build label matches the inputs' hash is kept.
# Env: BUSYBOX (default /bin/busybox, must be static).
set -euo pipefail
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
TAG=${1:-opsbot-base:local}
BUSYBOX=${BUSYBOX:-/bin/busybox}
# What the bot and its libraries use (jdeps over lib/), plus TLS curves for the chat platforms
# and JFR for OPSBOT_JAVA_OPTS=-XX:StartFlightRecording.
MODULES=java.base,java.desktop,java.instrument,java.logging,java.management,java.naming,java.net.http,java.scripting,java.security.jgss,java.sql,java.xml,jdk.crypto.ec,jdk.httpserver,jdk.jfr,jdk.management,jdk.net,jdk.unsupported,jdk.zipfs
APPLETS=(sh cat dirname readlink id ls mkdir rm env true false test '[' sleep wget ps)

say() { printf 'local-base: %s\n' "$*"; }

command -v jlink >/dev/null 2>&1 || { echo "local-base: jlink is missing: apt-get install openjdk-17-jdk-headless" >&2; exit 2; }
docker info >/dev/null 2>&1 || { echo "local-base: Docker is not reachable (docker info failed)" >&2; exit 2; }
if [ ! -x "$BUSYBOX" ] || ! { ldd "$BUSYBOX" 2>&1 || true; } | grep -qE 'not a dynamic executable|statically linked'; then
    echo "local-base: $BUSYBOX is missing or not statically linked; install it: apt-get install busybox-static" >&2
    exit 2
fi
JDK=$(dirname "$(dirname "$(readlink -f "$(command -v jlink)")")")
"$JDK/bin/java" -version 2>&1 | grep -q 'version "17' || { echo "local-base: $JDK is not a Java 17 JDK" >&2; exit 2; }

HASH=$( { sha256sum "${BASH_SOURCE[0]}" "$BUSYBOX" "$JDK/lib/modules"; "$JDK/bin/java" -version 2>&1; } | sha256sum | cut -c1-16)
if [ "$(docker image inspect -f '{{index .Config.Labels "dev.opsbot.base.build"}}' "$TAG" 2>/dev/null || true)" = "$HASH" ]; then
    say "$TAG is up to date ($HASH)"
    exit 0
fi

old=$(docker image inspect -f '{{.Id}}' "$TAG" 2>/dev/null || true)
STAGE=$(mktemp -d "${TMPDIR:-/tmp}/opsbot-base.XXXXXX")
trap 'rm -rf "$STAGE"' EXIT
root=$STAGE/root
mkdir -p "$root"/{bin,etc,tmp,opt/java,root,proc,sys,dev}
chmod 1777 "$root/tmp"

runtime=$root/opt/java/openjdk
"$JDK/bin/jlink" --add-modules "$MODULES" --strip-debug --no-man-pages --no-header-files --compress=2 --output "$runtime"
# The runtime's own class-data archive: faster starts, and the launcher's archive of the bot's
# classes builds on it.
"$runtime/bin/java" -Xshare:dump >/dev/null
# Debian's JDK keeps its CA certificates outside the JDK, behind a symbolic link: take the file.
if [ -e "$JDK/lib/security/cacerts" ]; then cp -L "$JDK/lib/security/cacerts" "$runtime/lib/security/cacerts"; fi

# The C libraries the runtime links to, at the same paths (glibc's loader finds them there).
libs=$(find "$runtime" -type f \( -name '*.so' -o -path '*/bin/*' \) -exec ldd {} \; 2>/dev/null \
    | awk '$2 == "=>" && $3 ~ /^\// {print $3} $1 ~ /^\// {print $1}' | sort -u)
for lib in $libs /lib/x86_64-linux-gnu/libgcc_s.so.1; do
    [ -e "$lib" ] || continue
    mkdir -p "$root$(dirname "$lib")"
    cp -L "$lib" "$root$lib"
done

cp "$BUSYBOX" "$root/bin/busybox"
for a in "${APPLETS[@]}"; do ln -sf busybox "$root/bin/$a"; done
printf 'root:x:0:0:root:/root:/bin/sh\nopsbot:x:10001:10001:opsbot:/var/lib/opsbot:/bin/sh\n' > "$root/etc/passwd"
printf 'root:x:0:\nopsbot:x:10001:\n' > "$root/etc/group"
printf 'passwd: files\ngroup: files\nhosts: files dns\n' > "$root/etc/nsswitch.conf"

tar -C "$root" --numeric-owner --owner=0 --group=0 -cf - . | docker import \
    --change "ENV JAVA_HOME=/opt/java/openjdk PATH=/opt/java/openjdk/bin:/bin" \
    --change "LABEL dev.opsbot.base=true dev.opsbot.base.build=$HASH" \
    --message "opsbot local Java 17 base" - "$TAG" >/dev/null
# The image this tag pointed to before, if nothing else uses it.
if [ -n "$old" ] && [ "$old" != "$(docker image inspect -f '{{.Id}}' "$TAG")" ]; then docker rmi "$old" >/dev/null 2>&1 || true; fi
say "$TAG built: $(docker image inspect -f '{{.Size}}' "$TAG" | awk '{printf "%.0f MiB", $1/1048576}') (modules $MODULES)"
