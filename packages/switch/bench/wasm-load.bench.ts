/**
 * What loading a large program costs the WebAssembly backend: wall and CPU
 * time, module bytes, JS heap and process memory per instruction, for
 * `push 1` on every line (a stack check on every instruction; with fuel a
 * fuel check too, the heaviest common shape) at 50,000 instructions and at
 * the isa's limit, with and without fuel. Quick mode loads 50,000 with fuel
 * only (a load at the limit takes several seconds).
 *
 * Each load runs in a fresh child process, so that its heap figures are its
 * own. "Heap peak" is the heap V8 had committed by the end of the load (it
 * does not give memory back within a run); "heap kept" is the heap still in
 * use after a full collection with the loaded program alive (the backend's
 * frozen copy of the program: the lowered module, its bytes and the
 * instance keep none); "RSS" is the process's resident memory grown by the
 * load, where the compiled code lives. Peer: parsing and verifying the same
 * text in that process.
 *
 * Run by `bench/wasm.bench.ts` (`pnpm --filter @greenthreads/switch
 * bench:wasm`); `--load <fuel|plain> <n>` is one child's load.
 */
import { execFileSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { PROGRAM_LIMITS, type Program, parseProgram, verifyProgram } from "@greenthreads/isa";
import { WasmBackend } from "../src/index.js";

/** What one load in a fresh process measured. */
export interface WasmLoadFigures {
  readonly instructions: number;
  readonly fuel: boolean;
  readonly ms: number;
  readonly cpuMs: number;
  readonly peerMs: number;
  readonly codeBytes: number;
  readonly heapPeak: number;
  readonly heapKept: number;
  readonly rss: number;
}

function loadHere(fuel: boolean, n: number): WasmLoadFigures {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (!gc) throw new Error("the load child runs with --expose-gc");
  const text = `${"push 1\n".repeat(n - 1)}exit 0\n`;
  let program: Program | undefined;
  const t0 = performance.now();
  program = parseProgram(text);
  verifyProgram(program);
  const peerMs = performance.now() - t0;
  const backend = new WasmBackend();
  gc();
  const before = process.memoryUsage();
  const cpu = process.cpuUsage();
  const t1 = performance.now();
  const loaded = backend.load(program, { fuel });
  const ms = performance.now() - t1;
  const used = process.cpuUsage(cpu);
  const after = process.memoryUsage();
  gc();
  const kept = process.memoryUsage().heapUsed - before.heapUsed;
  // The program runs: a load that only compiled lazily would be no load.
  const thread = backend.spawn(loaded, { stackSize: Math.ceil((8 * n + 8192) / 65536) * 65536 });
  const trap = backend.resume(thread);
  if (trap.kind !== "exit") throw new Error(`the loaded program stopped with ${trap.kind}`);
  program = undefined;
  return {
    instructions: n,
    fuel,
    ms,
    cpuMs: (used.user + used.system) / 1000,
    peerMs,
    codeBytes: loaded.codeSize / n,
    heapPeak: (after.heapTotal - before.heapTotal) / n,
    heapKept: kept / n,
    rss: (after.rss - before.rss) / n,
  };
}

/** Loads in fresh child processes: 50,000 with fuel, and (unless quick) the limit with and without. */
export function wasmLoadFigures(quick: boolean): WasmLoadFigures[] {
  const loads: [boolean, number][] = quick
    ? [[true, 50_000]]
    : [
        [true, 50_000],
        [true, PROGRAM_LIMITS.maxInstructions],
        [false, PROGRAM_LIMITS.maxInstructions],
      ];
  return loads.map(([fuel, n]) => {
    const out = execFileSync(
      process.execPath,
      [
        ...process.execArgv,
        "--expose-gc",
        "--conditions=@greenthreads/source",
        fileURLToPath(import.meta.url),
        "--load",
        fuel ? "fuel" : "plain",
        String(n),
      ],
      { encoding: "utf8", maxBuffer: 1 << 20 },
    );
    return JSON.parse(out.trim().split("\n").at(-1)!) as WasmLoadFigures;
  });
}

if (process.argv[2] === "--load") {
  console.log(JSON.stringify(loadHere(process.argv[3] === "fuel", Number(process.argv[4]))));
}
