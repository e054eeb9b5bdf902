/**
 * Cost of a JavaScript-driven resume + yield round trip on each backend,
 * next to an empty Node-API call measured in the same run (the floor any
 * native resume pays). Each sample runs a batch of calls, so the timer's
 * own cost does not swamp a few nanoseconds.
 *
 * Run: pnpm --filter @greenthreads/switch bench (the C ping-pong of
 * harness.bench.ts first, then this). With GREENTHREADS_BENCH_JSON naming a
 * file, one JSON line per task is appended: name, unit, value, peer (the
 * empty Node-API call), ratio.
 */
import { appendFileSync } from "node:fs";
import { parseProgram } from "@greenthreads/isa";
import { Bench } from "tinybench";
import { type EmulatedBackend, loadBackend, NativeBackend } from "../src/index.js";

const BATCH = 1000;
const EMULATED_BATCH = 20;
const source = "loop:\n  yield 0\n  jmp loop";

const rows: { name: string; batch: number }[] = [];
const bench = new Bench({ time: 1000, warmup: true });

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
for (const { name, batch } of rows) {
  const task = bench.getTask(name);
  const mean = task?.result && "latency" in task.result ? task.result.latency.mean : Number.NaN;
  ns.set(name, (mean * 1e6) / batch);
}
const empty = ns.get("empty Node-API call");
// Rows for the report: each task next to the empty Node-API call of the same run.
const json = process.env.GREENTHREADS_BENCH_JSON;
if (json && empty) {
  for (const { name } of rows) {
    if (name === "empty Node-API call") continue;
    const value = ns.get(name)!;
    appendFileSync(
      json,
      `${JSON.stringify({ name, unit: "ns", value, peer: empty, ratio: value / empty })}\n`,
    );
  }
}
console.table(
  rows.map(({ name }) => ({
    task: name,
    "ns per call": Number(ns.get(name)!.toFixed(1)),
    "x empty N-API call": empty ? Number((ns.get(name)! / empty).toFixed(2)) : "-",
  })),
);
