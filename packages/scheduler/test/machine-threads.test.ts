/**
 * Machine threads in the runtime: thread programs on both backends, mixed
 * with JavaScript threads under every policy, preempted by their budget,
 * ending alone when they fault, and giving their stacks back.
 */
import { FIBER_HOSTCALLS, fiberProgramSource } from "@greenthreads/isa";
import { type Backend, loadBackend } from "@greenthreads/switch";
import { describe, expect, test } from "vitest";
import {
  FIFO,
  PCT,
  Priority,
  Random,
  Replay,
  RoundRobin,
  RunFailedError,
  Runtime,
  type Scheduler,
  SchedulerError,
  Stride,
} from "../src/index.js";
import { MachineFaultError, spawnMachine } from "../src/machine/index.js";

const native = loadBackend({ prefer: "native" });
const backends: [string, () => Backend][] = [
  ["emulated x86_64-sysv", () => loadBackend({ prefer: "emulated", abi: "x86_64-sysv" })],
  ["emulated aarch64-aapcs64", () => loadBackend({ prefer: "emulated", abi: "aarch64-aapcs64" })],
];
if (native.kind === "native") backends.unshift(["native", () => loadBackend({ prefer: "native" })]);

const policies: [string, () => Scheduler][] = [
  ["RoundRobin", () => new RoundRobin()],
  ["FIFO", () => new FIFO()],
  ["Priority", () => new Priority()],
  ["Stride", () => new Stride()],
  ["Random", () => new Random({ seed: 7 })],
  ["PCT", () => new PCT({ seed: 7, depth: 2, steps: 100 })],
];

/** The book's transcript for threads counting to `counts`, interleaved round robin. */
function bookTranscript(counts: number[]): string[] {
  const lines: string[] = [];
  const ids = counts.map((_, i) => i + 1);
  for (const id of ids) lines.push(`THREAD ${id} STARTING`, `thread: ${id} counter: 0`);
  for (let step = 1; ; step++) {
    let any = false;
    for (const [i, id] of ids.entries()) {
      if (step < counts[i]!) {
        lines.push(`thread: ${id} counter: ${step}`);
        any = true;
      } else if (step === counts[i]!) {
        lines.push(`THREAD ${id} FINISHED`);
        any = true;
      }
    }
    if (!any) break;
  }
  return lines;
}

