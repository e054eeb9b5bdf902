/**
 * What the size of a thread program costs: verify time, machine code, JS heap
 * and load time, for programs up to the instruction limit.
 *
 * - Verify: a chain of calls (each function calls the next), the shape on
 *   which a search per call target took minutes at 64k instructions. Peer:
 *   parsing the same text, in the same run.
 * - Load: `push 1` on every line with fuel (the heaviest common shape: a
 *   stack check and a fuel check per instruction), on x86-64 SysV, at 50k
 *   instructions and at the limit. "native" is what the native backend does
 *   before it copies the bytes into executable pages (lower, select,
 *   assemble); "emulated" is the interpreter's load (the same, then placing
 *   the code in emulated memory and indexing it). Each load runs in a fresh
 *   child process, so that its heap figures are its own. Peer: parsing and
 *   verifying the same text in that process.
 * - Code: 2,000 calls and 2,000 rets, the program that once lowered to
 *   82 MiB. Peer: the size of its text.
 *
 * Load time is wall-clock time; on a machine shared with other work the CPU
 * time of the loading process (its own row) is the steadier figure.
 *
 * Heap figures: "retained" is the heap still in use after a full collection
 * with the loaded program alive; "peak" is the heap V8 had committed by the
 * end of the load (it does not give memory back within a run), per program
 * instruction.
 *
 * Prints a table. When GREENTHREADS_BENCH_JSON names a file, appends one JSON
 * object per row to it (JSON lines): { name, unit, value, spread?, peer?, ratio? }.
 *
 * Run: pnpm --filter @greenthreads/isa bench
 */
import { execFileSync } from "node:child_process";
import { appendFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import {
  assemble,
  getAbi,
  lowering,
  PROGRAM_LIMITS,
  type Program,
  parseProgram,
  protocol,
  verifyProgram,
  x86_64,
} from "../src/index.js";
import { quickMode } from "./bench-json.js";

const { InterpretedHost } = protocol;
const { lowerProgram } = lowering;

interface Row {
  readonly name: string;
  readonly unit: string;
  readonly value: number;
  /** (max − min) / median over the repetitions, when repeated. */
  readonly spread?: number;
  readonly peer?: number;
  readonly ratio?: number;
}

interface LoadFigures {
  readonly ms: number;
  /** CPU time of the process (all its threads, the collector's included) during the load. */
  readonly cpuMs: number;
  readonly peerMs: number;
  readonly codeBytes: number;
  readonly retained: number;
  readonly peak: number;
}

const ABI = getAbi("x86_64-sysv");

function pushProgram(n: number): string {
  return `${"push 1\n".repeat(n - 1)}exit 0\n`;
}

function chainProgram(n: number): string {
  const functions = Math.floor((n - 2) / 2);
  const lines = ["call f0", "exit 0"];
  for (let i = 0; i < functions; i++) {
    lines.push(i + 1 < functions ? `f${i}: call f${i + 1}` : `f${i}: add r0, r0, 1`, "ret");
  }
  while (lines.length < n) lines.push("ret");
  return lines.join("\n");
}

function callsAndRets(calls: number): string {
  const lines: string[] = [];
  for (let i = 0; i < calls; i++) lines.push(`call f${i}`);
  lines.push("exit 0");
  for (let i = 0; i < calls; i++) lines.push(`f${i}: ret`);
  return lines.join("\n");
}

function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[s.length >> 1]!;
}

function time(f: () => void): number {
  const t = performance.now();
  f();
  return performance.now() - t;
}

function collect(): void {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (!gc) throw new Error("run with node --expose-gc (see the bench script in package.json)");
  gc();
}

/** One load in this process: the child's side. */
function loadHere(mode: "native" | "emulated", n: number): LoadFigures {
  const text = pushProgram(n);
  let program: Program | undefined;
  const peerMs = time(() => {
    program = parseProgram(text);
    verifyProgram(program);
  });
  collect();
  const before = process.memoryUsage();
  let kept: unknown;
  let codeBytes = 0;
  const cpu = process.cpuUsage();
  const ms = time(() => {
    if (mode === "native") {
      const lowered = lowerProgram(program!, ABI, x86_64, { fuel: true });
      const code = assemble(x86_64, x86_64.select(lowered.ops), 0n);
      // What the native backend keeps: the bytes (copied into executable pages) and the labels.
      kept = [code.bytes, code.labels];
      codeBytes = code.bytes.length;
    } else {
      const host = new InterpretedHost(ABI);
      const loaded = host.loadProgram(program!, { fuel: true });
      kept = [host, loaded];
      codeBytes = loaded.code.bytes.length;
    }
  });
  const used = process.cpuUsage(cpu);
  const cpuMs = (used.user + used.system) / 1000;
  const peak = process.memoryUsage().heapTotal - before.heapTotal;
  collect();
  const retained = process.memoryUsage().heapUsed - before.heapUsed;
  if (!kept) throw new Error("nothing loaded");
  return { ms, cpuMs, peerMs, codeBytes, retained: retained / n, peak: peak / n };
}

