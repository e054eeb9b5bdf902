/**
 * Loaded programs and machine threads over time: one loaded program per
 * text (bounded, unloaded when evicted), and the default budget that keeps
 * an endless machine thread from holding the event loop under runAsync().
 */
import { type Backend, type LoadedProgram, loadBackend } from "@greenthreads/switch";
import { describe, expect, test } from "vitest";
import { Runtime } from "../src/index.js";
import {
  cachedPrograms,
  DEFAULT_BUDGET,
  PROGRAM_CACHE_SIZE,
  spawnMachine,
} from "../src/machine/index.js";

const native = loadBackend({ prefer: "native" });
const backends: [string, () => Backend][] = [
  ["emulated", () => loadBackend({ prefer: "emulated", abi: "x86_64-sysv" })],
];
if (native.kind === "native") backends.unshift(["native", () => loadBackend({ prefer: "native" })]);

/** Counts the backend's loads (with their fuel option) and unloads. */
function watch(backend: Backend) {
  const loads: boolean[] = [];
  const loaded: LoadedProgram[] = [];
  const unloaded: LoadedProgram[] = [];
  const load = backend.load.bind(backend);
  const b = backend as Backend & { unload?: (p: LoadedProgram) => void };
  const unload = b.unload?.bind(backend);
  Object.assign(backend, {
    load: (...args: Parameters<Backend["load"]>) => {
      loads.push(args[1]?.fuel === true);
      const made = load(...args);
      loaded.push(made);
      return made;
    },
    unload: (p: LoadedProgram) => {
      unloaded.push(p);
      unload?.(p);
    },
  });
  return { loads, loaded, unloaded };
}

describe.each(backends)("on the %s backend", (_, makeBackend) => {
  test("the same text reuses one loaded program; fuel and host call names make another", () => {
    const backend = makeBackend();
    const seen = watch(backend);
    const rt = new Runtime();
    const text = "hostcall tick()\nexit 3";
    const threads = [];
    for (let i = 0; i < 20; i++) {
      threads.push(spawnMachine(rt, text, { backend, hostcalls: { tick: () => {} } }));
    }
    threads.push(spawnMachine(rt, text, { backend, budget: 50, hostcalls: { tick: () => {} } }));
    threads.push(
      spawnMachine(rt, text, {
        backend,
        budget: Number.POSITIVE_INFINITY,
        hostcalls: { tick: () => {} },
      }),
    );
    threads.push(spawnMachine(rt, "exit 3", { backend }));
    rt.run();
    expect(threads.map((t) => t.result)).toEqual(threads.map(() => 3n));
    // Default budget (fuel), its own budget (fuel, same program), Infinity (no fuel), another text.
    expect(seen.loads).toEqual([true, false, true]);
    expect(cachedPrograms(backend)).toBe(3);
    expect(seen.unloaded).toEqual([]);
  });

  test(`at most ${PROGRAM_CACHE_SIZE} programs from text stay loaded; the oldest is unloaded, its threads still finish`, () => {
    const backend = makeBackend();
    const seen = watch(backend);
    const rt = new Runtime();
    // A backend may be shared by the whole process (the native one is): count from here.
    const before = cachedPrograms(backend);
    const early = spawnMachine(rt, "yield 1\nexit 0", { backend });
    rt.run({ maxSwitches: 1 }); // it is at its yield, running a program about to be evicted
    const extra = 5;
    for (let i = 0; i < PROGRAM_CACHE_SIZE + extra; i++) {
      spawnMachine(rt, `exit ${1_000_000 + i}`, { backend });
    }
    expect(cachedPrograms(backend)).toBe(PROGRAM_CACHE_SIZE);
    expect(seen.loads.length).toBe(PROGRAM_CACHE_SIZE + extra + 1);
    expect(seen.unloaded.length).toBe(before + extra + 1);
    expect(seen.unloaded).toContain(seen.loaded[0]); // the early thread's program
    expect(seen.unloaded).not.toContain(seen.loaded.at(-1));
    const summary = rt.run();
    expect(early.result).toBe(0n);
    expect(summary.returned).toBe(PROGRAM_CACHE_SIZE + extra + 1);
    expect(backend.stacks.stats().live).toBe(0);
  });

  test("a machine thread without a budget is not preempted under run()", () => {
    const backend = makeBackend();
    const rt = new Runtime();
    const order: string[] = [];
    const iterations = 3 * DEFAULT_BUDGET[backend.kind]!; // six default budgets of instructions
    spawnMachine(
      rt,
      `mov r0, 0\nloop:\nadd r0, r0, 1\nblt r0, ${iterations}, loop\nhostcall done()\nexit r0`,
      { backend, hostcalls: { done: () => void order.push("machine done") } },
    );
    rt.spawn(function* () {
      order.push("js step");
    });
    rt.run();
    expect(order).toEqual(["machine done", "js step"]);
  });

  test("under runAsync() an endless machine thread without a budget lets a timer fire", async () => {
    const backend = makeBackend();
    const rt = new Runtime();
    let timerFired = false;
    let jsSteps = 0;
    const started = Date.now();
    // Loops until the timer has fired (or 5 s have passed, so that a broken
    // build fails here instead of hanging).
    const machine = spawnMachine(rt, "loop:\nhostcall stop() -> r1\nbeq r1, 0, loop\nexit 0", {
      backend,
      hostcalls: { stop: () => (timerFired || Date.now() - started > 5000 ? 1 : 0) },
    });
    rt.spawn(function* () {
      while (!machine.done) {
        jsSteps++;
        yield;
      }
    });
    const timer = setTimeout(() => {
      timerFired = true;
    }, 5);
    await rt.runAsync({ sliceMs: 5 });
    clearTimeout(timer);
    expect(timerFired).toBe(true);
    expect(Date.now() - started).toBeLessThan(5000);
    expect(jsSteps).toBeGreaterThan(0); // the JavaScript thread ran while the machine did
  });
});
