/**
 * Small programs built from the toolkit, run under many schedules by
 * explore(): every interleaving dfs can reach (within its limits), and
 * seeded random and PCT runs. A deliberately broken variant shows that the
 * checks can fail, and that Replay reproduces the failing schedule.
 */
import { describe, expect, test } from "vitest";
import {
  all,
  Channel,
  Condition,
  type ExploreBody,
  explore,
  Mutex,
  Replay,
  Runtime,
  race,
  recvCase,
  Semaphore,
  select,
  WaitGroup,
} from "../src/index.js";

/** Producers put 1..k each into a buffer of `capacity` guarded by a Semaphore pair and a Mutex. */
function boundedBuffer(emptySlots: number, capacity = 2, producers = 2, k = 2): ExploreBody {
  return (rt) => {
    const buffer: number[] = [];
    const empty = new Semaphore(emptySlots, { name: "empty" });
    const full = new Semaphore(0, { name: "full" });
    const m = new Mutex({ name: "buffer" });
    const got: number[] = [];
    let most = 0;
    for (let p = 0; p < producers; p++) {
      rt.spawn(function* () {
        for (let i = 1; i <= k; i++) {
          yield* empty.acquire();
          yield* m.withLock(function* () {
            buffer.push(p * 10 + i);
            yield;
            most = Math.max(most, buffer.length);
          });
          full.release();
        }
      });
    }
    rt.spawn(function* () {
      for (let n = 0; n < producers * k; n++) {
        yield* full.acquire();
        const v = yield* m.withLock(function* () {
          yield;
          return buffer.shift()!;
        });
        empty.release();
        got.push(v);
      }
    });
    return () => {
      if (most > capacity) throw new Error(`the buffer held ${most} items, more than ${capacity}`);
      const want = [];
      for (let p = 0; p < producers; p++) for (let i = 1; i <= k; i++) want.push(p * 10 + i);
      if (
        got
          .slice()
          .sort((a, b) => a - b)
          .join() !== want.join()
      ) {
        throw new Error(`received ${got.join()}`);
      }
    };
  };
}

describe("a bounded buffer with a Semaphore pair", () => {
  test("holds under every schedule dfs reaches, and under random and PCT runs", () => {
    const dfs = explore(boundedBuffer(2), { strategy: "dfs", runs: 3000 });
    expect(dfs.failure?.message).toBeUndefined();
    expect(dfs.exhausted || dfs.runs === 3000).toBe(true);
    expect(dfs.runs).toBeGreaterThan(100);
    expect(explore(boundedBuffer(2), { strategy: "random", runs: 300 }).ok).toBe(true);
    expect(explore(boundedBuffer(2), { strategy: "pct", runs: 300, depth: 3 }).ok).toBe(true);
  });

  test("with one slot too many the check fails, and Replay reproduces it", () => {
    const r = explore(boundedBuffer(3), { strategy: "dfs", runs: 3000 });
    expect(r.ok).toBe(false);
    expect(r.failure!.message).toMatch(/the buffer held 3 items, more than 2/);
    const rt = new Runtime({ scheduler: new Replay(r.failure!.schedule) });
    const check = boundedBuffer(3)(rt, 0)!;
    rt.run();
    expect(check).toThrow(/the buffer held 3 items/);
  });
});

/** Two producers on their own channels, one consumer selecting over both until both close. */
const fanIn =
  (firsts: Set<string>): ExploreBody =>
  (rt) => {
    const a = new Channel<string>(0, { name: "a" });
    const b = new Channel<string>(1, { name: "b" });
    for (const [ch, name] of [
      [a, "a"],
      [b, "b"],
    ] as const) {
      rt.spawn(function* () {
        for (let i = 0; i < 2; i++) yield* ch.send(`${name}${i}`);
        ch.close();
      });
    }
    const got: string[] = [];
    rt.spawn(function* () {
      const open = [a, b];
      while (open.length > 0) {
        const r = yield* select(open.map((ch) => recvCase(ch)));
        if (r.done) open.splice(r.index, 1);
        else got.push(r.value);
      }
    });
    return () => {
      firsts.add(got[0]!);
      if (got.slice().sort().join() !== "a0,a1,b0,b1") throw new Error(`received ${got.join()}`);
      if (got.indexOf("a0") > got.indexOf("a1") || got.indexOf("b0") > got.indexOf("b1")) {
        throw new Error(`out of order: ${got.join()}`);
      }
    };
  };

