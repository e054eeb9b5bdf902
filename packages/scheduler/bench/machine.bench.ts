/**
 * Benchmark: machine-thread switches through the runtime on each backend,
 * next to the raw resume of @greenthreads/switch measured in the same run.
 *
 *   pnpm --filter @greenthreads/scheduler bench:machine
 *
 * Each thread runs `loop: yield 0; jmp loop`, so every switch is one resume
 * that ends in a yield trap. "raw" resumes the same kind of thread in a plain
 * loop; "runtime" lets a RoundRobin runtime pick among `threads` machine
 * threads. The ratio is the runtime's cost per switch over the raw resume's.
 */
import { parseProgram } from "@greenthreads/isa";
import { RoundRobin, Runtime } from "@greenthreads/scheduler";
import { spawnMachine } from "@greenthreads/scheduler/machine";
import { type Backend, loadBackend } from "@greenthreads/switch";
import { Bench } from "tinybench";

const SPIN = parseProgram("loop:\n  yield 0\n  jmp loop");
const THREADS = 100;

function backends(): Backend[] {
  const list: Backend[] = [];
  const native = loadBackend({ prefer: "native" });
  if (native.kind === "native") list.push(native);
  else console.log(`native backend unavailable: ${native.reason}`);
  list.push(loadBackend({ prefer: "emulated" }));
  return list;
}

const rows: { backend: string; raw: number; runtime: number }[] = [];
for (const backend of backends()) {
  const batch = backend.kind === "native" ? 10_000 : 50;
  const loaded = backend.load(SPIN);
  const rawThread = backend.spawn(loaded);
  const rt = new Runtime({ scheduler: new RoundRobin() });
  for (let i = 0; i < THREADS; i++) spawnMachine(rt, SPIN, { backend });
  const bench = new Bench({ time: 1500, warmup: true });
  bench.add("raw", () => {
    for (let i = 0; i < batch; i++) backend.resume(rawThread);
  });
  bench.add("runtime", () => {
    rt.run({ maxSwitches: batch });
  });
  await bench.run();
  const ns = (name: string) => {
    const r = bench.getTask(name)?.result;
    return r && "latency" in r ? (r.latency.mean * 1e6) / batch : Number.NaN;
  };
  rows.push({
    backend: `${backend.kind} ${backend.abi.name}`,
    raw: ns("raw"),
    runtime: ns("runtime"),
  });
  backend.release(rawThread);
}
console.table(
  rows.map((r) => ({
    backend: r.backend,
    "raw resume ns": Number(r.raw.toFixed(1)),
    [`runtime switch ns (${THREADS} threads)`]: Number(r.runtime.toFixed(1)),
    "runtime / raw": Number((r.runtime / r.raw).toFixed(2)),
  })),
);
