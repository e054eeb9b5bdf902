/**
 * Benchmark: machine-thread switches through the runtime on each backend,
 * next to the raw resume of @greenthreads/switch measured in the same run;
 * and what spawning, starting and finishing a thread costs, machine threads
 * next to JavaScript threads.
 *
 *   pnpm --filter @greenthreads/scheduler bench:machine [--quick]
 *
 * Each thread runs `loop: yield 0; jmp loop`, so every switch is one resume
 * that ends in a yield trap. "raw" resumes the same kind of thread in a plain
 * loop; "runtime" lets a RoundRobin runtime pick among `threads` machine
 * threads (they take turns without JavaScript between them); "through the
 * loop" is the same runtime with the policy's upcoming picks hidden, so
 * every switch goes thread → JavaScript → thread; "C round trip" (native)
 * loops the same resume inside the addon, without JavaScript. The ratios are the runtime's cost per switch over each.
 * With GREENTHREADS_BENCH_JSON set, the figures are also appended as JSON
 * lines for the report (tinybench's median iteration, and its fastest and
 * slowest as the spread).
 */
import { parseProgram } from "@greenthreads/isa";
import { RoundRobin, Runtime } from "@greenthreads/scheduler";
import { spawnMachine } from "@greenthreads/scheduler/machine";
import { type Backend, loadBackend, type NativeBackend } from "@greenthreads/switch";
import { Bench, type Task } from "tinybench";
import {
  type BenchRow,
  quickMode,
  type RowFields,
  rowFromLatency,
  writeBenchRows,
} from "../../isa/bench/bench-json.js";
import { throughTheLoop } from "../test/through-the-loop.js";

const SPIN = parseProgram("loop:\n  yield 0\n  jmp loop");
const EXIT = parseProgram("exit 0");
const THREADS = 100;
const SPAWNS = 100;
const quick = quickMode();
const time = quick ? 300 : 1500;

function backends(): Backend[] {
  const list: Backend[] = [];
  const native = loadBackend({ prefer: "native" });
  if (native.kind === "native") list.push(native);
  else console.log(`native backend unavailable: ${native.reason}`);
  list.push(loadBackend({ prefer: "emulated" }));
  return list;
}

function latencyOf(task: Task | undefined): {
  min: number;
  p50: number;
  max: number;
  mean: number;
} {
  const r = task?.result;
  if (!r || !("latency" in r)) throw new Error(`${task?.name ?? "a task"} did not complete`);
  return r.latency;
}

function row(
  fields: RowFields,
  task: Task | undefined,
  perIteration: number,
  peer?: BenchRow,
): BenchRow {
  return rowFromLatency(fields, latencyOf(task), perIteration, peer);
}

const json: BenchRow[] = [];
const rows: { backend: string; c: number; raw: number; runtime: number; loop: number }[] = [];
for (const backend of backends()) {
  const batch = backend.kind === "native" ? 10_000 : 50;
  const loaded = backend.load(SPIN);
  const rawThread = backend.spawn(loaded);
  const rt = new Runtime({ scheduler: new RoundRobin() });
  for (let i = 0; i < THREADS; i++) spawnMachine(rt, SPIN, { backend });
  const looped = new Runtime({ scheduler: throughTheLoop(new RoundRobin()) });
  for (let i = 0; i < THREADS; i++) spawnMachine(looped, SPIN, { backend });
  const bench = new Bench({ time, warmup: true });
  // The floor: the same round trip (switch in, yield trap, switch back) looped inside C.
  const addon = backend.kind === "native" ? (backend as NativeBackend).addon : undefined;
  if (addon) {
    const id = (rawThread as unknown as { id: number }).id;
    bench.add("C round trip", () => {
      addon.resumeMany(id, batch);
    });
  }
  bench.add("raw", () => {
    for (let i = 0; i < batch; i++) backend.resume(rawThread);
  });
  bench.add("runtime", () => {
    rt.run({ maxSwitches: batch });
  });
  bench.add("through the loop", () => {
    looped.run({ maxSwitches: batch });
  });
  await bench.run();
  const ns = (name: string) => (latencyOf(bench.getTask(name)).mean * 1e6) / batch;
  const name = `${backend.kind} ${backend.abi.name}`;
  rows.push({
    backend: name,
    c: addon ? ns("C round trip") : Number.NaN,
    raw: ns("raw"),
    runtime: ns("runtime"),
    loop: ns("through the loop"),
  });
  const group = "scheduler-machine";
  const raw = row(
    { name: `raw backend.resume, ${name}`, unit: "ns", group },
    bench.getTask("raw"),
    batch,
  );
  json.push(
    row(
      {
        name: `machine-thread switch through the runtime, ${name}, ${THREADS} threads`,
        unit: "ns",
        group,
      },
      bench.getTask("runtime"),
      batch,
      raw,
    ),
    row(
      {
        name: `machine-thread switch through the run loop (no turns), ${name}, ${THREADS} threads`,
        unit: "ns",
        group,
      },
      bench.getTask("through the loop"),
      batch,
      raw,
    ),
    raw,
  );
  if (addon) {
    const c = row(
      { name: `switch round trip inside the addon (no JavaScript), ${name}`, unit: "ns", group },
      bench.getTask("C round trip"),
      batch,
    );
    json.push(
      row(
        {
          name: `machine-thread switch through the runtime vs the C round trip, ${name}, ${THREADS} threads`,
          unit: "ns",
          group,
        },
        bench.getTask("runtime"),
        batch,
        c,
      ),
      c,
    );
  }
  backend.release(rawThread);
}
console.table(
  rows.map((r) => ({
    backend: r.backend,
    "raw resume ns": Number(r.raw.toFixed(1)),
    [`runtime switch ns (${THREADS} threads)`]: Number(r.runtime.toFixed(1)),
    "runtime / raw": Number((r.runtime / r.raw).toFixed(2)),
    "through the loop ns": Number(r.loop.toFixed(1)),
    "C round trip ns": Number(r.c.toFixed(1)),
    "runtime / C round trip": Number((r.runtime / r.c).toFixed(2)),
    "loop / C round trip": Number((r.loop / r.c).toFixed(2)),
  })),
);

// Spawn, start and finish: SPAWNS threads that end at once, then run() until all have.
const spawning = new Bench({ time: quick ? 200 : 1000, warmup: true });
const idle = function* () {};
spawning.add("JavaScript thread", () => {
  const rt = new Runtime();
  for (let i = 0; i < SPAWNS; i++) rt.spawn(idle);
  rt.run();
});
for (const backend of backends()) {
  spawning.add(`machine thread, ${backend.kind} ${backend.abi.name}`, () => {
    const rt = new Runtime();
    for (let i = 0; i < SPAWNS; i++) spawnMachine(rt, EXIT, { backend });
    rt.run();
  });
}
await spawning.run();
const js = row(
  { name: "spawn, start and finish: JavaScript thread", unit: "ns", group: "spawn" },
  spawning.getTask("JavaScript thread"),
  SPAWNS,
);
json.push(js);
for (const task of spawning.tasks.filter((t) => t.name !== "JavaScript thread")) {
  json.push(
    row(
      { name: `spawn, start and finish: ${task.name}`, unit: "ns", group: "spawn" },
      task,
      SPAWNS,
      js,
    ),
  );
}
console.table(
  json
    .filter((r) => r.group === "spawn")
    .map((r) => ({
      task: r.name,
      "ns per thread": Number(r.value.toFixed(0)),
      "× JavaScript thread": r.ratio ? Number(r.ratio.toFixed(1)) : 1,
    })),
);
writeBenchRows(json);
