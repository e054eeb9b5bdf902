import { describe, expect, test } from "vitest";
import {
  Channel,
  FIFO,
  join,
  Mutex,
  PCT,
  Priority,
  Random,
  Replay,
  RoundRobin,
  Runtime,
  type Scheduler,
  SchedulerError,
  Stride,
  type Thread,
  Xoshiro128,
} from "../src/index.js";

/** Runs `threads` yielding `steps` times each; returns the order of resumptions by name. */
function yieldOrder(
  scheduler: Scheduler,
  spec: { name: string; steps: number; priority?: number; tickets?: number }[],
): string[] {
  const rt = new Runtime({ scheduler });
  const log: string[] = [];
  for (const s of spec) {
    rt.spawn(
      function* () {
        for (let i = 0; i < s.steps; i++) {
          log.push(s.name);
          yield;
        }
        log.push(s.name);
      },
      { name: s.name, priority: s.priority, tickets: s.tickets },
    );
  }
  rt.run();
  return log;
}

/**
 * The book's Runtime::t_yield as a model: a table of slots, reused lowest
 * first; scan from the slot after the current one, wrapping, for a ready one.
 */
class BookScan implements Scheduler {
  readonly name = "book-scan";
  private table: (Thread | undefined)[] = [];
  private ready: boolean[] = [];
  private slotOf = new Map<Thread, number>();
  private current = -1;
  onSpawn(t: Thread) {
    let slot = this.table.indexOf(undefined);
    if (slot < 0) slot = this.table.length;
    this.table[slot] = t;
    this.ready[slot] = true;
    this.slotOf.set(t, slot);
  }
  onYield(t: Thread) {
    this.ready[this.slotOf.get(t)!] = true;
  }
  onWake(t: Thread) {
    this.ready[this.slotOf.get(t)!] = true;
  }
  onBlock() {}
  onExit(t: Thread) {
    this.table[this.slotOf.get(t)!] = undefined;
  }
  pick() {
    const n = this.table.length;
    for (let k = 1; k <= n; k++) {
      const pos = (this.current + k) % n;
      if (this.ready[pos] && this.table[pos]) {
        this.ready[pos] = false;
        this.current = pos;
        return this.table[pos];
      }
    }
    return undefined;
  }
}

/**
 * A deterministic random workload with yields, mutexes (block/wake), joins,
 * channels and spawns during the run (slot reuse). Each thread draws from its
 * own PRNG, so its behaviour depends only on its own progress.
 */
function workload(rt: Runtime, seed: number, log: string[]): void {
  const mutexes = [new Mutex(), new Mutex()];
  const ch = new Channel<number>(1);
  const threads: Thread[] = [];
  let spawned = 0;
  const spawnOne = (depth: number) => {
    const me = spawned++;
    const rng = new Xoshiro128(seed * 1000 + me);
    const t = rt.spawn(function* () {
      const steps = 2 + rng.nextInt(8);
      for (let i = 0; i < steps; i++) {
        log.push(`${me}:${i}`);
        const op = rng.nextInt(10);
        if (op < 5) yield;
        else if (op < 7) {
          const m = mutexes[rng.nextInt(2)]!;
          yield* m.lock();
          yield;
          m.unlock();
        } else if (op === 7 && depth < 2 && spawned < 40) {
          spawnOne(depth + 1);
        } else if (op === 8 && me > 0) {
          const target = threads[rng.nextInt(me)]!;
          yield* join(target);
        } else if (ch.size === 0) {
          yield* ch.send(me);
        } else {
          yield* ch.recv();
        }
      }
    });
    threads.push(t);
  };
  for (let i = 0; i < 6; i++) spawnOne(0);
}

