/**
 * Benchmark: our JavaScript threads against what users would pick instead,
 * on one workload (n tasks taking turns, see peers/turn-taking.ts):
 * nanoseconds per switch, bytes per idle task, and nanoseconds to spawn and
 * start a task, at 2 to 100,000 tasks.
 *
 *   pnpm bench                     (at the root: every benchmark, then the report)
 *   pnpm --filter @greenthreads/bench bench [--quick]
 *
 * Every (library, task count) pair runs in a fresh child process, so no
 * library's JIT feedback or heap leaks into another's. The full mode runs
 * every pair `REPEATS` times, interleaved, so a burst of load on the machine
 * hits different libraries in different repeats; a pair's figure is the
 * median over its repeats, and its spread the fastest and slowest repeat.
 * The quick mode runs each pair once, at 10,000 tasks only, and its spread is
 * over the batches of that one process.
 *
 * Inside a child: a small system of the library is built and run first, so
 * its code is compiled before anything is counted; then enough systems of n
 * tasks for 10,000 tasks in all are built, started and left parked, and the
 * heap after a full collection, before and after, gives bytes per task (at
 * 2 tasks that includes half of whatever the library keeps per group of
 * tasks: a runtime, a scope, a gate). Spawn cost is the fastest of several
 * builds of a system of up to 1,000 tasks (creating and starting each task
 * until it first parks). Then one system runs warm-up batches and timed batches of turns,
 * each timed in process CPU time (which leaves out time other load kept the
 * process off the CPU), sized to take about `batchMs` each.
 */
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import {
  type BenchRow,
  compareWith,
  quickMode,
  rowFromSamples,
  writeBenchRows,
} from "../../isa/bench/bench-json.js";
import { cpuNs, heapAfterGc } from "../../isa/bench/bench-measure.js";
import { asyncAwait } from "./peers/async-await.js";
import { coPeer } from "./peers/co.js";
import { effectionPeer } from "./peers/effection.js";
import { greenthreadsClosure, greenthreadsShared } from "./peers/greenthreads.js";
import { jsCsp } from "./peers/js-csp.js";
import {
  rawDirectClosure,
  rawDirectShared,
  rawNextClosure,
  rawNextShared,
} from "./peers/raw-generators.js";
import { reduxSaga } from "./peers/redux-saga.js";
import type { Peer } from "./peers/turn-taking.js";

const ALL_COUNTS = [2, 100, 1_000, 10_000, 100_000];
const PEER_COUNTS = [2, 100, 10_000];
/** Every library, with the task counts it runs at in the full mode. */
const PLAN: [Peer, number[]][] = [
  [greenthreadsShared, ALL_COUNTS],
  [greenthreadsClosure, ALL_COUNTS],
  [rawNextShared, ALL_COUNTS],
  [rawDirectShared, ALL_COUNTS],
  [rawNextClosure, ALL_COUNTS],
  [rawDirectClosure, ALL_COUNTS],
  [asyncAwait, ALL_COUNTS],
  [coPeer, PEER_COUNTS],
  [effectionPeer, PEER_COUNTS],
  [jsCsp, PEER_COUNTS],
  [reduxSaga, PEER_COUNTS],
];
const QUICK_COUNTS = [10_000];
/** Tasks built for the memory and spawn figures, whatever n is. */
const MEMORY_TASKS = 10_000;
/** The task count of the spawn table. */
const SPAWN_AT = 10_000;
/** Tasks per system when timing spawns (fewer than SPAWN_AT for the slowest libraries' sake). */
const SPAWN_TASKS = 1_000;

interface Job {
  peer: string;
  threads: number;
  batchMs: number;
  warmups: number;
  warmupMs: number;
  spawnMs: number;
  batches: number;
}

interface Sample {
  bytesPerTask: number;
  spawnNs: number;
  batchNs: number[];
}

function peerById(id: string): Peer {
  const found = PLAN.find(([p]) => p.id === id);
  if (!found) throw new Error(`unknown peer ${id}`);
  return found[0];
}

async function childJob(job: Job): Promise<Sample> {
  const peer = peerById(job.peer);
  const n = job.threads;
  const warm = await peer.create(Math.min(n, 100));
  await warm.run(2 * Math.min(n, 100));

  const groups = Math.max(1, Math.ceil(MEMORY_TASKS / n));
  const before = heapAfterGc();
  const systems = [];
  for (let k = 0; k < groups; k++) systems.push(await peer.create(n));
  const after = heapAfterGc();
  const bytesPerTask = (after - before) / (groups * n);
  if (!warm) throw new Error("unreachable");

  const system = systems[0]!;
  systems.length = 0;
  heapAfterGc();

  // Spawn and start: build systems of up to SPAWN_TASKS tasks again and
  // again (now that the code that builds them is warm), the fastest counts.
  const spawnTasks = Math.min(n, SPAWN_TASKS);
  let spawnNs = Number.POSITIVE_INFINITY;
  const spawnUntil = cpuNs() + job.spawnMs * 1e6;
  for (let k = 0; k < 3 || (k < 30 && cpuNs() < spawnUntil); k++) {
    const t0 = cpuNs();
    await peer.create(spawnTasks);
    spawnNs = Math.min(spawnNs, (cpuNs() - t0) / spawnTasks);
  }
  heapAfterGc();
  let turns = Math.max(1000, n);
  const timed = async (): Promise<number> => {
    const start = cpuNs();
    const taken = await system.run(turns);
    const perTurn = (cpuNs() - start) / taken;
    turns = Math.max(1, Math.round((job.batchMs * 1e6) / Math.max(perTurn, 0.1)));
    return perTurn;
  };
  // Warm up for some CPU time, not only some batches: on a loaded machine the
  // optimizing compiler's background thread gets its turn late.
  const warmUntil = cpuNs() + job.warmupMs * 1e6;
  for (let w = 0; w < job.warmups || cpuNs() < warmUntil; w++) await timed();
  const batchNs: number[] = [];
  for (let b = 0; b < job.batches; b++) batchNs.push(await timed());
  return { bytesPerTask, spawnNs, batchNs };
}

