/**
 * Backend.runTurns against the reference machine: a run of turns must be
 * exactly the resumes it stands for. For random rings (random programs,
 * budgets, TURN_* bits, limits, and threads stopped at random traps before
 * the run), every backend's runTurns and a model of it written over
 * ReferenceMachines (the semantics: resume each thread with 0 in ring order,
 * stop at a trap the bits do not allow) must agree on the turns, the pending
 * trap, and then, thread by thread, on every trap to the end.
 */
import {
  getAbi,
  lowering,
  type Program,
  parseProgram,
  ReferenceMachine,
  type Trap,
} from "@greenthreads/isa";
import { describe, expect } from "vitest";
import { randomProgram } from "../../isa/test/lowering/random-programs.js";
import {
  type Backend,
  EmulatedBackend,
  type MachineThread,
  NativeBackend,
  type SwitchError,
  TURN_BUDGET_PASS,
  TURN_BUDGET_STAY,
  TURN_YIELD,
  TurnRing,
  WasmBackend,
} from "../src/index.js";
import { testWhen } from "./native-test.js";

const { stackCapacityWords } = lowering;

const native = (() => {
  try {
    return new NativeBackend();
  } catch {
    return undefined;
  }
})();
const BACKENDS: { name: string; backend: Backend | undefined; rings: number }[] = [
  { name: "native", backend: native, rings: 120 },
  { name: "wasm", backend: new WasmBackend(), rings: 100 },
  { name: "emulated x86_64-sysv", backend: new EmulatedBackend(getAbi("x86_64-sysv")), rings: 30 },
];
const STACK = 16384;

/** A small deterministic generator for the ring's shape. */
function rng(seed: number): () => number {
  let s = Math.imul(seed, 0x9e3779b9) >>> 0 || 1;
  return () => {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    return (s >>> 0) / 2 ** 32;
  };
}

/** A thread under the model: the reference machine and what the ring may answer. */
interface ModelThread {
  machine: ReferenceMachine;
  last: Trap | undefined;
  done: boolean;
}

function answerable(t: ModelThread, bits: number): boolean {
  if (t.done) return false;
  if (t.last === undefined) return true;
  if (t.last.kind === "yield") return (bits & TURN_YIELD) !== 0;
  return t.last.kind === "budget" && (bits & (TURN_BUDGET_PASS | TURN_BUDGET_STAY)) !== 0;
}

function endsTurn(trap: Trap, bits: number): boolean {
  return trap.kind === "yield"
    ? (bits & TURN_YIELD) !== 0
    : trap.kind === "budget" && (bits & TURN_BUDGET_PASS) !== 0;
}

function step(t: ModelThread, value: bigint): Trap {
  const trap = t.machine.resume(value);
  t.last = trap;
  t.done = trap.kind === "exit" || trap.kind === "fault";
  return trap;
}

/** runTurns as the semantics says: resume with 0 in ring order under the TURN_* rules. */
function modelTurns(ring: ModelThread[], bits: number[], limit: number) {
  let head = 0;
  let turns = 0;
  let runs = 0;
  while (runs < limit) {
    const t = ring[head]!;
    const b = bits[head]!;
    if (!answerable(t, b)) break;
    runs++;
    let trap = step(t, 0n);
    while (trap.kind === "budget" && (b & TURN_BUDGET_STAY) !== 0) trap = step(t, 0n);
    if (!endsTurn(trap, b)) return { turns, pending: trap };
    turns++;
    head = (head + 1) % ring.length;
  }
  return { turns, pending: undefined };
}

/** A thread that yields (into a register the ring must zero) a few dozen times, then calls the host. */
function counter(random: () => number): string {
  const start = Math.floor(random() * 1000);
  return [
    `  mov r1, ${start}`,
    "loop:",
    "  add r1, r1, 1",
    "  add r2, r1, 5",
    "  yield r1 -> r2",
    "  add r1, r1, r2",
    `  blt r1, ${start + 10 + Math.floor(random() * 40)}, loop`,
    "  hostcall h(r1, r2) -> r3",
    "  yield r3",
    "  exit r1",
  ].join("\n");
}

