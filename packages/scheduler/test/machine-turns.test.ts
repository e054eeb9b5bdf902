/**
 * Machine threads taking turns inside one step (turn-taking.ts) change
 * nothing anyone can see: the same threads run in the same order, host calls
 * come in the same order with the same arguments, runs count the same
 * switches and record the same schedule, on every backend, whether the
 * policy lets the driver take turns (RoundRobin, FIFO) or hides its upcoming
 * picks (every switch through the loop). The expected transcripts come from
 * the semantics: round robin over ReferenceMachines.
 */
import {
  lowering,
  type Program,
  parseProgram,
  ReferenceMachine,
  type Trap,
} from "@greenthreads/isa";
import { type Backend, loadBackend, type TurnRing } from "@greenthreads/switch";
import { describe, expect, test } from "vitest";
import { FIFO, Replay, RoundRobin, Runtime, type Scheduler, type Thread } from "../src/index.js";
import { spawnMachine } from "../src/machine/index.js";
import { throughTheLoop } from "./through-the-loop.js";

const { stackCapacityWords } = lowering;

const native = loadBackend({ prefer: "native" });
const BACKENDS: [string, () => Backend][] = [
  ["emulated", () => loadBackend({ prefer: "emulated", abi: "x86_64-sysv" })],
  ["wasm", () => loadBackend({ prefer: "wasm" })],
];
if (native.kind === "native") BACKENDS.unshift(["native", () => loadBackend({ prefer: "native" })]);

/**
 * Threads of several shapes: counters that yield into a register (zeroed by
 * every resume), host calls between runs of yields, one with a budget of its
 * own (preempted), one that exits early.
 */
const SOURCES: string[] = [
  // yields 12 times, calls the host every 4th time
  `  mov r1, 0
loop:
  add r1, r1, 1
  add r2, r1, 100
  yield r1 -> r2
  add r1, r1, r2
  and r3, r1, 3
  bne r3, 0, skip
  hostcall log(r1) -> r4
skip:
  blt r1, 12, loop
  exit r1`,
  // a long run of plain yields, then one host call
  `  mov r1, 0
loop:
  add r1, r1, 1
  yield r1
  blt r1, 30, loop
  hostcall log(r1) -> r2
  exit r2`,
  // host calls only
  `  mov r1, 1
  hostcall log(r1) -> r1
  hostcall log(r1) -> r1
  exit r1`,
  // exits at once
  "  exit 7",
];
const BUDGETED = `  mov r1, 0
loop:
  add r1, r1, 1
  blt r1, 40, loop
  hostcall log(r1) -> r2
  exit r2`;

interface Spec {
  readonly program: Program;
  readonly budget?: number;
}
const SPECS: Spec[] = [
  ...SOURCES.map((s) => ({ program: parseProgram(s) })),
  ...SOURCES.slice(0, 2).map((s) => ({ program: parseProgram(s) })),
  { program: parseProgram(BUDGETED), budget: 7 },
];

/** What a host call answers, and what it writes in the transcript. */
function hostcall(log: string[], who: string) {
  return {
    log: (x: bigint) => {
      log.push(`${who} log(${x})`);
      return x * 3n + 1n;
    },
  };
}

/** Spawns SPECS (with `js` JavaScript threads between them) on `rt`; returns their threads. */
function spawnAll(rt: Runtime, backend: Backend, log: string[], js = 0): Thread[] {
  const threads: Thread[] = [];
  SPECS.forEach((spec, i) => {
    const who = `m${i}`;
    threads.push(
      spawnMachine(rt, spec.program, {
        backend,
        name: who,
        hostcalls: hostcall(log, who),
        ...(spec.budget === undefined ? {} : { budget: spec.budget }),
      }),
    );
    if (i < js) {
      threads.push(
        rt.spawn(
          function* () {
            for (let k = 0; k < 5; k++) {
              log.push(`j${i} ${k}`);
              yield;
            }
          },
          { name: `j${i}` },
        ),
      );
    }
  });
  return threads;
}

/** The semantics: round robin over reference machines, host calls answered at once. */
function roundRobinReference(log: string[]): bigint[] {
  const machines = SPECS.map(
    (spec) =>
      new ReferenceMachine(spec.program, {
        stackWords: stackCapacityWords(16384),
        ...(spec.budget === undefined ? {} : { budget: BigInt(spec.budget) }),
      }),
  );
  const results: bigint[] = [];
  const ready = machines.map((_, i) => i);
  while (ready.length > 0) {
    const i = ready.shift()!;
    const calls = hostcall(log, `m${i}`);
    let trap: Trap = machines[i]!.resume(0n);
    while (trap.kind === "hostcall") trap = machines[i]!.resume(calls.log(trap.args[0]!));
    if (trap.kind === "exit") results[i] = trap.code;
    else if (trap.kind === "yield" || trap.kind === "budget") ready.push(i);
    else throw new Error(`unexpected ${trap.kind}`);
  }
  return results;
}

