/**
 * What pooling buys: 100,000 allocate + release pairs of 16 KiB stacks on the
 * emulated allocator, directly and through a PoolingAllocator, plus a pool
 * under a sliding window of 64 live threads (the shape of a server that keeps
 * starting short tasks). Prints ns per allocate+release and the ratio.
 *
 * Run: pnpm --filter @greenthreads/stack bench
 */
import { Memory } from "@greenthreads/isa";
import { Bench } from "tinybench";
import { EmulatedStackAllocator, PoolingAllocator, type Stack } from "../src/index.js";

const OPS = 100_000;
const SIZE = 16 * 1024;

function emulated(): EmulatedStackAllocator {
  return new EmulatedStackAllocator({
    memory: new Memory(),
    base: 0x1000_0000n,
    limit: 0x2000_0000n,
  });
}

const direct = emulated();
const pool = new PoolingAllocator(emulated());
const windowPool = new PoolingAllocator(emulated(), { maxCachedPerClass: 64 });
const window: Stack[] = [];

const bench = new Bench({ iterations: 5, time: 0, warmupIterations: 2, warmupTime: 0 });
bench
  .add("emulated allocator + PoolingAllocator", () => {
    for (let i = 0; i < OPS; i++) pool.release(pool.allocate(SIZE));
  })
  .add("pool, sliding window of 64 live stacks", () => {
    for (let i = 0; i < OPS; i++) {
      window.push(windowPool.allocate(SIZE));
      if (window.length > 64) windowPool.release(window.shift()!);
    }
  })
  // Last, so that the garbage of a million fresh pages does not slow the others.
  .add("emulated allocator, no pool", () => {
    for (let i = 0; i < OPS; i++) direct.release(direct.allocate(SIZE));
  });

await bench.run();

const nsPerOp = new Map<string, number>();
for (const task of bench.tasks) {
  const result = task.result;
  if (result.state !== "completed") throw new Error(`${task.name}: ${result.state}`);
  nsPerOp.set(task.name, (result.latency.mean * 1e6) / OPS);
}
const width = Math.max(...[...nsPerOp.keys()].map((k) => k.length));
console.log(
  `allocate + release of ${SIZE / 1024} KiB stacks, ${OPS} times per run (Node ${process.version})`,
);
for (const [name, ns] of nsPerOp)
  console.log(`  ${name.padEnd(width)}  ${ns.toFixed(1).padStart(8)} ns/op`);
const plain = nsPerOp.get("emulated allocator, no pool")!;
const pooled = nsPerOp.get("emulated allocator + PoolingAllocator")!;
console.log(`  pool speed-up: ${(plain / pooled).toFixed(1)}x`);
console.log(`  pool stats: ${JSON.stringify(pool.stats())}`);
