/**
 * What pooling buys: 100,000 allocate + release pairs of 16 KiB stacks on the
 * emulated allocator, directly and through a PoolingAllocator, plus a pool
 * under a sliding window of 64 live threads (the shape of a server that keeps
 * starting short tasks). Prints ns per allocate+release and the ratio.
 *
 * Run: pnpm --filter @greenthreads/stack bench [--quick]
 * With GREENTHREADS_BENCH_JSON set, the figures are also appended as JSON
 * lines for the report (median run, fastest and slowest run as the spread;
 * the two pooled cases compared with the unpooled allocator).
 */
import { memory } from "@greenthreads/isa";
import { Bench } from "tinybench";
import {
  type BenchRow,
  quickMode,
  rowFromLatency,
  writeBenchRows,
} from "../../isa/bench/bench-json.js";
import { EmulatedStackAllocator, PoolingAllocator, type Stack } from "../src/index.js";

const { Memory } = memory;

const OPS = 100_000;
const SIZE = 16 * 1024;

function emulated(): EmulatedStackAllocator {
  return new EmulatedStackAllocator({
    memory: new Memory(),
    base: 0x1000_0000n,
    limit: 0x2000_0000n,
  });
}

const quick = quickMode();
const options = {
  iterations: quick ? 2 : 5,
  time: 0,
  warmupIterations: quick ? 1 : 2,
  warmupTime: 0,
};

// One bench per case, each set up only when the previous one has finished:
// tinybench warms every task of a bench up before measuring, and with all
// three cases in one bench (or merely built in advance) the pooled figures
// came out several times slower in this setup. Each path is measured alone.
const pool = new PoolingAllocator(emulated());
const pooled = new Bench(options).add("emulated allocator + PoolingAllocator", () => {
  for (let i = 0; i < OPS; i++) pool.release(pool.allocate(SIZE));
});
await pooled.run();

const windowPool = new PoolingAllocator(emulated(), { maxCachedPerClass: 64 });
const window: Stack[] = [];
const windowed = new Bench(options).add("pool, sliding window of 64 live stacks", () => {
  for (let i = 0; i < OPS; i++) {
    window.push(windowPool.allocate(SIZE));
    if (window.length > 64) windowPool.release(window.shift()!);
  }
});
await windowed.run();

const direct = emulated();
const unpooled = new Bench(options).add("emulated allocator, no pool", () => {
  for (let i = 0; i < OPS; i++) direct.release(direct.allocate(SIZE));
});
await unpooled.run();

// Mean and best run: on a loaded machine the best run is the steadier figure.
const figures = new Map<string, { mean: number; min: number }>();
const json: BenchRow[] = [];
for (const task of [...unpooled.tasks, ...pooled.tasks, ...windowed.tasks]) {
  const result = task.result;
  if (result.state !== "completed") throw new Error(`${task.name}: ${result.state}`);
  figures.set(task.name, {
    mean: (result.latency.mean * 1e6) / OPS,
    min: (result.latency.min * 1e6) / OPS,
  });
  json.push(
    rowFromLatency(
      {
        name: `stack allocate + release (${SIZE / 1024} KiB): ${task.name}`,
        unit: "ns",
        group: "stack",
      },
      result.latency,
      OPS,
      json[0],
    ),
  );
}
writeBenchRows(json);
const width = Math.max(...[...figures.keys()].map((k) => k.length));
console.log(
  `allocate + release of ${SIZE / 1024} KiB stacks, ${OPS} times per run (Node ${process.version})`,
);
console.log(`  ${"".padEnd(width)}  ${"mean".padStart(9)}  ${"best".padStart(9)}  (ns/op)`);
for (const [name, f] of figures) {
  console.log(
    `  ${name.padEnd(width)}  ${f.mean.toFixed(1).padStart(9)}  ${f.min.toFixed(1).padStart(9)}`,
  );
}
const plain = figures.get("emulated allocator, no pool")!;
const cached = figures.get("emulated allocator + PoolingAllocator")!;
console.log(
  `  pool speed-up: ${(plain.mean / cached.mean).toFixed(1)}x (mean), ` +
    `${(plain.min / cached.min).toFixed(1)}x (best)`,
);
console.log(`  pool stats: ${JSON.stringify(pool.stats())}`);
