#!/usr/bin/env bash
# The JavaScript switch ratio (runtime switch / raw generator .next(), both
# in the same process) on each supported Node line, for RoundRobin with 2,
# 100 and 10,000 threads. Each figure is one child of the scheduler's own
# benchmark (packages/scheduler/bench/bench.ts --child), run on the line's
# node from scripts/node-lines.sh; the lines take turns row by row, so load
# on the machine falls on all of them alike. The first row is the Node on
# PATH, for comparison with the figures taken on it. Prints a Markdown table.
#
# Usage: scripts/bench-node-lines.sh   (from anywhere; builds nothing)
set -euo pipefail
cd "$(dirname "$0")/.."
mapfile -t lines < <(echo "path $(dirname "$(command -v node)")"; bash scripts/node-lines.sh x64)
bench=packages/scheduler/bench/bench.ts
declare -A cell
for threads in 2 100 10000; do
  for line in "${lines[@]}"; do
    read -r major bin <<<"$line"
    job="{\"kind\":\"switch\",\"policy\":\"RoundRobin\",\"threads\":$threads,\"batch\":500000,\"batches\":30}"
    out=$(cd packages/scheduler && "$bin/node" --expose-gc --disable-warning=DEP0205 \
      --conditions=@greenthreads/source --import tsx bench/bench.ts --child "$job" | tail -1)
    cell[$major,$threads]=$(node -e 'const r = JSON.parse(process.argv[1]); console.log(`${r.rtNs.toFixed(1)} / ${r.rawNs.toFixed(1)} | ${(r.rtNs / r.rawNs).toFixed(2)}`)' "$out")
  done
done
echo "| Node | 2 threads: runtime / raw ns | ratio | 100 threads | ratio | 10,000 threads | ratio |"
echo "| ---- | --------------------------: | ----: | ----------: | ----: | -------------: | ----: |"
for line in "${lines[@]}"; do
  read -r major bin <<<"$line"
  echo "| $("$bin/node" --version) | ${cell[$major,2]} | ${cell[$major,100]} | ${cell[$major,10000]} |"
done
