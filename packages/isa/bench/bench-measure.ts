/**
 * The two measurements the JavaScript benchmarks share: process CPU time,
 * which leaves out the time other load kept the process off the CPU, and
 * the heap after a full collection, for bytes per idle thread. Benchmark
 * code beside bench-json.ts, for the same reason (every package may import
 * the bottom package's files); not part of @greenthreads/isa's API.
 */

/** CPU time of this process so far, in ns (all its threads: compiler and GC helpers count). */
export function cpuNs(): number {
  const c = process.cpuUsage();
  return (c.user + c.system) * 1000;
}

/** Heap bytes in use after two full collections; needs `node --expose-gc`. */
export function heapAfterGc(): number {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (!gc) throw new Error("run with node --expose-gc");
  gc();
  gc();
  return process.memoryUsage().heapUsed;
}
