#!/usr/bin/env bash
# Cross-compiles the addon for win32-x64 into prebuilds/win32-x64 with
# mingw-w64 (Debian's gcc-mingw-w64-x86-64). The addon is plain C with
# Node-API only, so no MSVC and no node.lib are needed: the napi_* functions
# live in node.exe, and an import library for them is made from a .def file
# (LIBRARY node.exe, one EXPORTS line per function) with dlltool.
#
# The .def file (native/win32/node.def) lists exactly the napi_* functions
# the compiled objects import (read from their undefined symbols), so it is
# regenerated here on every build; test/win32-def.test.ts checks the
# committed one against the calls in the C sources.
set -euo pipefail
cd "$(dirname "$0")/.."
CC=x86_64-w64-mingw32-gcc
if ! command -v "$CC" >/dev/null; then
  echo "prebuild:win32: $CC not installed (apt-get install gcc-mingw-w64-x86-64)" >&2
  exit 1
fi
NODE_INCLUDE="${NODE_INCLUDE:-/usr/include/node}"
if [ ! -f "$NODE_INCLUDE/node_api.h" ]; then
  echo "prebuild:win32: no node_api.h in $NODE_INCLUDE (set NODE_INCLUDE)" >&2
  exit 1
fi
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
SOURCES=(addon fault_win32 memory_win32 region signal_info signals_win32 stack thread turns)
ASM=(switch_x86_64_win64_pe_gas start_x86_64_win64_pe_gas)
CFLAGS=(-std=gnu11 -O2 -Wall -Wextra -Werror -DNAPI_VERSION=8 -I"$NODE_INCLUDE")
objects=()
for s in "${SOURCES[@]}"; do
  "$CC" "${CFLAGS[@]}" -c "native/addon/$s.c" -o "$work/$s.o"
  objects+=("$work/$s.o")
done
for s in "${ASM[@]}"; do
  "$CC" -c "native/asm/$s.S" -o "$work/$s.o"
  objects+=("$work/$s.o")
done
{
  echo "LIBRARY node.exe"
  echo "EXPORTS"
  x86_64-w64-mingw32-nm -u "${objects[@]}" | awk '$2 ~ /^napi_/ { print "  " $2 }' | LC_ALL=C sort -u
} >native/win32/node.def
x86_64-w64-mingw32-dlltool -d native/win32/node.def -l "$work/libnode.a"
mkdir -p prebuilds/win32-x64
# -static-libgcc: the emulated thread-local storage comes from libgcc, linked in, not a DLL.
"$CC" -shared -s -static-libgcc -Wl,--no-insert-timestamp -o "prebuilds/win32-x64/@greenthreads+switch.node" \
  "${objects[@]}" "$work/libnode.a"
echo "prebuild:win32: prebuilds/win32-x64/@greenthreads+switch.node ($(wc -c <"prebuilds/win32-x64/@greenthreads+switch.node") bytes, $(grep -c '^  napi_' native/win32/node.def) napi functions)"