/** One load in a fresh child process. */
function loadInChild(mode: "native" | "emulated", n: number): LoadFigures {
  const out = execFileSync(
    process.execPath,
    [...process.execArgv, fileURLToPath(import.meta.url), "--load", mode, String(n)],
    { encoding: "utf8", maxBuffer: 1 << 20 },
  );
  return JSON.parse(out.trim().split("\n").at(-1)!) as LoadFigures;
}

function verifyRows(): Row[] {
  const rows: Row[] = [];
  // Quick mode keeps the smaller sizes: loading at the limit alone takes half a minute.
  for (const n of quickMode() ? [16_384, 65_536] : [16_384, 65_536, 262_144]) {
    const text = chainProgram(n);
    const verify: number[] = [];
    const parse: number[] = [];
    for (let r = 0; r < 3; r++) {
      let p: Program | undefined;
      parse.push(time(() => (p = parseProgram(text))));
      verify.push(time(() => verifyProgram(p!)));
    }
    const value = median(verify);
    const peer = median(parse);
    rows.push({
      name: `verify, call chain of ${n / 1024}k instructions (peer: parse)`,
      unit: "ms",
      value,
      spread: (Math.max(...verify) - Math.min(...verify)) / value,
      peer,
      ratio: value / peer,
    });
  }
  return rows;
}

function loadRows(): Row[] {
  const rows: Row[] = [];
  for (const n of quickMode() ? [50_000] : [50_000, PROGRAM_LIMITS.maxInstructions]) {
    for (const mode of ["native", "emulated"] as const) {
      const f = loadInChild(mode, n);
      const what = `${n === PROGRAM_LIMITS.maxInstructions ? `${n} (the limit)` : n} push + fuel, x86-64 SysV ${mode}`;
      rows.push(
        {
          name: `load time, ${what} (peer: parse + verify)`,
          unit: "ms",
          value: f.ms,
          peer: f.peerMs,
          ratio: f.ms / f.peerMs,
        },
        { name: `load CPU time, ${what}`, unit: "ms", value: f.cpuMs },
        { name: `machine code per instruction, ${what}`, unit: "B", value: f.codeBytes / n },
        { name: `JS heap retained per instruction, ${what}`, unit: "B", value: f.retained },
        { name: `JS heap peak per instruction, ${what}`, unit: "B", value: f.peak },
      );
    }
  }
  const text = callsAndRets(2000);
  const program = parseProgram(text);
  verifyProgram(program);
  const lowered = lowerProgram(program, ABI, x86_64, { fuel: true });
  const bytes = assemble(x86_64, x86_64.select(lowered.ops), 0n).bytes.length;
  rows.push({
    name: "machine code, 2,000 calls + 2,000 rets with fuel (peer: text bytes)",
    unit: "B",
    value: bytes,
    peer: text.length,
    ratio: bytes / text.length,
  });
  return rows;
}

function print(rows: readonly Row[]): void {
  const width = Math.max(...rows.map((r) => r.name.length));
  const num = (v: number | undefined, digits = 1): string =>
    v === undefined ? "" : v.toFixed(digits);
  console.log(`thread-program size (Node ${process.version})`);
  console.log(
    `  ${"".padEnd(width)}  ${"value".padStart(10)}  unit  ${"spread".padStart(6)}  ${"peer".padStart(10)}  ${"ratio".padStart(7)}`,
  );
  for (const r of rows) {
    console.log(
      `  ${r.name.padEnd(width)}  ${num(r.value).padStart(10)}  ${r.unit.padEnd(4)}  ${num(r.spread, 2).padStart(6)}  ${num(r.peer).padStart(10)}  ${num(r.ratio, 2).padStart(7)}`,
    );
  }
  const file = process.env.GREENTHREADS_BENCH_JSON;
  if (file) {
    appendFileSync(
      file,
      rows
        .map(
          (r) =>
            `${JSON.stringify({ name: r.name, unit: r.unit, value: r.value, peer: null, ratio: r.ratio ?? null, group: "program-size" })}\n`,
        )
        .join(""),
    );
    console.log(`  appended ${rows.length} rows to ${file}`);
  }
}

const args = process.argv.slice(2);
if (args[0] === "--load") {
  console.log(JSON.stringify(loadHere(args[1] as "native" | "emulated", Number(args[2]))));
} else {
  print([...verifyRows(), ...loadRows()]);
}
