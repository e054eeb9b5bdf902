/**
 * Benchmark: nanoseconds per switch and bytes per idle thread, next to a raw
 * generator `.next()` loop measured in the same process.
 *
 *   pnpm bench                      (at the root, through turbo)
 *   pnpm --filter @greenthreads/scheduler bench
 *   node --expose-gc --conditions=@greenthreads/source --import tsx bench/bench.ts [--quick]
 *
 * It imports "@greenthreads/scheduler" by name; with the @greenthreads/source
 * condition (the package script passes it) that is src/ run through tsx, so a
 * benchmark never measures a stale build; without it, the built dist/. The
 * header says which. Every row runs in a fresh child process, so no policy's
 * JIT feedback leaks into another's; inside a child, batches of the raw loop
 * and of the runtime alternate, each is timed in process CPU time, and the
 * fastest batch of each counts, which keeps other load on the machine out of
 * the figures as far as possible. The ratio is runtime / raw.
 *
 * Every thread here comes from one shared `function*`; the closure-per-thread
 * shape, at 2 to 100,000 threads against both raw-generator drivers and
 * against other libraries, is in packages/bench (bench/peers.bench.ts).
 *
 * With GREENTHREADS_BENCH_JSON set (the root's `pnpm bench` sets it), every
 * figure is also appended as a JSON line for the report: the fastest batch as
 * the value, the batches' fastest, median and slowest as its spread.
 */
import { spawnSync } from "node:child_process";
import { cpus } from "node:os";
import { fileURLToPath } from "node:url";
import {
  Channel,
  FIFO,
  PCT,
  Priority,
  Random,
  Replay,
  RoundRobin,
  Runtime,
  type Scheduler,
  Stride,
} from "@greenthreads/scheduler";
import {
  type BenchRow,
  quickMode,
  rowFromSamples,
  writeBenchRows,
} from "../../isa/bench/bench-json.js";
import { cpuNs, heapAfterGc } from "../../isa/bench/bench-measure.js";

type Job =
  | { kind: "switch"; policy: string; threads: number; batch: number; batches: number }
  | { kind: "memory"; what: string; threads: number };

/** ns per switch of every batch, raw loop and runtime. */
interface SwitchResult {
  rawNs: number[];
  rtNs: number[];
}

const POLICIES: Record<string, () => Scheduler> = {
  RoundRobin: () => new RoundRobin(),
  FIFO: () => new FIFO(),
  Priority: () => new Priority(),
  Stride: () => new Stride(),
  Random: () => new Random({ seed: 1 }),
  PCT: () => new PCT({ seed: 1, depth: 3, steps: 1_000_000 }),
};

function* idle(): Generator<undefined, void, unknown> {
  for (;;) yield;
}

function time(f: () => void): number {
  const t0 = cpuNs();
  f();
  return cpuNs() - t0;
}

/** Spreads threads over priorities and tickets so Priority and Stride do real work. */
function spawnAll(rt: Runtime, n: number): void {
  for (let i = 0; i < n; i++) rt.spawn(idle, { priority: i % 4, tickets: 100 + (i % 4) * 100 });
}

function switchJob(job: Extract<Job, { kind: "switch" }>): SwitchResult {
  const { threads: n, batch, batches } = job;
  // The raw loop: the same generators, resumed round robin from an array.
  const gens: Generator<undefined, void, unknown>[] = [];
  for (let i = 0; i < n; i++) {
    const g = idle();
    g.next();
    gens.push(g);
  }
  let cursor = 0;
  const raw = () => {
    let i = cursor;
    for (let k = 0; k < batch; k++) {
      gens[i]!.next();
      if (++i === n) i = 0;
    }
    cursor = i;
  };

  let rt: Runtime;
  const warm = Math.max(2 * n, 200_000);
  if (job.policy === "Replay") {
    // Record a RoundRobin run as long as the whole benchmark, then replay it.
    const total = warm + batch * batches;
    const rec = new Runtime({ record: true });
    spawnAll(rec, n);
    rec.run({ maxSwitches: total });
    const schedule = rec.schedule!;
    rt = new Runtime({ scheduler: new Replay(schedule) });
  } else {
    rt = new Runtime({ scheduler: POLICIES[job.policy]!() });
  }
  spawnAll(rt, n);
  rt.run({ maxSwitches: warm });
  raw();
  const rawNs: number[] = [];
  const rtNs: number[] = [];
  for (let b = 0; b < batches; b++) {
    rawNs.push(time(raw) / batch);
    rtNs.push(time(() => rt.run({ maxSwitches: batch })) / batch);
  }
  return { rawNs, rtNs };
}

function memoryJob(job: Extract<Job, { kind: "memory" }>): number {
  const n = job.threads;
  const before = heapAfterGc();
  let keep: unknown;
  if (job.what === "raw") {
    // A started generator in an array: the floor for a thread.
    const gens: Generator[] = [];
    for (let i = 0; i < n; i++) {
      const g = idle();
      g.next();
      gens.push(g);
    }
    keep = gens;
  } else if (job.what === "blocked") {
    // Threads parked on a channel: idle in the strictest sense.
    const rt = new Runtime();
    const ch = new Channel<number>();
    const body = function* () {
      yield* ch.recv();
    };
    for (let i = 0; i < n; i++) rt.spawn(body);
    rt.run({ maxSwitches: n });
    keep = [rt, ch];
  } else {
    // Started threads suspended at a yield, in the policy's ready set.
    const rt = new Runtime({ scheduler: POLICIES[job.what]!() });
    for (let i = 0; i < n; i++) rt.spawn(idle);
    rt.run({ maxSwitches: n });
    keep = rt;
  }
  const after = heapAfterGc();
  if (!keep) throw new Error("unreachable");
  return (after - before) / n;
}

