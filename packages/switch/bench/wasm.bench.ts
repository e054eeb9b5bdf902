/**
 * The WebAssembly backend next to the native one and the interpreter, all
 * measured in one run: a resume + yield round trip, a counting loop of 10^8
 * instructions (the interpreter runs fewer and is scaled per instruction),
 * spawn + release of a thread, spawning 10^5 threads into one linear
 * memory against making a memory per thread, and what loading a program of
 * 50,000 instructions and one at the isa's limit costs (time, module bytes,
 * heap and memory per instruction; see `wasm-load.bench.ts`; `--quick`
 * leaves out the loads at the limit).
 *
 * Each figure is the fastest of several samples (batches in one process):
 * the machine is shared, and the fastest batch is the one least disturbed.
 * When GREENTHREADS_BENCH_JSON names a file, one JSON line per row is
 * appended to it: {"name","unit","value","peer"?,"ratio"?}.
 *
 * Run: pnpm --filter @greenthreads/switch bench:wasm
 */
import { appendFileSync } from "node:fs";
import { getAbi, hostAbi, wasm as isaWasm, PROGRAM_LIMITS, parseProgram } from "@greenthreads/isa";
import { quickMode } from "../../isa/bench/bench-json.js";
import {
  type Backend,
  EmulatedBackend,
  type MachineThread,
  NativeBackend,
  WasmBackend,
} from "../src/index.js";
import { wasmLoadFigures } from "./wasm-load.bench.js";

const { webAssembly } = isaWasm;

interface Row {
  name: string;
  unit: string;
  value: number;
  peer?: string;
  ratio?: number;
}
const rows: Row[] = [];
function row(name: string, unit: string, value: number, peer?: Row, higherIsBetter = false): Row {
  const r: Row = { name, unit, value };
  if (peer) {
    r.peer = peer.name;
    r.ratio = higherIsBetter ? value / peer.value : value / peer.value;
  }
  rows.push(r);
  return r;
}

/** The fastest of `samples` timings of `run` (ms), per operation when `ops` is given. */
function fastest(samples: number, run: () => void, ops = 1): number {
  let best = Number.POSITIVE_INFINITY;
  for (let s = 0; s < samples; s++) {
    const t0 = performance.now();
    run();
    best = Math.min(best, performance.now() - t0);
  }
  return best / ops;
}

let native: NativeBackend | undefined;
try {
  native = new NativeBackend();
} catch (e) {
  console.log(`native backend unavailable: ${e instanceof Error ? e.message : String(e)}`);
}
const wasm = new WasmBackend();
const host = hostAbi(process.platform, process.arch)?.name ?? "x86_64-sysv";
const emulated = new EmulatedBackend(getAbi(host));
const backends: [string, Backend, number][] = [
  ...(native ? ([["native", native, 1]] as [string, Backend, number][]) : []),
  ["wasm", wasm, 1],
  ["interpreter", emulated, 1 / 200],
];

// 1. resume + yield
const yieldLoop = parseProgram("loop:\n  yield 0\n  jmp loop");
const roundTrip = new Map<string, Row>();
for (const [label, backend, scale] of backends) {
  const thread = backend.spawn(backend.load(yieldLoop));
  const batch = Math.max(20, Math.round(100_000 * scale));
  const run = () => {
    for (let i = 0; i < batch; i++) backend.resume(thread);
  };
  fastest(3, run); // warm up (the engine tiers up the hot code)
  const ns = fastest(15, run, batch) * 1e6;
  roundTrip.set(label, row(`${label} resume + yield`, "ns", ns, roundTrip.get("native")));
  backend.release(thread);
}

// 2. counting loop: 1 + 2n + 1 instructions, n from a host call so one program serves every count.
const counting = parseProgram(
  "hostcall count() -> r1\nloop:\n  add r0, r0, 1\n  blt r0, r1, loop\n  exit r0",
);
const loopRows = new Map<string, Row>();
for (const [label, backend] of backends) {
  const loaded = backend.load(counting);
  const run = (n: number): number => {
    const thread: MachineThread = backend.spawn(loaded);
    backend.resume(thread);
    const t0 = performance.now();
    const trap = backend.resume(thread, BigInt(n));
    const ms = performance.now() - t0;
    if (trap.kind !== "exit" || trap.code !== BigInt(n)) throw new Error(`${label}: ${trap.kind}`);
    backend.release(thread);
    return ms;
  };
  const interpreted = label === "interpreter";
  const n = interpreted ? 100_000 : 50_000_000;
  for (let w = 0; w < 3; w++) run(interpreted ? 10_000 : 1_000_000); // warm up
  let best = Number.POSITIVE_INFINITY;
  for (let s = 0; s < (interpreted ? 2 : 3); s++) best = Math.min(best, run(n));
  const nsPerInstruction = (best * 1e6) / (2 * n + 2);
  const name = `${label} counting loop (${interpreted ? "2·10^5 instructions, scaled" : "10^8 instructions"})`;
  const r = row(name, "ns/instruction", nsPerInstruction, loopRows.get("native"));
  loopRows.set(label, r);
}

