#!/usr/bin/env bash
# Cross-compiles the addon for linux-arm64 into prebuilds/linux-arm64 with
# Debian's gcc-aarch64-linux-gnu. The addon is plain C, so gcc also links it.
# Node 18 (Debian's arm64 Node, used to test it under qemu) has N-API 9;
# native/binding.gyp builds against NAPI_VERSION 8.
set -euo pipefail
cd "$(dirname "$0")/.."
if ! command -v aarch64-linux-gnu-gcc >/dev/null; then
  echo "prebuild:arm64: aarch64-linux-gnu-gcc not installed (apt-get install gcc-aarch64-linux-gnu)" >&2
  exit 1
fi
export npm_config_nodedir="${npm_config_nodedir:-/usr}"
CC=aarch64-linux-gnu-gcc CXX=aarch64-linux-gnu-gcc LINK=aarch64-linux-gnu-gcc \
  PREBUILD_STRIP_BIN=aarch64-linux-gnu-strip \
  pnpm exec prebuildify --napi --strip --arch=arm64 --cwd native --out . --name @greenthreads/switch
# The build directory now holds an arm64 binary that this machine cannot load: drop it.
rm -rf native/build