describe("RoundRobin", () => {
  test("is the default and alternates like the book", () => {
    const rt = new Runtime();
    expect(rt.scheduler).toBeInstanceOf(RoundRobin);
    expect(
      yieldOrder(new RoundRobin(), [
        { name: "a", steps: 2 },
        { name: "b", steps: 3 },
        { name: "c", steps: 1 },
      ]).join(""),
    ).toBe("abcabcabb");
  });

  test("a woken thread runs when the scan reaches its slot (FIFO queues it at the back)", () => {
    // a (slot 0) waits on a channel; b and c (slots 1, 2) yield; b sends,
    // waking a. From the cursor at b, the book's scan goes c, then a.
    // FIFO has a at the back behind b... and c, in arrival order.
    const run = (scheduler: Scheduler) => {
      const rt = new Runtime({ scheduler });
      const ch = new Channel<number>(1);
      const log: string[] = [];
      rt.spawn(function* () {
        log.push("a-wait");
        yield* ch.recv();
        log.push("a-woke");
        yield;
        log.push("a-end");
      });
      rt.spawn(function* () {
        log.push("b1");
        yield;
        log.push("b2-send");
        yield* ch.send(1);
        yield;
        log.push("b3");
        yield;
        log.push("b4");
      });
      rt.spawn(function* () {
        for (let i = 1; i <= 4; i++) {
          log.push(`c${i}`);
          yield;
        }
      });
      rt.run();
      return log.join(" ");
    };
    expect(run(new RoundRobin())).toBe("a-wait b1 c1 b2-send c2 a-woke b3 c3 a-end b4 c4");
    expect(run(new FIFO())).toBe("a-wait b1 c1 b2-send c2 a-woke b3 c3 a-end b4 c4");
    expect(run(new BookScan())).toBe(run(new RoundRobin()));
  });

  test("differs from FIFO when a low slot wakes: it runs before higher slots", () => {
    const run = (scheduler: Scheduler) => {
      const rt = new Runtime({ scheduler });
      const m = new Mutex();
      const log: string[] = [];
      rt.spawn(function* () {
        yield* m.lock();
        log.push("a-locked");
        yield;
        yield;
        m.unlock(); // hands m to c (slot 2), which is woken
        log.push("a-unlocked");
        yield;
        log.push("a-end");
      });
      rt.spawn(function* () {
        for (let i = 1; i <= 4; i++) {
          log.push(`b${i}`);
          yield;
        }
      });
      rt.spawn(function* () {
        log.push("c-wait");
        yield* m.lock();
        log.push("c-locked");
        m.unlock();
      });
      rt.spawn(function* () {
        for (let i = 1; i <= 4; i++) {
          log.push(`d${i}`);
          yield;
        }
      });
      rt.run();
      return log.join(" ");
    };
    const rr = run(new RoundRobin());
    expect(rr).toBe(run(new BookScan()));
    // After a unlocks (cursor at slot 0), the scan meets b, then c (woken), then d.
    expect(rr).toBe("a-locked b1 c-wait d1 b2 d2 a-unlocked b3 c-locked d3 a-end b4 d4");
    // FIFO: c queues behind b and d, which were already ready.
    expect(run(new FIFO())).toBe(
      "a-locked b1 c-wait d1 b2 d2 a-unlocked b3 d3 c-locked a-end b4 d4",
    );
  });

  test("matches the book's slot scan on random workloads with blocking, joins and slot reuse", () => {
    for (let seed = 0; seed < 40; seed++) {
      const logs: string[][] = [];
      const schedules: (string | undefined)[] = [];
      for (const scheduler of [new RoundRobin(), new BookScan()]) {
        const rt = new Runtime({ scheduler, record: true });
        const log: string[] = [];
        workload(rt, seed, log);
        try {
          rt.run();
        } catch {
          // deadlocks are part of the workload; both must agree on them too
        }
        logs.push(log);
        schedules.push(rt.schedule);
      }
      expect(logs[0]).toEqual(logs[1]);
      expect(schedules[0]).toBe(schedules[1]);
    }
  });

  test("scales past 32 and 1024 slots (bitset words and summary)", () => {
    for (const n of [33, 1100]) {
      const rt = new Runtime();
      const order: number[] = [];
      for (let i = 0; i < n; i++) {
        rt.spawn(function* () {
          order.push(i);
          yield;
          order.push(i);
        });
      }
      rt.run();
      const once = Array.from({ length: n }, (_, i) => i);
      expect(order).toEqual([...once, ...once]);
    }
  });
});

