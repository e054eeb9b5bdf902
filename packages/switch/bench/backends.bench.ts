/**
 * Cost of a JavaScript-driven resume + yield round trip on each backend,
 * next to an empty Node-API call measured in the same run (the floor any
 * native resume pays). Each sample runs a batch of calls, so the timer's
 * own cost does not swamp a few nanoseconds.
 *
 * Run: pnpm --filter @greenthreads/switch bench [--quick]
 * With GREENTHREADS_BENCH_JSON set, every figure is also appended as a JSON
 * line for the report: tinybench's median iteration, its fastest and slowest
 * as the spread, each compared with the empty Node-API call.
 */
import { parseProgram } from "@greenthreads/isa";
import { Bench } from "tinybench";
import {
  type BenchRow,
  quickMode,
  rowFromLatency,
  writeBenchRows,
} from "../../isa/bench/bench-json.js";
import { type EmulatedBackend, loadBackend, NativeBackend } from "../src/index.js";

const BATCH = 1000;
const EMULATED_BATCH = 20;
const source = "loop:\n  yield 0\n  jmp loop";

const rows: { name: string; batch: number }[] = [];
const bench = new Bench({ time: quickMode() ? 200 : 1000, warmup: true });

let native: NativeBackend | undefined;
try {
  native = new NativeBackend();
} catch (e) {
  console.log(`native backend unavailable: ${e instanceof Error ? e.message : String(e)}`);
}
if (native) {
  const addon = native.addon;
  const thread = native.spawn(native.load(parseProgram(source)));
  bench.add("empty Node-API call", () => {
    for (let i = 0; i < BATCH; i++) addon.empty();
  });
  rows.push({ name: "empty Node-API call", batch: BATCH });
  bench.add("native resume + yield", () => {
    for (let i = 0; i < BATCH; i++) native!.resume(thread);
  });
  rows.push({ name: "native resume + yield", batch: BATCH });
  const selection = new Uint32Array(addon.selection);
  bench.add("native raw resume (addon call only)", () => {
    const id = (thread as unknown as { id: number }).id;
    for (let i = 0; i < BATCH; i++) {
      selection[0] = id;
      addon.resume();
    }
  });
  rows.push({ name: "native raw resume (addon call only)", batch: BATCH });
  bench.add("native switch round trip inside C (no N-API)", () => {
    addon.resumeMany((thread as unknown as { id: number }).id, BATCH);
  });
  rows.push({ name: "native switch round trip inside C (no N-API)", batch: BATCH });
}
const emulated = loadBackend({ prefer: "emulated" }) as EmulatedBackend;
const emulatedThread = emulated.spawn(emulated.load(parseProgram(source)));
bench.add("emulated resume + yield", () => {
  for (let i = 0; i < EMULATED_BATCH; i++) emulated.resume(emulatedThread);
});
rows.push({ name: "emulated resume + yield", batch: EMULATED_BATCH });

await bench.run();

const ns = new Map<string, number>();
const json: BenchRow[] = [];
for (const { name, batch } of rows) {
  const task = bench.getTask(name);
  if (!task?.result || !("latency" in task.result)) throw new Error(`${name} did not complete`);
  ns.set(name, (task.result.latency.mean * 1e6) / batch);
  json.push(
    rowFromLatency(
      { name, unit: "ns", group: "machine-switch" },
      task.result.latency,
      batch,
      json[0],
    ),
  );
}
writeBenchRows(json);
const empty = ns.get("empty Node-API call");
console.table(
  rows.map(({ name }) => ({
    task: name,
    "ns per call": Number(ns.get(name)!.toFixed(1)),
    "x empty N-API call": empty ? Number((ns.get(name)! / empty).toFixed(2)) : "-",
  })),
);