// 3. spawn + release (default 16 KiB stack)
const exitNow = parseProgram("exit 0");
const spawnRows = new Map<string, Row>();
for (const [label, backend, scale] of backends) {
  const loaded = backend.load(exitNow);
  const batch = Math.max(50, Math.round(20_000 * Math.min(1, scale * 20)));
  const run = () => {
    for (let i = 0; i < batch; i++) backend.release(backend.spawn(loaded));
  };
  fastest(2, run);
  const ns = fastest(7, run, batch) * 1e6;
  spawnRows.set(label, row(`${label} spawn + release`, "ns", ns, spawnRows.get("native")));
}

// 4. 10^5 live threads: one linear memory (this backend) against a memory per thread.
{
  const backend = new WasmBackend();
  const loaded = backend.load(exitNow);
  const threads: MachineThread[] = [];
  const t0 = performance.now();
  for (let i = 0; i < 100_000; i++) threads.push(backend.spawn(loaded, { stackSize: 4096 }));
  const ms = performance.now() - t0;
  const one = row(
    "wasm spawn of 10^5 threads (4 KiB stacks, one memory)",
    "ns per thread",
    (ms * 1e6) / 1e5,
  );
  console.log(
    `one memory for 10^5 threads: ${(backend.memoryBytes / 2 ** 20).toFixed(0)} MiB of linear memory`,
  );
  for (const t of threads) backend.release(t);
  const api = webAssembly()!;
  const memories: unknown[] = [];
  let failure = "";
  const t1 = performance.now();
  try {
    for (let i = 0; i < 100_000; i++) memories.push(new api.Memory({ initial: 1 }));
  } catch (e) {
    failure = e instanceof Error ? e.message : String(e);
  }
  const ms1 = performance.now() - t1;
  const per = row(
    `WebAssembly.Memory per thread (${memories.length} made${failure ? ", then the engine refused" : ""})`,
    "ns per thread",
    (ms1 * 1e6) / Math.max(1, memories.length),
    one,
  );
  if (failure) console.log(`a memory per thread stopped after ${memories.length}: ${failure}`);
  void per;
  memories.length = 0;
}

// 5. Loading a large program, each load in a fresh process.
for (const f of wasmLoadFigures(quickMode())) {
  const n =
    f.instructions === PROGRAM_LIMITS.maxInstructions
      ? `${f.instructions} (the limit)`
      : f.instructions;
  const what = `${n} push${f.fuel ? " + fuel" : ""}`;
  const parse = row(`parse + verify, ${what}`, "ms", f.peerMs);
  row(`wasm load, ${what}`, "ms", f.ms, parse);
  row(`wasm load CPU time, ${what}`, "ms", f.cpuMs);
  row(`wasm module bytes per instruction, ${what}`, "B", f.codeBytes);
  row(`wasm JS heap peak per instruction, ${what}`, "B", f.heapPeak);
  row(`wasm JS heap kept per instruction, ${what}`, "B", f.heapKept);
  row(`wasm process memory (RSS) per instruction, ${what}`, "B", f.rss);
}

console.table(
  rows.map((r) => ({
    row: r.name,
    value: Number(r.value.toPrecision(4)),
    unit: r.unit,
    peer: r.peer ?? "",
    "÷ peer": r.ratio === undefined ? "" : Number(r.ratio.toPrecision(3)),
  })),
);
const nativeLoop = loopRows.get("native");
const wasmLoop = loopRows.get("wasm")!;
const wasmTrip = roundTrip.get("wasm")!;
console.log(
  [
    `wasm resume + yield: ${wasmTrip.value.toFixed(1)} ns (target ≤ 1000 ns)` +
      (wasmTrip.ratio === undefined ? "" : `, ${wasmTrip.ratio.toFixed(1)}× native (target ≤ 20×)`),
    nativeLoop
      ? `wasm counting loop: ${((100 * nativeLoop.value) / wasmLoop.value).toFixed(0)}% of native speed (target ≥ 25%)`
      : "",
  ]
    .filter(Boolean)
    .join("\n"),
);

const file = process.env.GREENTHREADS_BENCH_JSON;
if (file) {
  appendFileSync(
    file,
    rows
      .map((r) => `${JSON.stringify({ peer: null, ratio: null, ...r, group: "wasm" })}\n`)
      .join(""),
  );
}
