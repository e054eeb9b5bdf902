#!/usr/bin/env bash
# Unpacks Debian's arm64 Node and its libraries into a sysroot, so that
# `qemu-aarch64 -L <sysroot> <sysroot>/usr/bin/node` runs arm64 Node here.
# Nothing is installed: packages are fetched with `apt-get download` and
# unpacked with `dpkg -x` (installing nodejs:arm64 would remove the host's
# Node). The arm64 architecture is removed from dpkg again afterwards.
#
# Usage: scripts/setup-arm64-sysroot.sh [sysroot-dir]
#   default dir: $GREENTHREADS_ARM64_SYSROOT or ~/.cache/greenthreads/arm64-sysroot
set -euo pipefail
SYSROOT="${1:-${GREENTHREADS_ARM64_SYSROOT:-$HOME/.cache/greenthreads/arm64-sysroot}}"
if [ -x "$SYSROOT/usr/bin/node" ]; then
  echo "arm64 sysroot: already at $SYSROOT"
  exit 0
fi
PACKAGES=(nodejs libnode108 libc6 libstdc++6 libgcc-s1 libuv1 libssl3 libicu72 libbrotli1
  libc-ares2 libnghttp2-14 zlib1g)
ALL_PACKAGES=(node-acorn node-cjs-module-lexer node-undici node-busboy node-xtend)
added=0
if ! dpkg --print-foreign-architectures | grep -qx arm64; then
  dpkg --add-architecture arm64
  added=1
fi
cleanup() {
  if [ "$added" = 1 ]; then
    dpkg --remove-architecture arm64 || true
    apt-get update -qq || true
  fi
}
trap cleanup EXIT
apt-get update -qq
work="$(mktemp -d)"
(cd "$work" && apt-get download -qq "${PACKAGES[@]/%/:arm64}" "${ALL_PACKAGES[@]}")
mkdir -p "$SYSROOT"
for deb in "$work"/*.deb; do dpkg -x "$deb" "$SYSROOT"; done
rm -rf "$work"
echo "arm64 sysroot: ready at $SYSROOT ($("$SYSROOT/usr/bin/node" --version 2>/dev/null || echo 'run it with qemu-aarch64 -L'))"