function runChild(job: Job): unknown {
  const script = fileURLToPath(import.meta.url);
  const r = spawnSync(
    process.execPath,
    [...process.execArgv, script, "--child", JSON.stringify(job)],
    {
      encoding: "utf8",
      maxBuffer: 1 << 20,
    },
  );
  if (r.status !== 0) throw new Error(`bench child failed: ${r.stderr || r.stdout}`);
  return JSON.parse(r.stdout.trim().split("\n").at(-1)!);
}

function fmt(x: number, digits = 1): string {
  return x.toFixed(digits);
}

function main(): void {
  const argv = process.argv.slice(2);
  const child = argv.indexOf("--child");
  if (child >= 0) {
    const job = JSON.parse(argv[child + 1]!) as Job;
    const out = job.kind === "switch" ? switchJob(job) : memoryJob(job);
    process.stdout.write(`${JSON.stringify(out)}\n`);
    return;
  }
  const quick = quickMode(argv);
  const rows: BenchRow[] = [];
  const batch = quick ? 200_000 : 500_000;
  const batches = quick ? 5 : 30;
  const resolved = import.meta.resolve("@greenthreads/scheduler");
  console.log("@greenthreads/scheduler benchmark");
  console.log(
    `node ${process.version}, ${cpus()[0]?.model ?? "unknown cpu"}, ${cpus().length} cores; code: ${resolved.replace(/^.*\/packages\//, "packages/")}`,
  );
  console.log(
    `ns per switch: fastest of ${batches} batches of ${batch.toLocaleString("en")} switches in process CPU time; raw = a loop of gen.next() over as many started generators, same process, batches alternated\n`,
  );

  const policyRows: [string, number][] = [
    ["RoundRobin", 2],
    ["RoundRobin", 100],
    ["RoundRobin", 10_000],
    ["FIFO", 10_000],
    ["Priority", 10_000],
    ["Stride", 10_000],
    ["Random", 10_000],
    ["PCT", 10_000],
    ["Replay", 10_000],
  ];
  console.log("| policy     | threads | raw .next() ns | runtime ns | ratio |");
  console.log("| ---------- | ------: | -------------: | ---------: | ----: |");
  for (const [policy, threads] of quick ? policyRows.slice(2, 3) : policyRows) {
    const replay = policy === "Replay";
    const r = runChild({
      kind: "switch",
      policy,
      threads,
      batch: replay ? Math.min(batch, 100_000) : batch,
      batches: replay ? 3 : batches,
    }) as SwitchResult;
    const group = "scheduler-policies";
    const count = threads.toLocaleString("en");
    const rawRow = rowFromSamples(
      {
        name: `raw generators .next() (${policy} row), ${count} threads`,
        unit: "ns",
        group,
        threads,
      },
      r.rawNs,
      undefined,
      "min",
    );
    const rtRow = rowFromSamples(
      { name: `${policy}, ${count} threads`, unit: "ns", group, series: policy, threads },
      r.rtNs,
      rawRow,
      "min",
    );
    rows.push(rtRow);
    console.log(
      `| ${policy.padEnd(10)} | ${String(threads).padStart(7)} | ${fmt(rawRow.value).padStart(14)} | ${fmt(rtRow.value).padStart(10)} | ${fmt(rtRow.ratio!, 2).padStart(5)} |`,
    );
    rows.push(rawRow);
  }

  const n = quick ? 10_000 : 100_000;
  console.log(
    `\nbytes per idle thread: ${n.toLocaleString("en")} threads, heap used after gc, before and after\n`,
  );
  console.log("| what                                   | bytes/thread | ratio to raw |");
  console.log("| -------------------------------------- | -----------: | -----------: |");
  const raw = runChild({ kind: "memory", what: "raw", threads: n }) as number;
  const memoryRow = (label: string, bytes: number, peer?: BenchRow): BenchRow =>
    rowFromSamples(
      { name: label, unit: "bytes", group: "scheduler-memory", threads: n },
      [bytes],
      peer,
    );
  const rawMemory = memoryRow("started generator in an array (raw)", raw);
  const memRows: [string, string][] = [
    ["raw", "started generator in an array (raw)"],
    ["RoundRobin", "RoundRobin thread, parked at a yield"],
    ["FIFO", "FIFO thread, parked at a yield"],
    ["blocked", "RoundRobin thread, blocked in recv()"],
  ];
  for (const [what, label] of quick ? memRows.slice(0, 2) : memRows) {
    const b = what === "raw" ? raw : (runChild({ kind: "memory", what, threads: n }) as number);
    rows.push(what === "raw" ? rawMemory : memoryRow(label, b, rawMemory));
    console.log(
      `| ${label.padEnd(38)} | ${fmt(b).padStart(12)} | ${fmt(b / raw, 2).padStart(12)} |`,
    );
  }
  writeBenchRows(rows);
}

main();
