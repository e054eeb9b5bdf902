import { describe, expect, test } from "vitest";
import {
  Channel,
  ExploreFailure,
  explore,
  Mutex,
  Replay,
  Runtime,
  SchedulerError,
} from "../src/index.js";

/** Two threads: read the counter, yield, write it back plus one. */
function lostUpdate(rt: Runtime) {
  const shared = { counter: 0 };
  for (let i = 0; i < 2; i++) {
    rt.spawn(function* () {
      const v = shared.counter;
      yield;
      shared.counter = v + 1;
    });
  }
  return () => {
    if (shared.counter !== 2) throw new Error(`lost update: counter is ${shared.counter}`);
  };
}

function binomial(n: number, k: number): number {
  let r = 1;
  for (let i = 1; i <= k; i++) r = (r * (n - k + i)) / i;
  return r;
}

function multinomial(parts: number[]): number {
  let n = 0;
  let r = 1;
  for (const p of parts) {
    n += p;
    r *= binomial(n, p);
  }
  return r;
}

describe("explore: random and pct find a lost update", () => {
  test("random finds it within 10 runs (each run finds it with probability 1/2)", () => {
    const r = explore(lostUpdate, { strategy: "random", runs: 10, seed: 1 });
    expect(r.ok).toBe(false);
    expect(r.runs).toBeLessThanOrEqual(10);
    const f = r.failure!;
    expect(f).toBeInstanceOf(ExploreFailure);
    expect(f).toBeInstanceOf(SchedulerError);
    expect(f.strategy).toBe("random");
    expect(f.seed).toBe(1 + f.run);
    expect(f.message).toContain("lost update: counter is 1");
    expect(f.message).toContain(`new Replay(${JSON.stringify(f.schedule)})`);
    expect(f.message).toContain(`new Random({ seed: ${f.seed} })`);
    // The reported schedule reproduces it.
    const rt = new Runtime({ scheduler: new Replay(f.schedule) });
    const check = lostUpdate(rt);
    rt.run();
    expect(check).toThrow(/lost update/);
  });

  test("pct (depth 2) finds it within 30 runs (guarantee >= 1/(n k) = 1/8 per run once k is learned)", () => {
    const r = explore(lostUpdate, { strategy: "pct", runs: 30, seed: 1, depth: 2 });
    expect(r.ok).toBe(false);
    expect(r.failure!.strategy).toBe("pct");
    expect(r.failure!.steps).toBeGreaterThan(0);
    expect(r.failure!.message).toContain("new PCT({ seed: ");
  });

  test("pct with depth 1 never finds it: the bug needs one preemption", () => {
    const r = explore(lostUpdate, { strategy: "pct", runs: 50, depth: 1 });
    expect(r.ok).toBe(true);
    expect(r.runs).toBe(50);
  });

  test("a correct body passes every run; a lock fixes the lost update", () => {
    const fixed = (rt: Runtime) => {
      const shared = { counter: 0 };
      const m = new Mutex();
      for (let i = 0; i < 2; i++) {
        rt.spawn(function* () {
          yield* m.lock();
          const v = shared.counter;
          yield;
          shared.counter = v + 1;
          m.unlock();
        });
      }
      return () => expect(shared.counter).toBe(2);
    };
    expect(explore(fixed, { strategy: "random", runs: 200 }).ok).toBe(true);
    expect(explore(fixed, { strategy: "pct", runs: 200 }).ok).toBe(true);
    expect(explore(fixed, { strategy: "dfs" })).toMatchObject({ ok: true, exhausted: true });
  });
});