/** Counts the turns the backend took (the fast path really ran). */
function countTurns(backend: Backend): { calls: number; turns: number } {
  const seen = { calls: 0, turns: 0 };
  const runTurns = backend.runTurns.bind(backend);
  backend.runTurns = (ring: TurnRing, limit?: number, time?: number) => {
    const r = runTurns(ring, limit, time);
    seen.calls++;
    seen.turns += r.turns;
    return r;
  };
  return seen;
}

function run(
  backend: Backend,
  policy: Scheduler,
  options: { js?: number; maxSwitches?: number } = {},
) {
  const log: string[] = [];
  const rt = new Runtime({ scheduler: policy, record: true });
  const threads = spawnAll(rt, backend, log, options.js);
  const switches: number[] = [];
  if (options.maxSwitches !== undefined) {
    // Stop and go on, again and again: every stop falls somewhere else in the turns.
    for (;;) {
      const r = rt.run({ maxSwitches: options.maxSwitches });
      switches.push(r.switches);
      if (threads.every((t) => t.done)) break;
    }
  } else {
    switches.push(rt.run().switches);
  }
  return {
    log,
    switches,
    schedule: rt.schedule,
    results: threads.map((t) => (t.done ? t.result : undefined)),
  };
}

describe.each(BACKENDS)("on the %s backend", (_, makeBackend) => {
  for (const [policyName, makePolicy] of [
    ["RoundRobin", () => new RoundRobin()],
    ["FIFO", () => new FIFO()],
  ] as [string, () => Scheduler][]) {
    test(`${policyName}: turns run what the loop runs, in order, as the semantics says`, () => {
      const backend = makeBackend();
      const seen = countTurns(backend);
      const fast = run(backend, makePolicy());
      const slow = run(makeBackend(), throughTheLoop(makePolicy()));
      expect(seen.turns).toBeGreaterThan(50);
      expect(fast).toEqual(slow);
      const expectedLog: string[] = [];
      const results = roundRobinReference(expectedLog);
      expect(fast.log).toEqual(expectedLog);
      expect(fast.results).toEqual(results);
    });

    test(`${policyName}: with JavaScript threads between machine threads`, () => {
      const backend = makeBackend();
      const seen = countTurns(backend);
      const fast = run(backend, makePolicy(), { js: 3 });
      const slow = run(makeBackend(), throughTheLoop(makePolicy()), { js: 3 });
      expect(seen.calls).toBeGreaterThan(0);
      expect(fast).toEqual(slow);
    });

    test(`${policyName}: stopped every few switches, the runs count and order the same`, () => {
      for (const maxSwitches of [1, 2, 3, 5, 8, 13, 40]) {
        const fast = run(makeBackend(), makePolicy(), { maxSwitches, js: 2 });
        const slow = run(makeBackend(), throughTheLoop(makePolicy()), { maxSwitches, js: 2 });
        expect(fast).toEqual(slow);
        expect(fast.switches.slice(0, -1).every((n) => n === maxSwitches)).toBe(true);
      }
    });
  }

  test("a recording made with turns replays switch for switch through the loop", () => {
    const recorded = run(makeBackend(), new RoundRobin(), { js: 2 });
    const replayed = run(makeBackend(), new Replay(recorded.schedule!), { js: 2 });
    expect(replayed.log).toEqual(recorded.log);
    expect(replayed.switches).toEqual(recorded.switches);
  });
});

test("a thread stopped at a trap in someone's turns, then cancelled, never makes that host call", () => {
  for (const [, makeBackend] of BACKENDS) {
    const outcomes: string[][] = [];
    for (const policy of [new RoundRobin(), throughTheLoop(new RoundRobin())]) {
      const log: string[] = [];
      const rt = new Runtime({ scheduler: policy });
      const spin = parseProgram("loop:\n  yield 1\n  jmp loop");
      const caller = parseProgram(
        "  yield 1\n  yield 2\n  mov r1, 5\n  hostcall log(r1) -> r1\n  exit r1",
      );
      const backend = makeBackend();
      const a = spawnMachine(rt, spin, { backend });
      const b = spawnMachine(rt, caller, { backend, hostcalls: hostcall(log, "b") });
      // a b a b a | b: b's host call is the 6th switch; stop after 5.
      expect(rt.run({ maxSwitches: 5 }).switches).toBe(5);
      b.cancel();
      a.cancel();
      rt.run();
      outcomes.push([...log, b.outcome!.kind, a.outcome!.kind]);
    }
    expect(outcomes[0]).toEqual(["cancelled", "cancelled"]);
    expect(outcomes[0]).toEqual(outcomes[1]);
  }
});

test("under runAsync, a timer fires while machine threads take turns forever", async () => {
  for (const [, makeBackend] of BACKENDS) {
    const backend = makeBackend();
    const seen = countTurns(backend);
    const rt = new Runtime();
    const spin = parseProgram("loop:\n  yield 1\n  jmp loop");
    const threads = Array.from({ length: 4 }, () => spawnMachine(rt, spin, { backend }));
    let fired = false;
    setTimeout(() => {
      fired = true;
      for (const t of threads) t.cancel();
    }, 20);
    await rt.runAsync({ sliceMs: 2 });
    expect(fired).toBe(true);
    expect(threads.every((t) => t.outcome?.kind === "cancelled")).toBe(true);
    expect(seen.turns).toBeGreaterThan(0);
  }
});
