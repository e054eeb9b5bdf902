#!/usr/bin/env bash
# Installs Node lines from the npm registry's node-linux-<arch> packages (each
# holds a real node binary) into a scratch folder outside the repository, and
# prints one "<major> <bin-dir>" row per version. A version already installed
# is reused; nothing is fetched from anywhere but the npm registry.
#
# Usage: scripts/node-lines.sh [x64|arm64] [version...]
#   default versions: the newest release of each tested line (below)
#   folder: $GREENTHREADS_NODE_LINES or ~/.cache/greenthreads/node-lines
set -euo pipefail
arch="${1:-x64}"
shift || true
# The newest release of each tested line when these were last raised.
versions=("$@")
[ ${#versions[@]} -gt 0 ] || versions=(22.23.5 24.22.3 26.12.1)
base="${GREENTHREADS_NODE_LINES:-$HOME/.cache/greenthreads/node-lines}"
for version in "${versions[@]}"; do
  dir="$base/$arch-$version"
  bin="$dir/node_modules/node-linux-$arch/bin"
  if [ ! -x "$bin/node" ]; then
    mkdir -p "$dir"
    [ -f "$dir/package.json" ] || echo '{"private":true}' >"$dir/package.json"
    # --ignore-scripts: the package's installer only links the binary. --force for
    # another architecture: npm refuses a package whose "cpu" is not this machine's.
    force=()
    [ "$arch" = "$(node -p process.arch)" ] || force=(--force)
    npm install --prefix "$dir" --no-save --no-audit --no-fund --ignore-scripts --loglevel=error \
      "${force[@]}" "node-linux-$arch@$version" >&2
  fi
  echo "${version%%.*} $bin"
done