describe("explore: dfs", () => {
  /** Threads yielding a, b, ... times: each runs in (yields + 1) segments. */
  const yielders = (counts: number[]) => (rt: Runtime) => {
    for (const n of counts) {
      rt.spawn(function* () {
        for (let i = 0; i < n; i++) yield;
      });
    }
  };

  test("counts exactly the interleavings: C(a+b+2, a+1) for two threads", () => {
    // A thread with y yields runs as y + 1 uninterrupted segments; a schedule
    // is an interleaving of the segment sequences.
    for (const [a, b] of [
      [0, 0],
      [1, 1],
      [2, 1],
      [2, 3],
      [4, 4],
    ] as const) {
      const r = explore(yielders([a, b]), { strategy: "dfs", runs: 100_000 });
      expect(r).toMatchObject({ ok: true, exhausted: true });
      expect(r.runs).toBe(binomial(a + b + 2, a + 1));
    }
  });

  test("three threads: the multinomial (sum (y+1))! / prod (y+1)!", () => {
    for (const counts of [
      [1, 1, 1],
      [0, 1, 2],
    ]) {
      const r = explore(yielders(counts), { strategy: "dfs", runs: 100_000 });
      expect(r.exhausted).toBe(true);
      expect(r.runs).toBe(multinomial(counts.map((c) => c + 1)));
    }
    expect(multinomial([2, 2, 2])).toBe(90);
  });

  test("every schedule it runs is distinct", () => {
    const seen = new Set<string>();
    const r = explore(
      (rt) => {
        yielders([2, 2])(rt);
        return () => {
          seen.add(rt.schedule!);
        };
      },
      { strategy: "dfs" },
    );
    expect(seen.size).toBe(r.runs);
    expect(r.runs).toBe(20);
  });

  test("blocked threads are not choices", () => {
    // A rendezvous forces part of the order.
    const r = explore(
      (rt) => {
        const ch = new Channel<number>(0);
        rt.spawn(function* () {
          yield* ch.send(1);
        });
        rt.spawn(function* () {
          yield* ch.recv();
        });
      },
      { strategy: "dfs" },
    );
    expect(r).toMatchObject({ ok: true, exhausted: true, runs: 2 });
  });

  test("finds the lost update and reports a schedule that replays it", () => {
    const r = explore(lostUpdate, { strategy: "dfs" });
    expect(r.ok).toBe(false);
    const f = r.failure!;
    expect(f.seed).toBeUndefined();
    const rt = new Runtime({ scheduler: new Replay(f.schedule) });
    const check = lostUpdate(rt);
    rt.run();
    expect(check).toThrow(/lost update/);
  });

  test("runs bounds the search; maxDecisions bounds the branching", () => {
    const r = explore(yielders([4, 4]), { strategy: "dfs", runs: 10 });
    expect(r).toMatchObject({ ok: true, exhausted: false, runs: 10 });
    // Only the first 2 decisions branch: at most 2 * 2 schedules.
    const b = explore(yielders([4, 4]), { strategy: "dfs", maxDecisions: 2 });
    expect(b).toMatchObject({ exhausted: true, runs: 4 });
  });
});

describe("explore: failures of every kind, and bad options", () => {
  test("a deadlock, a thread failure, a body failure, a livelock", () => {
    const deadlock = explore(
      (rt) => {
        const a = new Mutex({ name: "a" });
        const b = new Mutex({ name: "b" });
        rt.spawn(function* () {
          yield* a.lock();
          yield;
          yield* b.lock();
        });
        rt.spawn(function* () {
          yield* b.lock();
          yield;
          yield* a.lock();
        });
      },
      { strategy: "dfs" },
    );
    expect(deadlock.failure?.message).toMatch(/deadlock: nothing can run/);

    const thrown = explore(
      (rt) => {
        rt.spawn(function* () {
          throw new Error("thread broke");
        });
      },
      { runs: 3 },
    );
    expect(thrown).toMatchObject({ ok: false, runs: 1 });
    expect(thrown.failure?.message).toMatch(/thread #1: Error: thread broke/);

    const body = explore(() => {
      throw new Error("body broke");
    });
    expect(body.failure?.error).toEqual(new Error("body broke"));

    const livelock = explore(
      (rt) => {
        rt.spawn(function* () {
          for (;;) yield;
        });
      },
      { runs: 1, maxSwitches: 1000 },
    );
    expect(livelock.failure?.message).toMatch(/still running after 1000 switches/);
  });

  test("the body may run the runtime itself", () => {
    let runs = 0;
    const r = explore(
      (rt) => {
        rt.spawn(function* () {
          yield;
        });
        rt.spawn(function* () {
          yield;
        });
        rt.run();
        runs++;
      },
      { strategy: "dfs" },
    );
    expect(r.runs).toBe(6);
    expect(runs).toBe(6);
  });

  test("bad options", () => {
    expect(() => explore(5 as never)).toThrow(/body must be a function/);
    expect(() => explore(() => {}, { strategy: "bfs" as never })).toThrow(
      /strategy must be "random", "pct" or "dfs", got "bfs"/,
    );
    expect(() => explore(() => {}, { runs: 0 })).toThrow(/runs must be an integer >= 1, got 0/);
    expect(() => explore(() => {}, { depth: 0 })).toThrow(/depth must be an integer >= 1/);
    expect(() => explore(() => {}, { seed: 0.5 })).toThrow(/seed must be a safe integer/);
  });
});
