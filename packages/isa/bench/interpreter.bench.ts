/**
 * How fast the interpreters step: a thread program with a loop (arithmetic,
 * a branch, push/pop, call/ret, stack loads and stores) lowered with fuel for
 * one ABI of each instruction set and run to its exit in the interpreted
 * host, nanoseconds per machine instruction. Peer: the reference machine
 * running the same program, per program instruction, in the same process:
 * its code does not change with the interpreters', so the ratio is the figure
 * to compare across versions on a shared machine.
 *
 * Each figure is the fastest of several runs (CPU time of the process: the
 * fastest keeps other load on the machine out); quick mode runs fewer
 * iterations of the loop.
 *
 * GREENTHREADS_BENCH_ABIS=aarch64-aapcs64,… measures only those ABIs (one
 * instruction set per process keeps the step loop's call sites monomorphic).
 *
 * Run: pnpm --filter @greenthreads/isa bench
 */
import { type AbiName, getAbi, parseProgram, protocol, ReferenceMachine } from "../src/index.js";
import { quickMode, rowFromSamples, writeBenchRows } from "./bench-json.js";
import { cpuNs } from "./bench-measure.js";

const { INTERPRETED_LAYOUT, InterpretedHost } = protocol;

const ABIS: readonly AbiName[] = (process.env.GREENTHREADS_BENCH_ABIS?.split(",") as
  | AbiName[]
  | undefined) ?? ["x86_64-sysv", "aarch64-aapcs64", "riscv64-lp64d"];
const ITERATIONS = quickMode() ? 10_000 : 40_000;
const RUNS = quickMode() ? 7 : 11;
const STACK = 1 << 16;

function loopSource(n: number): string {
  return `
  mov r1, 0
  mov r2, 0
loop:
  bge r1, ${n}, done
  add r2, r2, r1
  xor r3, r2, r1
  push r3
  store stack[0], r2
  load r5, stack[0]
  call twice
  pop r4
  add r1, r1, 1
  jmp loop
twice:
  shl r3, r3, 1
  ret
done:
  exit r2
`;
}

/** Program instructions one run of the loop executes: 12 per iteration, 4 outside. */
function programSteps(n: number): number {
  return 12 * n + 4;
}

/** ns per machine instruction of one run to exit on `abi`, and the instruction count. */
function interpretedRun(abi: AbiName, text: string): { ns: number; steps: number } {
  const host = new InterpretedHost(getAbi(abi));
  const program = host.loadProgram(parseProgram(text), { fuel: true });
  host.memory.map(INTERPRETED_LAYOUT.stacks, STACK, "rw");
  const thread = host.createThread(program, {
    stackLow: INTERPRETED_LAYOUT.stacks,
    stackHigh: INTERPRETED_LAYOUT.stacks + BigInt(STACK),
    budget: 1n << 40n,
  });
  const before = host.cpu.steps;
  const t0 = cpuNs();
  const trap = host.resume(thread);
  const ns = cpuNs() - t0;
  if (trap.kind !== "exit")
    throw new Error(
      `${abi}: expected exit, got ${JSON.stringify(trap, (_, v) => (typeof v === "bigint" ? `${v}` : v))}`,
    );
  const steps = host.cpu.steps - before;
  return { ns: ns / steps, steps };
}

/** ns per program instruction of the reference machine on the same program. */
function referenceRun(text: string, iterations: number): number {
  const machine = new ReferenceMachine(parseProgram(text), { stackWords: STACK / 8 });
  const t0 = cpuNs();
  const trap = machine.resume();
  const ns = cpuNs() - t0;
  // The loop has no host call or yield: one resume runs it to its exit.
  if (trap.kind !== "exit") throw new Error(`reference: expected exit, got ${trap.kind}`);
  return ns / programSteps(iterations);
}

const text = loopSource(ITERATIONS);
// Warm every path up once.
for (const abi of ABIS) interpretedRun(abi, loopSource(200));
referenceRun(loopSource(200), 200);

const reference: number[] = [];
const per = new Map<AbiName, number[]>(ABIS.map((a) => [a, []]));
const steps = new Map<AbiName, number>();
for (let r = 0; r < RUNS; r++) {
  reference.push(referenceRun(text, ITERATIONS));
  for (const abi of ABIS) {
    const run = interpretedRun(abi, text);
    per.get(abi)!.push(run.ns);
    steps.set(abi, run.steps);
  }
}
const group = "interpreter";
const peer = rowFromSamples(
  { name: "reference machine, per program instruction", unit: "ns", group },
  reference,
  undefined,
  "min",
);
const rows = [
  peer,
  ...ABIS.map((abi) =>
    rowFromSamples(
      {
        name: `interpreter, per machine instruction, ${abi} (${steps.get(abi)} instructions)`,
        unit: "ns",
        group,
      },
      per.get(abi)!,
      peer,
      "min",
    ),
  ),
];

const width = Math.max(...rows.map((r) => r.name.length));
console.log(`interpreter speed (Node ${process.version}, fastest of ${RUNS} runs, CPU time)`);
for (const r of rows) {
  const spread = `${r.spread.min.toFixed(1)}..${r.spread.max.toFixed(1)}`;
  const ratio = r.ratio === null ? "" : `${r.ratio.toFixed(2)}× peer`;
  console.log(
    `  ${r.name.padEnd(width)}  ${r.value.toFixed(1).padStart(7)} ${r.unit}  [${spread}]  ${ratio}`,
  );
}
writeBenchRows(rows);
