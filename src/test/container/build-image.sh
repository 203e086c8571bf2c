#!/usr/bin/env bash
# Builds the repository's Dockerfile with buildah, without a Docker engine and without the eclipse-temurin images:
# both stages start from a local base made of Debian bookworm and Debian's OpenJDK 17 (a JDK also serves as the JRE).
#
#   src/test/container/build-image.sh [image name]      (default: localhost/termsgate:local)
#
# The base is built once with debootstrap (about a minute) and kept in buildah's image store as
# localhost/termsgate-base-jdk17; delete it (buildah rmi localhost/termsgate-base-jdk17) to rebuild it. The
# Dockerfile's Maven steps get this machine's ~/.m2 as a volume, so they download only what ~/.m2 lacks. Needs root
# (debootstrap, buildah's chroot isolation) and: apt-get install buildah debootstrap.
set -euo pipefail

image="${1:-localhost/termsgate:local}"
base=localhost/termsgate-base-jdk17
repo="$(cd "$(dirname "$0")/../../.." && pwd)"
cache="${XDG_CACHE_HOME:-$HOME/.cache}/termsgate"

# The Debian mirror apt already uses here (deb822 "URIs:" or one-line "deb" sources); DEBIAN_MIRROR overrides it.
debian_mirror() {
    if [ -n "${DEBIAN_MIRROR:-}" ]; then
        echo "$DEBIAN_MIRROR"
        return
    fi
    local found
    found="$(cat /etc/apt/sources.list /etc/apt/sources.list.d/*.list /etc/apt/sources.list.d/*.sources 2>/dev/null \
        | grep -E '^[[:space:]]*(URIs:|deb[[:space:]])' \
        | grep -oE 'https?://[^[:space:]]+/debian/?([[:space:]]|$)' | head -n 1 | tr -d '[:space:]')" || true
    echo "${found:-http://deb.debian.org/debian}"
}

build_base() {
    local rootfs ctr mnt arch
    rootfs="$(mktemp -d /var/tmp/termsgate-base.XXXXXX)"
    trap "rm -rf '$rootfs'" EXIT
    echo "Building $base from Debian bookworm ($(debian_mirror)); once per machine"
    # minbase has bash, passwd (groupadd/useradd) and ca-certificates comes with the JDK
    debootstrap --variant=minbase --include=openjdk-17-jdk-headless bookworm "$rootfs" "$(debian_mirror)" \
        > "$cache/debootstrap.log" 2>&1 \
        || { tail -n 30 "$cache/debootstrap.log"; return 1; }
    rm -rf "$rootfs"/var/cache/apt/archives/*.deb "$rootfs"/var/lib/apt/lists/*
    # The image's Maven steps reach Maven Central from this machine's network: trust what this machine trusts (a
    # TLS-inspecting proxy's CA, for one), in the PEM bundle and in the JDK's trust store
    for trust in /etc/ssl/certs/ca-certificates.crt /etc/ssl/certs/java/cacerts; do
        if [ -f "$trust" ]; then cp "$trust" "$rootfs$trust"; fi
    done
    arch="$(chroot "$rootfs" dpkg --print-architecture)"

    ctr="$(buildah from scratch)"
    mnt="$(buildah mount "$ctr")"
    tar -C "$rootfs" -c . | tar -C "$mnt" -x
    buildah umount "$ctr" > /dev/null
    # what the eclipse-temurin images set too: the JDK's home on the PATH and a UTF-8 locale
    buildah config \
        --env JAVA_HOME="/usr/lib/jvm/java-17-openjdk-$arch" \
        --env PATH="/usr/lib/jvm/java-17-openjdk-$arch/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin" \
        --env LANG=C.UTF-8 \
        --cmd /bin/bash \
        "$ctr"
    buildah commit --quiet --rm "$ctr" "$base" > /dev/null
}

mkdir -p "$cache" "$HOME/.m2"
(
    # two builds at once must not both debootstrap; a subshell, so the rootfs is removed when it exits
    flock 9
    if ! buildah inspect --type image "$base" > /dev/null 2>&1; then
        build_base
    fi
) 9> "$cache/base.lock"

# --layers: an unchanged step (the dependency download, a rebuild of unchanged sources) comes from buildah's cache;
# --force-rm: a failed step leaves no container behind; the label marks every step's image as this script's
label=io.termsgate.build-image=true
bud() {
    buildah bud --isolation chroot --layers --force-rm --label "$label" \
        --build-arg BUILD_IMAGE="$base" \
        --build-arg RUNTIME_IMAGE="$base" \
        --volume "$HOME/.m2:/root/.m2:rw" \
        "$@" "$repo"
}
bud --tag "$image"
# The build stage is tagged too (all of it from the cache just filled), so that removing the untagged images earlier
# builds left behind keeps this build's cache, the dependency layer among it: the store holds about one build, not
# one per source change. Removing an untagged leaf can leave its parent untagged and childless: hence the loop.
bud --quiet --target build --tag "$image-build" > /dev/null
while stale="$(buildah images --quiet --filter dangling=true --filter label="$label")" && [ -n "$stale" ]; do
    # shellcheck disable=SC2086 # one image id per word
    buildah rmi $stale > /dev/null
done