/** One ring: its programs, budgets, bits, the resumes before the run, and the limit. */
function ringPlan(seed: number) {
  const random = rng(seed);
  const size = 1 + Math.floor(random() * 5);
  const members = Array.from({ length: size }, (_, i) => {
    // Random programs stop a ring soon (host calls); counters keep it turning for a while.
    const { source, budget } =
      random() < 0.4 ? randomProgram(seed * 8 + i) : { source: counter(random), budget: undefined };
    const budgetOf = random() < 0.5 ? (budget ?? BigInt(1 + Math.floor(random() * 12))) : budget;
    const bits = [
      TURN_YIELD,
      TURN_YIELD | TURN_BUDGET_PASS,
      TURN_YIELD | TURN_BUDGET_STAY,
      TURN_YIELD | TURN_BUDGET_PASS,
      TURN_YIELD | TURN_BUDGET_STAY,
      TURN_BUDGET_PASS,
      0,
    ][Math.floor(random() * 7)]!;
    const before = random() < 0.3 ? 1 + Math.floor(random() * 2) : 0;
    return { program: parseProgram(source), budget: budgetOf, bits, before };
  });
  const limit = random() < 0.2 ? Number.POSITIVE_INFINITY : 1 + Math.floor(random() * 60);
  return { members, limit };
}

function runRing(backend: Backend, seed: number): { turns: number; pending: Trap | undefined } {
  const { members, limit } = ringPlan(seed);
  const loaded = new Map<Program, ReturnType<Backend["load"]>>();
  const threads: MachineThread[] = [];
  const model: ModelThread[] = [];
  const ring = new TurnRing();
  try {
    for (const m of members) {
      const fuel = m.budget !== undefined;
      let program = loaded.get(m.program);
      if (!program) {
        program = backend.load(m.program, { fuel });
        loaded.set(m.program, program);
      }
      const thread = backend.spawn(program, {
        stackSize: STACK,
        ...(m.budget === undefined ? {} : { budget: m.budget }),
      });
      threads.push(thread);
      const ref: ModelThread = {
        machine: new ReferenceMachine(m.program, {
          stackWords: stackCapacityWords(STACK),
          ...(m.budget === undefined ? {} : { budget: m.budget }),
        }),
        last: undefined,
        done: false,
      };
      model.push(ref);
      // Some resumes first, so threads stand at every kind of trap when the ring starts.
      for (let i = 0; i < m.before && !ref.done; i++) {
        expect(backend.resume(thread, 0n)).toEqual(step(ref, 0n));
      }
      ring.add(thread, m.bits);
    }
    const expected = modelTurns(
      model,
      members.map((m) => m.bits),
      limit,
    );
    const got = backend.runTurns(ring, limit);
    expect(got.error).toBeUndefined();
    expect({ turns: got.turns, pending: got.pending }).toEqual(expected);
    // Each thread goes on from where the turns left it, trap for trap.
    for (let i = 0; i < threads.length; i++) {
      const thread = threads[i]!;
      const ref = model[i]!;
      if (expected.pending !== undefined && i === expected.turns % threads.length) {
        expect(thread.lastTrap).toEqual(expected.pending);
      }
      for (let n = 0; n < 40 && !ref.done; n++) {
        expect(backend.resume(thread, 0n)).toEqual(step(ref, 0n));
      }
      expect(thread.state === "exited" || thread.state === "faulted").toBe(ref.done);
    }
    return expected;
  } finally {
    for (const t of threads) backend.release(t);
    for (const p of loaded.values()) backend.unload(p);
  }
}