describe.each(backends)("machine threads on the %s backend", (_, makeBackend) => {
  test("the book's fibers as thread programs print the book's transcript under RoundRobin", () => {
    const backend = makeBackend();
    const lines: string[] = [];
    const hostcalls = {
      started: (id: bigint) => void lines.push(`THREAD ${id} STARTING`),
      print: (id: bigint, i: bigint) => void lines.push(`thread: ${id} counter: ${i}`),
      finished: (id: bigint) => void lines.push(`THREAD ${id} FINISHED`),
    };
    expect(Object.keys(hostcalls)).toEqual([...FIBER_HOSTCALLS]);
    const rt = new Runtime({ scheduler: new RoundRobin() });
    const t1 = spawnMachine(rt, fiberProgramSource(1, 10), { backend, hostcalls });
    const t2 = spawnMachine(rt, fiberProgramSource(2, 15), { backend, hostcalls });
    rt.run();
    expect(lines).toEqual(bookTranscript([10, 15]));
    expect([t1.result, t2.result]).toEqual([0n, 0n]);
    expect(backend.stacks.stats().live).toBe(0);
  });

  test.each(policies)("JavaScript and machine threads together under %s", (_, policy) => {
    const backend = makeBackend();
    const rt = new Runtime({ scheduler: policy() });
    const seen: string[] = [];
    const machines = [3, 5].map((n, k) =>
      spawnMachine(
        rt,
        `
          mov r0, 0
        loop:
          hostcall tick(r0)
          yield r0
          add r0, r0, 1
          blt r0, ${n}, loop
          exit r0`,
        { backend, name: `m${k}`, hostcalls: { tick: (i) => void seen.push(`m${k}:${i}`) } },
      ),
    );
    const scripts = [2, 4].map((n, k) =>
      rt.spawn(
        function* () {
          for (let i = 0; i < n; i++) {
            seen.push(`j${k}:${i}`);
            yield;
          }
          return n * 10;
        },
        { name: `j${k}` },
      ),
    );
    const summary = rt.run();
    expect(machines.map((t) => t.result)).toEqual([3n, 5n]);
    expect(scripts.map((t) => t.result)).toEqual([20, 40]);
    expect(summary.threads).toBe(4);
    // Each thread's own steps stay in order, whatever the interleaving.
    for (const prefix of ["m0", "m1", "j0", "j1"]) {
      const own = seen
        .filter((l) => l.startsWith(`${prefix}:`))
        .map((l) => Number(l.split(":")[1]));
      expect(own).toEqual([...own.keys()]);
    }
    expect(seen).toHaveLength(3 + 5 + 2 + 4);
    expect(backend.stacks.stats().live).toBe(0);
  });

  test("a budget preempts a machine thread that never yields, so others run meanwhile", () => {
    const backend = makeBackend();
    const rt = new Runtime({ scheduler: new RoundRobin() });
    const order: string[] = [];
    const busy = spawnMachine(
      rt,
      `
        mov r0, 0
      spin:
        add r0, r0, 1
        blt r0, 300, spin
        hostcall done(r0)
        exit r0`,
      { backend, budget: 100, hostcalls: { done: () => void order.push("busy done") } },
    );
    rt.spawn(function* () {
      for (let i = 0; i < 3; i++) {
        order.push(`js ${i}`);
        yield;
      }
    });
    const summary = rt.run();
    expect(busy.result).toBe(300n);
    // 2 setup + 600 loop + 2 tail instructions at 100 a slice: the JavaScript thread ran in between.
    expect(order).toEqual(["js 0", "js 1", "js 2", "busy done"]);
    expect(summary.switches).toBeGreaterThanOrEqual(7);
  });

  test("a fault ends that thread alone, with the fault as its outcome, and frees its stack", () => {
    const backend = makeBackend();
    const rt = new Runtime();
    const bad = spawnMachine(rt, "loop:\n  push r0\n  jmp loop", {
      backend,
      name: "bad",
      stackSize: 16384,
    });
    const good = rt.spawn(function* () {
      yield;
      return "fine";
    });
    expect(() => rt.run()).toThrow(RunFailedError);
    expect(good.result).toBe("fine");
    expect(bad.outcome?.kind).toBe("threw");
    const error = bad.outcome?.kind === "threw" ? bad.outcome.error : undefined;
    expect(error).toBeInstanceOf(MachineFaultError);
    expect((error as MachineFaultError).fault).toBe("stack-overflow");
    expect((error as MachineFaultError).line).toBe(2);
    expect(backend.stacks.stats().live).toBe(0);
  });

  test("host calls answer the program; onYield answers yields", () => {
    const backend = makeBackend();
    const rt = new Runtime();
    const yields: bigint[] = [];
    const t = spawnMachine(
      rt,
      `
        mov r0, 20
        mov r1, 22
        hostcall add(r0, r1) -> r2
        yield r2 -> r3
        exit r3`,
      {
        backend,
        hostcalls: { add: (a, b) => a + b },
        onYield: (v) => {
          yields.push(v);
          return v * 2n;
        },
      },
    );
    rt.run();
    expect(yields).toEqual([42n]);
    expect(t.result).toBe(84n);
  });

  test("a host call that returns a promise parks the thread under runAsync", async () => {
    const backend = makeBackend();
    const rt = new Runtime();
    const t = spawnMachine(rt, "hostcall fetch() -> r0\nexit r0", {
      backend,
      hostcalls: {
        fetch: () => new Promise<bigint>((resolve) => setTimeout(() => resolve(9n), 5)),
      },
    });
    await rt.runAsync({ sliceMs: 1 });
    expect(t.result).toBe(9n);
  });

  test("a host call that throws ends the thread with that error; cancel frees the stack", () => {
    const backend = makeBackend();
    const rt = new Runtime();
    const boom = new Error("boom");
    const t = spawnMachine(rt, "hostcall explode()\nexit 0", {
      backend,
      hostcalls: {
        explode: () => {
          throw boom;
        },
      },
    });
    const spinner = spawnMachine(rt, "loop:\n  yield 0\n  jmp loop", { backend });
    rt.spawn(function* () {
      yield;
      spinner.cancel();
    });
    expect(() => rt.run()).toThrow(RunFailedError);
    expect(t.outcome).toEqual({ kind: "threw", error: boom });
    expect(spinner.outcome?.kind).toBe("cancelled");
    expect(backend.stacks.stats().live).toBe(0);
  });
});

test("a recorded run with machine threads replays switch for switch", () => {
  const backend = loadBackend({ prefer: "emulated", abi: "riscv64-lp64d" });
  const make = (scheduler: Scheduler, trace: string[]) => {
    const rt = new Runtime({ scheduler, record: true });
    for (const k of [0, 1]) {
      spawnMachine(
        rt,
        "mov r0, 0\nl:\n  hostcall t(r0)\n  add r0, r0, 1\n  blt r0, 4, l\n  exit 0",
        {
          backend,
          budget: 3,
          hostcalls: { t: (i) => void trace.push(`m${k}:${i}`) },
        },
      );
    }
    rt.spawn(function* () {
      for (let i = 0; i < 4; i++) {
        trace.push(`j:${i}`);
        yield;
      }
    });
    return rt.run();
  };
  const first: string[] = [];
  const summary = make(new Random({ seed: 99 }), first);
  const again: string[] = [];
  make(new Replay(summary.schedule!), again);
  expect(again).toEqual(first);
});

test("bad machine-thread input is a SchedulerError that says what is wrong", () => {
  const rt = new Runtime();
  const backend = loadBackend({ prefer: "emulated", abi: "x86_64-sysv" });
  expect(() => spawnMachine(rt, "hostcall nope()\nexit 0", { backend })).toThrow(
    /the program is not valid: .*unknown host call/,
  );
  expect(() => spawnMachine(rt, "bogus r9", { backend })).toThrow(SchedulerError);
  expect(() => spawnMachine(rt, "exit 0", { backend, budget: 0 })).toThrow(
    /budget must be a whole number of instructions from 1 to 2\^64 - 1/,
  );
  expect(() =>
    spawnMachine(rt, "exit 0", { backend, hostcalls: { f: 5 as unknown as () => void } }),
  ).toThrow(/host call "f" must be a function/);
  expect(backend.stacks.stats().live).toBe(0);
});
