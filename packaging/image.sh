#!/usr/bin/env bash
# Builds opsbot's container image from a release tarball (./opsbot image runs it after ./opsbot dist).
#   packaging/image.sh --tarball dist/opsbot-<version>.tar.gz [--base IMAGE] [--tag NAME]...
# --base: the Java 17 runtime image to build on (default eclipse-temurin:17-jre; where nothing can
#   be pulled, packaging/local-base.sh makes opsbot-base:local from this machine's JDK).
# --tag: the image's names (default opsbot:<version> and opsbot:latest).
set -euo pipefail
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
tarball= base=
tags=()
while [ $# -gt 0 ]; do
    case $1 in
        --tarball) tarball=$2; shift 2 ;;
        --base) base=$2; shift 2 ;;
        --tag) tags+=("$2"); shift 2 ;;
        *) echo "image: unknown option $1 (--tarball FILE, --base IMAGE, --tag NAME)" >&2; exit 2 ;;
    esac
done
[ -f "$tarball" ] || { echo "image: no release tarball at '$tarball' (./opsbot dist builds it)" >&2; exit 2; }
version=$(basename "$tarball" .tar.gz)
version=${version#opsbot-}
[ ${#tags[@]} -gt 0 ] || tags=("opsbot:$version" "opsbot:latest")

stage=$(mktemp -d "${TMPDIR:-/tmp}/opsbot-image.XXXXXX")
trap 'rm -rf "$stage"' EXIT
tar -xzf "$tarball" -C "$stage"
mv "$stage/opsbot-$version" "$stage/opsbot"
# A class-data archive made by a run of the unpacked release is this machine's, not the image's.
rm -f "$stage"/opsbot/lib/*.jsa
mkdir "$stage/data"
cp "$HERE/Dockerfile" "$stage/Dockerfile"

args=()
[ -n "$base" ] && args+=(--build-arg "BASE=$base")
for t in "${tags[@]}"; do args+=(-t "$t"); done
docker build -q "${args[@]}" "$stage" >/dev/null
echo "image: built ${tags[*]} on ${base:-eclipse-temurin:17-jre} ($(docker image inspect -f '{{.Size}}' "${tags[0]}" | awk '{printf "%.0f MiB", $1/1048576}'))"