describe("a select-based fan-in", () => {
  test("every value arrives once and in order under every schedule; either producer can come first", () => {
    const firsts = new Set<string>();
    const dfs = explore(fanIn(firsts), { strategy: "dfs", runs: 5000 });
    expect(dfs.failure?.message).toBeUndefined();
    expect(dfs.exhausted).toBe(true);
    expect([...firsts].sort()).toEqual(["a0", "b0"]);
    expect(explore(fanIn(firsts), { strategy: "random", runs: 300 }).ok).toBe(true);
  });
});

describe("scopes, wait groups and conditions under exploration", () => {
  test("all() with a Mutex-guarded counter, race() cleaning up its losers", () => {
    const body: ExploreBody = (rt) => {
      const m = new Mutex();
      let count = 0;
      let running = 0;
      let winner = "";
      let runningWhenRaceReturned = -1;
      rt.spawn(function* () {
        const bump = function* () {
          yield* m.withLock(function* () {
            const seen = count;
            yield;
            count = seen + 1;
          });
          return count;
        };
        yield* all([bump, bump, bump]);
        const runner = (name: string, turns: number) =>
          function* () {
            running++;
            try {
              for (let i = 0; i < turns; i++) yield;
              return name;
            } finally {
              running--;
            }
          };
        winner = yield* race([runner("x", 1), runner("y", 1)]);
        runningWhenRaceReturned = running;
      });
      return () => {
        if (count !== 3) throw new Error(`count is ${count}`);
        if (winner !== "x" && winner !== "y") throw new Error(`winner ${winner}`);
        if (runningWhenRaceReturned !== 0) throw new Error("race returned before its losers ended");
      };
    };
    const r = explore(body, { strategy: "dfs", runs: 3000 });
    expect(r.failure?.message).toBeUndefined();
    expect(explore(body, { strategy: "pct", runs: 200 }).ok).toBe(true);
  });

  test("workers report through a WaitGroup and a Condition", () => {
    const body: ExploreBody = (rt) => {
      const wg = new WaitGroup();
      const m = new Mutex();
      const cond = new Condition(m);
      let done = 0;
      let seenByWaiter = -1;
      let seenByCondition = -1;
      for (let w = 0; w < 2; w++) {
        wg.add(1);
        rt.spawn(function* () {
          yield;
          yield* m.withLock(function* () {
            done++;
            cond.notifyAll();
          });
          wg.done();
        });
      }
      rt.spawn(function* () {
        yield* wg.wait();
        seenByWaiter = done;
      });
      rt.spawn(function* () {
        yield* m.lock();
        try {
          while (done < 2) yield* cond.wait();
          seenByCondition = done;
        } finally {
          m.unlock();
        }
      });
      return () => {
        if (seenByWaiter !== 2 || seenByCondition !== 2) {
          throw new Error(`saw ${seenByWaiter} and ${seenByCondition} of 2`);
        }
      };
    };
    const r = explore(body, { strategy: "dfs", runs: 3000 });
    expect(r.failure?.message).toBeUndefined();
    expect(explore(body, { strategy: "random", runs: 200 }).ok).toBe(true);
  });
});

describe("select under cancellation", () => {
  test("a selector cancelled at any point loses no value and takes none twice", () => {
    const body: ExploreBody = (rt) => {
      const a = new Channel<string>(0, { name: "a" });
      const b = new Channel<string>(1, { name: "b" });
      const sent = ["a1", "a2", "b1", "b2"];
      const got: string[] = [];
      for (const [ch, vs] of [
        [a, ["a1", "a2"]],
        [b, ["b1", "b2"]],
      ] as const) {
        rt.spawn(function* () {
          for (const v of vs) yield* ch.send(v);
        });
      }
      const selector = rt.spawn(function* () {
        for (;;) {
          const r = yield* select([recvCase(a), recvCase(b)]);
          if (!r.done) got.push(r.value);
        }
      });
      rt.spawn(function* () {
        yield;
        yield;
        selector.cancel();
        // Whatever the selector did not take is still there for someone else.
        while (got.length + drained.length < sent.length) {
          const r = yield* select([recvCase(a), recvCase(b)]);
          if (!r.done) drained.push(r.value);
        }
      });
      const drained: string[] = [];
      return () => {
        const all = [...got, ...drained].sort();
        if (all.join() !== sent.join())
          throw new Error(`got ${got.join()} then drained ${drained.join()}`);
      };
    };
    const r = explore(body, { strategy: "dfs", runs: 5000 });
    expect(r.failure?.message).toBeUndefined();
    expect(r.runs).toBeGreaterThan(50);
    expect(explore(body, { strategy: "random", runs: 500 }).ok).toBe(true);
  });
});