function runChild(job: Job): Sample {
  const script = fileURLToPath(import.meta.url);
  const r = spawnSync(
    process.execPath,
    [...process.execArgv, script, "--child", JSON.stringify(job)],
    { encoding: "utf8", maxBuffer: 1 << 20 },
  );
  if (r.status !== 0) throw new Error(`bench child ${job.peer} ${job.threads} failed: ${r.stderr}`);
  return JSON.parse(r.stdout.trim().split("\n").at(-1)!) as Sample;
}

/** Which series a series is compared with (ratio = series / peer), at the same task count. */
function peerSeries(id: string, figure: "switch" | "memory"): string[] {
  const closure = id.endsWith("-closure");
  if (id === greenthreadsShared.id) {
    return figure === "switch" ? [rawNextShared.id, rawDirectShared.id] : [rawNextShared.id];
  }
  if (id === greenthreadsClosure.id) {
    return figure === "switch" ? [rawNextClosure.id, rawDirectClosure.id] : [rawNextClosure.id];
  }
  return [closure ? greenthreadsClosure.id : greenthreadsShared.id];
}

function fmt(x: number): string {
  return x >= 100 ? x.toFixed(0) : x.toFixed(1);
}

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  const child = argv.indexOf("--child");
  if (child >= 0) {
    const out = await childJob(JSON.parse(argv[child + 1]!) as Job);
    process.stdout.write(`${JSON.stringify(out)}\n`);
    return;
  }
  const quick = quickMode();
  const repeats = quick ? 1 : 3;
  const settings = quick
    ? { batchMs: 15, warmups: 2, warmupMs: 100, spawnMs: 50, batches: 5 }
    : { batchMs: 30, warmups: 3, warmupMs: 300, spawnMs: 150, batches: 7 };
  const plan: [Peer, number[]][] = PLAN.map(([p, counts]) => [p, quick ? QUICK_COUNTS : counts]);
  console.log(
    `JavaScript threads against peers, ${quick ? "quick" : "full"} mode: ${repeats} fresh process(es) per library and task count, node ${process.version}`,
  );

  const samples = new Map<string, Sample[]>();
  for (let r = 0; r < repeats; r++) {
    for (const [peer, counts] of plan) {
      for (const threads of counts) {
        const key = `${peer.id}@${threads}`;
        const s = runChild({ peer: peer.id, threads, ...settings });
        samples.set(key, [...(samples.get(key) ?? []), s]);
      }
    }
  }

  // One row per figure: switch ns, bytes per idle task, spawn ns.
  const figures = {
    switch: { group: "js-switch", unit: "ns" },
    memory: { group: "js-memory", unit: "bytes" },
    spawn: { group: "spawn", unit: "ns" },
  } as const;
  const valuesOf = (list: Sample[], figure: keyof typeof figures): number[] => {
    if (figure === "memory") return list.map((s) => s.bytesPerTask);
    if (figure === "spawn") return list.map((s) => s.spawnNs);
    return list.length === 1 ? list[0]!.batchNs : list.map((s) => Math.min(...s.batchNs));
  };
  const rows: BenchRow[] = [];
  for (const figure of ["switch", "memory", "spawn"] as const) {
    const made = new Map<string, BenchRow>();
    for (const [peer, counts] of plan) {
      for (const threads of counts) {
        if (figure === "spawn" && threads !== SPAWN_AT) continue;
        const label =
          figure === "spawn"
            ? `spawn and start (1,000 at a time): ${peer.label}`
            : `${peer.label}, ${threads.toLocaleString("en")} tasks`;
        made.set(
          `${peer.id}@${threads}`,
          rowFromSamples(
            {
              name: label,
              unit: figures[figure].unit,
              group: figures[figure].group,
              series: peer.id,
              threads,
            },
            valuesOf(samples.get(`${peer.id}@${threads}`)!, figure),
          ),
        );
      }
    }
    for (const [key, row] of made) {
      const [id, threads] = key.split("@") as [string, string];
      const candidates = peerSeries(id, figure === "switch" ? "switch" : "memory")
        .map((p) => made.get(`${p}@${threads}`))
        .filter((r): r is BenchRow => r !== undefined);
      const fastest = candidates.sort((a, b) => a.value - b.value)[0];
      rows.push(compareWith(row, fastest));
    }
  }

  for (const group of ["js-switch", "js-memory", "spawn"]) {
    console.log(
      `\n${group}\n| what | value | min–max | × peer | peer |\n| --- | ---: | ---: | ---: | --- |`,
    );
    for (const r of rows.filter((x) => x.group === group)) {
      console.log(
        `| ${r.name} | ${fmt(r.value)} ${r.unit} | ${fmt(r.spread.min)}–${fmt(r.spread.max)} | ${r.ratio === null ? "" : r.ratio.toFixed(2)} | ${r.peer ?? ""} |`,
      );
    }
  }
  writeBenchRows(rows);
}

await main();