describe("FIFO", () => {
  test("round robin in order of becoming ready", () => {
    expect(
      yieldOrder(new FIFO(), [
        { name: "a", steps: 2 },
        { name: "b", steps: 1 },
      ]).join(""),
    ).toBe("ababa");
  });
});

describe("Priority", () => {
  test("strict: the highest priority runs until it finishes; ties round robin", () => {
    const order = yieldOrder(new Priority({ aging: Number.POSITIVE_INFINITY }), [
      { name: "lo", steps: 2, priority: 0 },
      { name: "hi1", steps: 2, priority: 5 },
      { name: "hi2", steps: 2, priority: 5 },
      { name: "mid", steps: 1, priority: 2 },
    ]);
    expect(order.join(" ")).toBe("hi1 hi2 hi1 hi2 hi1 hi2 mid mid lo lo lo");
  });

  test("aging prevents starvation: a low-priority thread runs within its bound", () => {
    const run = (aging: number) => {
      const rt = new Runtime({ scheduler: new Priority({ aging }) });
      let decisions = 0;
      let firstLow = -1;
      rt.spawn(
        function* () {
          for (let i = 0; i < 5000; i++) {
            decisions++;
            yield;
          }
        },
        { priority: 10, name: "busy" },
      );
      rt.spawn(
        function* () {
          decisions++;
          firstLow = decisions;
        },
        { priority: 0, name: "low" },
      );
      rt.run();
      return firstLow;
    };
    // Documented bound: (P - p) * aging + ready threads = 10 * 50 + 2 decisions.
    const withAging = run(50);
    expect(withAging).toBeGreaterThan(1);
    expect(withAging).toBeLessThanOrEqual(10 * 50 + 2);
    // Without aging the low thread waits until busy is done.
    expect(run(Number.POSITIVE_INFINITY)).toBe(5001);
  });

  test("with aging, every ready thread keeps running under a stream of high-priority work", () => {
    const rt = new Runtime({ scheduler: new Priority({ aging: 10 }) });
    const runs = [0, 0, 0];
    for (const p of [0, 3, 6]) {
      rt.spawn(
        function* () {
          for (;;) {
            runs[p / 3]!++;
            yield;
          }
        },
        { priority: p },
      );
    }
    rt.run({ maxSwitches: 3000 });
    expect(Math.min(...runs)).toBeGreaterThan(0);
    expect(runs[2]).toBeGreaterThan(runs[0]!);
  });

  test("bad options", () => {
    expect(() => new Priority({ aging: 0 })).toThrow(SchedulerError);
    expect(() => new Priority({ aging: -1 })).toThrow(/aging must be a positive number/);
  });
});

describe("Stride", () => {
  test("shares within 2% of the tickets over 10,000 decisions", () => {
    const rt = new Runtime({ scheduler: new Stride() });
    const tickets = [100, 200, 300, 400];
    const counts = [0, 0, 0, 0];
    tickets.forEach((n, i) => {
      rt.spawn(
        function* () {
          for (;;) {
            counts[i]!++;
            yield;
          }
        },
        { tickets: n },
      );
    });
    rt.run({ maxSwitches: 10_000 });
    const total = tickets.reduce((a, b) => a + b, 0);
    tickets.forEach((n, i) => {
      const want = (n / total) * 10_000;
      expect(Math.abs(counts[i]! - want) / want).toBeLessThan(0.02);
    });
  });

  test("a thread that slept earns no credit", () => {
    const rt = new Runtime({ scheduler: new Stride() });
    const ch = new Channel<number>();
    const counts = { a: 0, b: 0 };
    rt.spawn(function* () {
      yield* ch.recv(); // blocked for the first 1000 decisions
      for (;;) {
        counts.a++;
        yield;
      }
    });
    rt.spawn(function* () {
      for (let i = 0; ; i++) {
        if (i === 1000) yield* ch.send(1);
        counts.b++;
        yield;
      }
    });
    rt.run({ maxSwitches: 3001 });
    // After the wake, equal tickets share equally: a did not catch up.
    expect(counts.a).toBeGreaterThan(950);
    expect(counts.a).toBeLessThan(1050);
  });
});