describe.each(BACKENDS)("runTurns on $name", ({ name, backend, rings }) => {
  const when = testWhen(backend !== undefined, `${name} backend not available`);

  when(
    `${rings} random rings equal the reference machine's resumes`,
    () => {
      let turns = 0;
      let longest = 0;
      const pending = new Set<string>();
      for (let seed = 1; seed <= rings; seed++) {
        const run = runRing(backend!, seed);
        turns += run.turns;
        longest = Math.max(longest, run.turns);
        if (run.pending) pending.add(run.pending.kind);
      }
      // The rings took turns, some of them many, and stopped at traps of several kinds.
      expect(turns).toBeGreaterThan(rings);
      expect(longest).toBeGreaterThanOrEqual(5);
      expect(pending.size).toBeGreaterThanOrEqual(2);
    },
    60_000,
  );

  when("a ring of yielders rotates: every thread runs its share, in order", () => {
    const b = backend!;
    const program = b.load(parseProgram("mov r1, 0\nloop:\nadd r1, r1, 1\nyield r1\njmp loop"));
    const ring = new TurnRing();
    const threads = Array.from({ length: 3 }, () => b.spawn(program));
    for (const t of threads) ring.add(t, TURN_YIELD);
    expect(b.runTurns(ring, 7)).toEqual({ turns: 7, pending: undefined });
    // 0 1 2 0 1 2 0: thread 0 ran three times, the others twice; their last yields say so.
    expect(threads.map((t) => t.lastTrap)).toEqual([
      { kind: "yield", value: 3n },
      { kind: "yield", value: 2n },
      { kind: "yield", value: 2n },
    ]);
    // The ring is now 1 2 0: one more turn runs thread 1.
    ring.clear();
    for (const i of [1, 2, 0]) ring.add(threads[i]!, TURN_YIELD);
    expect(b.runTurns(ring, 1)).toEqual({ turns: 1, pending: undefined });
    expect(threads[1]!.lastTrap).toEqual({ kind: "yield", value: 3n });
    expect(threads.map((t) => t.state)).toEqual(["suspended", "suspended", "suspended"]);
    for (const t of threads) b.release(t);
    b.unload(program);
  });

  when("a thread the ring may not run stops it there: another backend's, a released one", () => {
    const b = backend!;
    const other = new EmulatedBackend(getAbi("x86_64-sysv"));
    const program = b.load(parseProgram("loop:\nyield 1\njmp loop"));
    const foreign = other.spawn(other.load(parseProgram("yield 1\nexit 0")));
    const a = b.spawn(program);
    const released = b.spawn(program);
    b.release(released);
    const ring = new TurnRing();
    ring.add(a, TURN_YIELD);
    ring.add(foreign, TURN_YIELD);
    expect(b.runTurns(ring)).toEqual({ turns: 1, pending: undefined });
    expect(foreign.state).toBe("new");
    ring.clear();
    ring.add(a, TURN_YIELD);
    ring.add(released, TURN_YIELD);
    expect(b.runTurns(ring)).toEqual({ turns: 1, pending: undefined });
    b.release(a);
    b.unload(program);
  });

  when("a time limit ends a ring that would turn forever", () => {
    const b = backend!;
    const program = b.load(parseProgram("loop:\nyield 1\njmp loop"));
    const ring = new TurnRing();
    const threads = [b.spawn(program), b.spawn(program)];
    for (const t of threads) ring.add(t, TURN_YIELD);
    const { turns, pending } = b.runTurns(ring, Number.POSITIVE_INFINITY, 2);
    expect(turns).toBeGreaterThan(0);
    expect(pending).toBeUndefined();
    for (const t of threads) b.release(t);
    b.unload(program);
  });

  when("bad arguments are refused and change nothing", () => {
    const b = backend!;
    const program = b.load(parseProgram("yield 1\nexit 0"));
    const t = b.spawn(program);
    const ring = new TurnRing();
    ring.add(t, TURN_YIELD);
    for (const [r, limit, time] of [
      [{ threads: [t], how: Uint8Array.of(1), length: 1 }, 1, 1],
      [ring, -1, 1],
      [ring, Number.NaN, 1],
      [ring, 1, -5],
      [ring, "3", 1],
    ] as const) {
      expect(() => b.runTurns(r as TurnRing, limit as number, time as number)).toThrow(
        expect.objectContaining({ code: "BAD_OPTIONS" }) as SwitchError,
      );
    }
    expect(t.state).toBe("new");
    expect(b.runTurns(ring, 0)).toEqual({ turns: 0, pending: undefined });
    expect(b.resume(t)).toEqual({ kind: "yield", value: 1n });
    b.release(t);
    b.unload(program);
  });
});

testWhen(native !== undefined, "native addon not built")(
  "a machine fault in a turn is the thread's pending fault trap, and Node goes on",
  () => {
    const b = native!;
    const deep = b.load(parseProgram("yield 0\nloop:\npush 1\njmp loop"));
    const spin = b.load(parseProgram("loop:\nyield 2\njmp loop"));
    const ring = new TurnRing();
    const threads = [b.spawn(spin), b.spawn(deep), b.spawn(spin)];
    for (const t of threads) ring.add(t, TURN_YIELD);
    const { turns, pending } = b.runTurns(ring);
    // spin, deep (yields), spin, spin: four turns; then deep overflows its stack.
    expect(turns).toBe(4);
    expect(pending).toMatchObject({ kind: "fault", fault: "stack-overflow" });
    expect(threads[1]!.state).toBe("faulted");
    for (const t of threads) b.release(t);
    b.unload(deep);
    b.unload(spin);
  },
);
