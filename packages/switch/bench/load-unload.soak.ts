/**
 * 10^5 load/spawn/release/unload cycles of small programs on the emulated
 * backend and the native one: every cycle must succeed (the interpreter's
 * code region reuses freed pages; native unload frees code pages), and
 * memory must stay flat. Prints RSS and heap every 10%.
 *
 * Run: npx tsx --conditions=@greenthreads/source bench/load-unload.soak.ts [cycles] [emulated|native]
 */
import { getAbi, parseProgram } from "@greenthreads/isa";
import { type Backend, EmulatedBackend, NativeBackend } from "../src/index.js";

const CYCLES = Number(process.argv[2] ?? 100_000);
const mib = (n: number): string => `${(n / 2 ** 20).toFixed(1)} MiB`;

const only = process.argv[3];
const backends: Backend[] = [];
if (only !== "native") backends.push(new EmulatedBackend(getAbi("x86_64-sysv")));
if (only !== "emulated") {
  try {
    backends.push(new NativeBackend());
  } catch (e) {
    console.log(`native backend unavailable: ${e instanceof Error ? e.message : String(e)}`);
  }
}
for (const backend of backends) {
  const started = performance.now();
  for (let i = 0; i < CYCLES; i++) {
    // A different program text each time, as a service spawning from text would load.
    const loaded = backend.load(parseProgram(`mov r0, ${i}\nyield r0\nexit 0`));
    const thread = backend.spawn(loaded);
    const trap = backend.resume(thread);
    if (trap.kind !== "yield" || trap.value !== BigInt(i))
      throw new Error(
        `cycle ${i}: ${JSON.stringify(trap, (_, v) => (typeof v === "bigint" ? `${v}` : v))}`,
      );
    backend.release(thread);
    backend.unload(loaded);
    if ((i + 1) % (CYCLES / 10) === 0) {
      const m = process.memoryUsage();
      console.log(
        `${backend.kind}: ${i + 1} cycles, rss ${mib(m.rss)}, heap ${mib(m.heapUsed)}, external ${mib(m.external)}, ${((performance.now() - started) / (i + 1)).toFixed(2)} ms per cycle`,
      );
    }
  }
}