describe("Random", () => {
  test("is deterministic per seed and differs across seeds", () => {
    const spec = [
      { name: "a", steps: 10 },
      { name: "b", steps: 10 },
      { name: "c", steps: 10 },
    ];
    const o1 = yieldOrder(new Random({ seed: 1 }), spec).join("");
    expect(yieldOrder(new Random({ seed: 1 }), spec).join("")).toBe(o1);
    expect(yieldOrder(new Random({ seed: 2 }), spec).join("")).not.toBe(o1);
    expect(yieldOrder(new Random({ seed: 1n }), spec).join("")).toBe(o1);
    expect(() => new Random({ seed: 1.5 })).toThrow(/seed must be a safe integer or a bigint/);
  });
});

describe("PCT", () => {
  test("depth 1 runs threads one at a time by random priority", () => {
    const order = yieldOrder(new PCT({ seed: 3, depth: 1 }), [
      { name: "a", steps: 3 },
      { name: "b", steps: 3 },
    ]).join("");
    expect(["aaaabbbb", "bbbbaaaa"]).toContain(order);
  });

  test("change points: d - 1 distinct steps in 1..k, deterministic per seed", () => {
    const p = new PCT({ seed: 9, depth: 4, steps: 50 });
    expect(p.changePoints).toHaveLength(3);
    expect(new Set(p.changePoints).size).toBe(3);
    for (const k of p.changePoints) {
      expect(k).toBeGreaterThanOrEqual(1);
      expect(k).toBeLessThanOrEqual(50);
    }
    expect(new PCT({ seed: 9, depth: 4, steps: 50 }).changePoints).toEqual(p.changePoints);
  });

  test("a change point preempts the running thread", () => {
    // depth 2, steps 1: the only change point is decision 1. The thread on top
    // is demoted to priority 1 before it runs, so the other one runs to the
    // end first, then the demoted one.
    for (let seed = 0; seed < 10; seed++) {
      const rt = new Runtime({ scheduler: new PCT({ seed, depth: 2, steps: 1 }) });
      const log: string[] = [];
      const threads = ["a", "b"].map((name) =>
        rt.spawn(function* () {
          for (let i = 0; i < 3; i++) {
            log.push(name);
            yield;
          }
        }),
      );
      const initial = threads.map((t) => t.sched as number);
      rt.run();
      const top = initial[0]! > initial[1]! ? "a" : "b";
      const other = top === "a" ? "b" : "a";
      expect(log.join("")).toBe(other.repeat(3) + top.repeat(3));
      expect(threads.map((t) => t.sched)).toContain(1);
    }
  });

  test("bad options", () => {
    expect(() => new PCT({ depth: 0 })).toThrow(/depth must be an integer >= 1/);
    expect(() => new PCT({ steps: 0 })).toThrow(/steps must be an integer >= 1/);
  });
});

describe("swapping is one line: same workload under every policy", () => {
  test("every policy runs every thread to completion", () => {
    const policies: Scheduler[] = [
      new RoundRobin(),
      new FIFO(),
      new Priority(),
      new Stride(),
      new Random({ seed: 4 }),
      new PCT({ seed: 4 }),
    ];
    for (const scheduler of policies) {
      const rt = new Runtime({ scheduler, record: true });
      const log: string[] = [];
      workload(rt, 7, log);
      let outcome = "ok";
      try {
        rt.run();
      } catch (e) {
        outcome = (e as Error).name;
      }
      expect(rt.liveThreads, scheduler.name).toBe(0);
      // Replay reproduces each of them exactly.
      const again = new Runtime({ scheduler: new Replay(rt.schedule!) });
      const log2: string[] = [];
      workload(again, 7, log2);
      let outcome2 = "ok";
      try {
        again.run();
      } catch (e) {
        outcome2 = (e as Error).name;
      }
      expect(log2, scheduler.name).toEqual(log);
      expect(outcome2).toBe(outcome);
    }
  });
});
