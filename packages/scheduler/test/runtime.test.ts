import { describe, expect, test } from "vitest";
import {
  Channel,
  currentThread,
  DeadlockError,
  FIFO,
  join,
  Mutex,
  Priority,
  RunFailedError,
  Runtime,
  SchedulerError,
  Stride,
  sleep,
  type Thread,
  ThreadCancelledError,
  wait,
} from "../src/index.js";

describe("spawn and run", () => {
  test("threads do not start before run(); run() returns a summary", () => {
    const rt = new Runtime();
    const log: string[] = [];
    const a = rt.spawn(function* () {
      log.push("a0");
      yield;
      log.push("a1");
      return 1;
    });
    const b = rt.spawn(function* () {
      log.push("b0");
      yield;
      log.push("b1");
      return 2;
    });
    expect(log).toEqual([]);
    expect(a.state).toBe("ready");
    expect(rt.liveThreads).toBe(2);
    const summary = rt.run();
    expect(log).toEqual(["a0", "b0", "a1", "b1"]);
    expect(summary).toMatchObject({
      threads: 2,
      switches: 4,
      returned: 2,
      failed: 0,
      cancelled: 0,
      stopped: false,
      live: 0,
    });
    expect(a.outcome).toEqual({ kind: "returned", value: 1 });
    expect(b.result).toBe(2);
    expect(a.state).toBe("done");
    expect(a.done).toBe(true);
    expect(rt.liveThreads).toBe(0);
  });

  test("ids count from 1 in spawn order; names and labels", () => {
    const rt = new Runtime();
    const a = rt.spawn(function* () {});
    const b = rt.spawn(function* () {}, { name: "worker" });
    expect([a.id, b.id]).toEqual([1, 2]);
    expect(a.name).toBe("#1");
    expect(a.label).toBe("thread #1");
    expect(b.name).toBe("worker");
    expect(b.label).toBe('thread "worker" (#2)');
    expect(String(b)).toBe('thread "worker" (#2)');
    expect(a.kind).toBe("generator");
    expect(a.runtime).toBe(rt);
  });

  test("the body receives its own handle; currentThread() and state 'running'", () => {
    const rt = new Runtime();
    let seen: unknown;
    let state: string | undefined;
    const t = rt.spawn(function* (self) {
      seen = self;
      state = currentThread()?.state;
      yield;
    });
    rt.run();
    expect(seen).toBe(t);
    expect(state).toBe("running");
    expect(currentThread()).toBeNull();
  });

  test("threads can spawn threads while running", () => {
    const rt = new Runtime();
    const log: number[] = [];
    rt.spawn(function* () {
      for (let i = 0; i < 3; i++) {
        rt.spawn(function* () {
          log.push(i);
        });
        yield;
      }
    });
    expect(rt.run().threads).toBe(4);
    expect(log).toEqual([0, 1, 2]);
  });

  test("a green function is a generator called with yield*", () => {
    const rt = new Runtime();
    const log: string[] = [];
    function* countTo(name: string, n: number): Generator<unknown, number, unknown> {
      for (let i = 0; i < n; i++) {
        log.push(`${name}${i}`);
        yield;
      }
      return n;
    }
    const a = rt.spawn(function* () {
      return yield* countTo("a", 2);
    });
    rt.spawn(function* () {
      yield* countTo("b", 2);
    });
    rt.run();
    expect(log).toEqual(["a0", "b0", "a1", "b1"]);
    expect(a.result).toBe(2);
  });

  test("run() can be called again after more spawns; maxSwitches stops early", () => {
    const rt = new Runtime();
    let n = 0;
    rt.spawn(function* () {
      for (;;) {
        n++;
        yield;
      }
    });
    const s1 = rt.run({ maxSwitches: 10 });
    expect(s1).toMatchObject({ switches: 10, stopped: true, live: 1 });
    expect(n).toBe(10);
    const s2 = rt.run({ maxSwitches: 5 });
    expect(s2.switches).toBe(5);
    expect(rt.switches).toBe(15);
    expect(rt.run({ maxSwitches: 0 }).switches).toBe(0);
  });

  test("yielding a value other than undefined is a plain yield", () => {
    const rt = new Runtime();
    const log: string[] = [];
    rt.spawn(function* () {
      yield 42;
      log.push("a");
    });
    rt.spawn(function* () {
      log.push("b");
    });
    rt.run();
    expect(log).toEqual(["b", "a"]);
  });
});

describe("outcomes", () => {
  test("returned, threw and cancelled: exactly one each", () => {
    const rt = new Runtime();
    const ok = rt.spawn(function* () {
      yield;
      return "ok";
    });
    const boom = new Error("boom");
    const bad = rt.spawn(function* () {
      yield;
      throw boom;
    });
    const finals: string[] = [];
    const cancelled = rt.spawn(function* () {
      try {
        for (;;) yield;
      } finally {
        finals.push("cleanup");
      }
    });
    rt.spawn(function* () {
      yield;
      cancelled.cancel();
    });
    expect(() => rt.run()).toThrow(RunFailedError);
    expect(ok.outcome).toEqual({ kind: "returned", value: "ok" });
    expect(bad.outcome).toEqual({ kind: "threw", error: boom });
    expect(cancelled.outcome).toEqual({ kind: "cancelled" });
    expect(finals).toEqual(["cleanup"]);
    expect(() => bad.result).toThrow(boom);
    expect(() => cancelled.result).toThrow(ThreadCancelledError);
  });

  test("result of an unfinished thread is an error naming it", () => {
    const rt = new Runtime();
    const t = rt.spawn(function* () {}, { name: "late" });
    expect(() => t.result).toThrow(/thread "late" \(#1\): has not finished \(it is ready\)/);
    expect(t.outcome).toBeUndefined();
  });

  test("run() throws one RunFailedError naming each failed thread and keeping each cause", () => {
    const rt = new Runtime();
    const e1 = new TypeError("first");
    const e2 = new RangeError("second");
    rt.spawn(
      function* () {
        yield;
        throw e1;
      },
      { name: "one" },
    );
    rt.spawn(function* () {
      yield;
    });
    rt.spawn(
      function* () {
        throw e2;
      },
      { name: "two" },
    );
    let caught: unknown;
    try {
      rt.run();
    } catch (e) {
      caught = e;
    }
    expect(caught).toBeInstanceOf(RunFailedError);
    expect(caught).toBeInstanceOf(SchedulerError);
    const err = caught as RunFailedError;
    expect(err.errors).toEqual([e2, e1]);
    expect(err.cause).toBe(e2);
    expect(err.failures.map((f) => f.thread.label)).toEqual([
      'thread "two" (#3)',
      'thread "one" (#1)',
    ]);
    expect(err.message).toBe(
      '2 threads failed:\n  thread "two" (#3): RangeError: second\n  thread "one" (#1): TypeError: first',
    );
  });

  test("a failure seen through join() is not reported by run()", () => {
    const rt = new Runtime();
    const bad = rt.spawn(function* () {
      yield;
      throw new Error("handled");
    });
    let got: unknown;
    rt.spawn(function* () {
      try {
        yield* join(bad);
      } catch (e) {
        got = e;
      }
    });
    expect(rt.run().failed).toBe(1);
    expect((got as Error).message).toBe("handled");
  });
});

describe("cancel", () => {
  test("cancelling before it starts: the body never runs", () => {
    const rt = new Runtime();
    let ran = false;
    const t = rt.spawn(function* () {
      ran = true;
    });
    expect(t.cancel()).toBe(true);
    expect(t.cancel()).toBe(false);
    expect(rt.run().cancelled).toBe(1);
    expect(ran).toBe(false);
    expect(t.outcome).toEqual({ kind: "cancelled" });
    expect(t.cancel()).toBe(false);
  });

  test("a blocked thread is woken to run its finally blocks, which may yield", () => {
    const rt = new Runtime();
    const ch = new Channel<number>();
    const log: string[] = [];
    const t = rt.spawn(function* () {
      try {
        yield* ch.recv();
        log.push("not reached");
      } finally {
        log.push("finally 1");
        yield;
        log.push("finally 2");
      }
    });
    rt.spawn(function* () {
      yield;
      expect(t.state).toBe("blocked");
      expect(t.waitingFor).toBe("recv on channel (capacity 0, 0 buffered)");
      t.cancel();
      log.push("cancelled");
    });
    rt.run();
    expect(log).toEqual(["cancelled", "finally 1", "finally 2"]);
    expect(t.outcome?.kind).toBe("cancelled");
  });

  test("a thread can cancel itself: delivered at its next yield or block", () => {
    const rt = new Runtime();
    const log: string[] = [];
    const ch = new Channel<number>();
    const a = rt.spawn(function* (self) {
      try {
        self.cancel();
        log.push("still running");
        yield* ch.recv();
        log.push("not reached");
      } finally {
        log.push("a finally");
      }
    });
    rt.run();
    expect(log).toEqual(["still running", "a finally"]);
    expect(a.outcome?.kind).toBe("cancelled");
  });

  test("a finally block that throws during cancellation makes the outcome threw", () => {
    const rt = new Runtime();
    const t = rt.spawn(function* () {
      try {
        for (;;) yield;
      } finally {
        // biome-ignore lint/correctness/noUnsafeFinally: the test needs a finally that throws
        throw new Error("in finally");
      }
    });
    rt.spawn(function* () {
      t.cancel();
    });
    expect(() => rt.run()).toThrow(/in finally/);
    expect(t.outcome?.kind).toBe("threw");
  });

  test("joining a cancelled thread throws ThreadCancelledError naming it", () => {
    const rt = new Runtime();
    const t = rt.spawn(
      function* () {
        for (;;) yield;
      },
      { name: "victim" },
    );
    let err: unknown;
    rt.spawn(function* () {
      t.cancel();
      try {
        yield* join(t);
      } catch (e) {
        err = e;
      }
    });
    rt.run();
    expect(err).toBeInstanceOf(ThreadCancelledError);
    expect((err as Error).message).toBe('thread "victim" (#1): was cancelled');
  });
});

describe("join", () => {
  test("gives the value, waiting as long as needed", () => {
    const rt = new Runtime();
    const worker = rt.spawn(function* () {
      for (let i = 0; i < 5; i++) yield;
      return 99;
    });
    let got: number | undefined;
    const joiner = rt.spawn(function* () {
      got = yield* join(worker);
    });
    rt.run({ maxSwitches: 3 });
    expect(joiner.state).toBe("blocked");
    expect(joiner.waitingFor).toBe("join(thread #1), which is ready");
    rt.run();
    expect(got).toBe(99);
  });

  test("of a finished thread returns at once; several joiners all wake", () => {
    const rt = new Runtime();
    const w = rt.spawn(function* () {
      yield;
      return "v";
    });
    const got: string[] = [];
    for (let i = 0; i < 3; i++) {
      rt.spawn(function* () {
        got.push(yield* join(w));
      });
    }
    rt.run();
    const late = rt.spawn(function* () {
      return yield* join(w);
    });
    rt.run();
    expect(got).toEqual(["v", "v", "v"]);
    expect(late.result).toBe("v");
  });

  test("rethrows the joined thread's error", () => {
    const rt = new Runtime();
    const boom = new Error("boom");
    const w = rt.spawn(function* () {
      throw boom;
    });
    const j = rt.spawn(function* () {
      yield* join(w);
    });
    expect(() => rt.run()).toThrow(RunFailedError);
    expect(j.outcome).toEqual({ kind: "threw", error: boom });
    expect(w.outcome).toEqual({ kind: "threw", error: boom });
  });
});

describe("bad input gets a clear SchedulerError", () => {
  test("spawning something that is not a generator function", () => {
    const rt = new Runtime();
    const cases: [unknown, RegExp][] = [
      [() => {}, /needs a generator function .* got an arrow function or method/],
      [function plain() {}, /got a plain function/],
      [async () => {}, /got an async function/],
      [async function* ag() {}, /got an async generator function/],
      [class X {}, /got a class/],
      [42, /got number/],
      [null, /got null/],
    ];
    for (const [body, msg] of cases) {
      expect(() => rt.spawn(body as never)).toThrow(SchedulerError);
      expect(() => rt.spawn(body as never)).toThrow(msg);
    }
    expect(() => rt.spawn((() => {}) as never, { name: "w" })).toThrow(
      /spawn\(\): thread "w" needs a generator function/,
    );
    expect(rt.liveThreads).toBe(0);
  });

  test("bad spawn options", () => {
    const rt = new Runtime();
    const body = function* () {};
    expect(() => rt.spawn(body, { name: 3 as never })).toThrow(/name must be a string/);
    expect(() => rt.spawn(body, 5 as never)).toThrow(/options must be an object/);
    // priority and tickets are the options of Priority and Stride: other policies ignore them.
    expect(rt.spawn(body, { tickets: 0, priority: Number.NaN }).id).toBe(1);
  });

  test("policies check the spawn options they read, and a refused spawn changes nothing", () => {
    const stride = new Runtime({ scheduler: new Stride(), record: true });
    const body = function* () {};
    expect(() => stride.spawn(body, { tickets: 0 })).toThrow(
      /spawn\(\): thread #1: tickets must be a positive integer, got 0/,
    );
    expect(() => stride.spawn(body, { tickets: 1.5, name: "s" })).toThrow(
      /thread "s" \(#1\): tickets must be a positive integer/,
    );
    expect(stride.liveThreads).toBe(0);
    expect(stride.spawn(body, { tickets: 5 }).id).toBe(1);
    expect(stride.run().threads).toBe(1);
    const priority = new Runtime({ scheduler: new Priority() });
    expect(() => priority.spawn(body, { priority: Number.NaN })).toThrow(
      /priority must be a finite number, got NaN/,
    );
    expect(() => priority.spawn(body, { priority: "high" as never })).toThrow(SchedulerError);
    expect(priority.liveThreads).toBe(0);
    expect(priority.spawn(body, { priority: 2 }).id).toBe(1);
  });

  test("bad runtime and run options", async () => {
    expect(() => new Runtime({ scheduler: {} as never })).toThrow(
      /scheduler is not a Scheduler \(missing onSpawn, onYield, onBlock, onWake, onExit, pick\)/,
    );
    const s = new FIFO();
    new Runtime({ scheduler: s });
    expect(() => new Runtime({ scheduler: s })).toThrow(/already belongs to another runtime/);
    const rt = new Runtime();
    await expect(rt.runAsync({ sliceMs: -1 })).rejects.toThrow(
      /sliceMs must be a finite number >= 0, got -1/,
    );
    await expect(rt.runAsync({ sliceMs: Number.NaN })).rejects.toThrow(SchedulerError);
    expect(() => rt.run({ maxSwitches: -3 })).toThrow(/maxSwitches must be a non-negative integer/);
    expect(rt.running).toBe(false);
  });

  test("calling a blocking helper outside a thread", () => {
    const ch = new Channel<number>();
    const m = new Mutex();
    const rt = new Runtime();
    const t = rt.spawn(function* () {});
    expect(() => join(t)).toThrow(/join\(thread\) must be called from inside a thread/);
    expect(() => sleep(1)).toThrow(/sleep\(ms\) must be called from inside a thread/);
    expect(() => wait(Promise.resolve())).toThrow(/inside a thread/);
    expect(() => ch.send(1)).toThrow(/channel.send\(value\) must be called from inside a thread/);
    expect(() => ch.recv()).toThrow(/inside a thread/);
    expect(() => m.lock()).toThrow(/mutex.lock\(\) must be called from inside a thread/);
    expect(() => m.unlock()).toThrow(/not locked/);
  });

  test("joining a thread of another runtime, or itself, or a non-thread", () => {
    const other = new Runtime();
    const foreign = other.spawn(function* () {}, { name: "foreign" });
    const rt = new Runtime();
    const errors: string[] = [];
    rt.spawn(
      function* (self) {
        for (const target of [foreign, self, { id: 1 }]) {
          try {
            yield* join(target as Thread);
          } catch (e) {
            errors.push((e as Error).message);
          }
        }
      },
      { name: "joiner" },
    );
    rt.run();
    expect(errors).toEqual([
      'thread "joiner" (#1): join(): thread "foreign" (#1) belongs to another runtime; a thread can only join threads of its own runtime',
      'thread "joiner" (#1): join(): a thread cannot join itself (it would wait forever)',
      'thread "joiner" (#1): join() needs a Thread handle from spawn(), got object',
    ]);
  });

  test("running a runtime re-entrantly", async () => {
    const rt = new Runtime();
    let inner: unknown;
    rt.spawn(
      function* () {
        try {
          rt.run();
        } catch (e) {
          inner = e;
        }
      },
      { name: "nested" },
    );
    rt.run();
    expect(inner).toBeInstanceOf(SchedulerError);
    expect((inner as Error).message).toBe(
      'thread "nested" (#1): run() called from inside one of this runtime\'s own threads; a runtime cannot run re-entrantly',
    );
    // run() while runAsync() is in progress
    rt.spawn(function* () {
      yield;
    });
    const p = rt.runAsync({ sliceMs: 0 });
    expect(rt.running).toBe(true);
    expect(() => rt.run()).toThrow(/already running \(runAsync\(\) in progress\)/);
    await expect(rt.runAsync()).rejects.toThrow(/runAsync\(\): this runtime is already running/);
    await p;
    expect(rt.running).toBe(false);
  });

  test("another runtime can run inside a thread", () => {
    const outer = new Runtime();
    const log: string[] = [];
    outer.spawn(function* () {
      const inner = new Runtime();
      inner.spawn(function* () {
        log.push(`inner sees ${currentThread()?.runtime === inner}`);
        yield;
      });
      inner.run();
      log.push(`outer sees ${currentThread()?.runtime === outer}`);
    });
    outer.run();
    expect(log).toEqual(["inner sees true", "outer sees true"]);
  });

  test("yielding a promise or a generator object is thrown back into the thread", () => {
    const rt = new Runtime();
    const errors: string[] = [];
    rt.spawn(
      function* () {
        try {
          yield Promise.resolve(1);
        } catch (e) {
          errors.push((e as Error).message);
        }
        try {
          yield (function* () {})();
        } catch (e) {
          errors.push((e as Error).message);
        }
      },
      { name: "t" },
    );
    rt.run();
    expect(errors).toEqual([
      'thread "t" (#1): yielded a promise; to wait for it use `yield* wait(promise)` under runAsync()',
      'thread "t" (#1): yielded a generator object; call green functions and helpers with `yield*`, not `yield`',
    ]);
  });

  test("sleep and wait under run() fail with a clear error", () => {
    const rt = new Runtime();
    rt.spawn(
      function* () {
        yield* sleep(5);
      },
      { name: "sleeper" },
    );
    rt.spawn(
      function* () {
        yield* wait(Promise.resolve(1));
      },
      { name: "waiter" },
    );
    expect(() => rt.run()).toThrow(
      '2 threads failed:\n  thread "sleeper" (#1): SchedulerError: sleep() needs rt.runAsync(): under rt.run() the event loop never gets a turn, so no timer can fire\n  thread "waiter" (#2): SchedulerError: wait() needs rt.runAsync(): under rt.run() the event loop never gets a turn, so no promise can settle',
    );
  });

  test("bad helper arguments", () => {
    const rt = new Runtime();
    const errors: string[] = [];
    rt.spawn(function* () {
      for (const f of [() => sleep(-1), () => wait(5 as never), () => sleep(Number.NaN)]) {
        try {
          yield* f();
        } catch (e) {
          errors.push((e as Error).message);
        }
      }
    });
    rt.run();
    expect(errors).toEqual([
      "thread #1: sleep(ms): ms must be a finite number >= 0, got -1",
      "thread #1: wait(promise) needs a promise or thenable, got number",
      "thread #1: sleep(ms): ms must be a finite number >= 0, got NaN",
    ]);
    expect(() => new Channel(-1)).toThrow(/capacity must be an integer >= 0, got -1/);
    expect(() => new Channel(1.5)).toThrow(SchedulerError);
  });

  test("a scheduler that picks a thread that is not ready", () => {
    class Broken {
      readonly name = "broken";
      t: Thread | undefined;
      onSpawn(t: Thread) {
        this.t = t;
      }
      onYield() {}
      onBlock() {}
      onWake() {}
      onExit() {}
      pick() {
        return this.t;
      }
    }
    const rt = new Runtime({ scheduler: new Broken() });
    rt.spawn(function* () {});
    expect(() => rt.run()).toThrow(/scheduler "broken" picked thread #1, which is done, not ready/);
  });

  test("a scheduler that picks a blocked thread", () => {
    class Sticky {
      readonly name = "sticky";
      t: Thread | undefined;
      onSpawn(t: Thread) {
        this.t = t;
      }
      onYield() {}
      onBlock() {}
      onWake() {}
      onExit() {}
      pick() {
        return this.t;
      }
    }
    const rt = new Runtime({ scheduler: new Sticky() });
    const ch = new Channel<number>();
    rt.spawn(function* () {
      yield* ch.recv();
    });
    expect(() => rt.run()).toThrow(
      /scheduler "sticky" picked thread #1, which is blocked, not ready/,
    );
  });
});

describe("deadlock", () => {
  test("lists each blocked thread and what it waits for, then cancels them", () => {
    const rt = new Runtime();
    const a = new Mutex({ name: "a" });
    const b = new Mutex({ name: "b" });
    const jobs = new Channel<number>(2, { name: "jobs" });
    const finals: string[] = [];
    const t1 = rt.spawn(
      function* () {
        yield* a.lock();
        yield;
        try {
          yield* b.lock();
        } finally {
          finals.push("left");
        }
      },
      { name: "left" },
    );
    rt.spawn(
      function* () {
        yield* b.lock();
        yield;
        yield* a.lock();
      },
      { name: "right" },
    );
    rt.spawn(
      function* () {
        yield* jobs.recv();
      },
      { name: "consumer" },
    );
    rt.spawn(
      function* () {
        yield* join(t1);
      },
      { name: "waiter" },
    );
    let err: unknown;
    try {
      rt.run();
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(DeadlockError);
    const d = err as DeadlockError;
    expect(d.message).toBe(
      [
        "deadlock: nothing can run and 4 threads are blocked forever:",
        '  thread "left" (#1) waits for lock on mutex "b" held by thread "right" (#2)',
        '  thread "right" (#2) waits for lock on mutex "a" held by thread "left" (#1)',
        '  thread "consumer" (#3) waits for recv on channel "jobs" (capacity 2, 0 buffered)',
        '  thread "waiter" (#4) waits for join(thread "left" (#1)), which is blocked',
      ].join("\n"),
    );
    expect(d.blocked.map((x) => x.thread.id)).toEqual([1, 2, 3, 4]);
    expect(finals).toEqual(["left"]);
    expect(rt.liveThreads).toBe(0);
    expect(t1.outcome?.kind).toBe("cancelled");
  });

  test("a deadlock with failures reports both", () => {
    const rt = new Runtime();
    const ch = new Channel<number>();
    rt.spawn(function* () {
      yield* ch.recv();
    });
    rt.spawn(function* () {
      throw new Error("x");
    });
    let err: unknown;
    try {
      rt.run();
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(DeadlockError);
    expect((err as DeadlockError).failures.length).toBe(1);
    expect((err as Error).message).toContain("and 1 thread(s) failed:\n  thread #2: Error: x");
  });
});

describe("resuming generators", () => {
  test("the runtime calls the generator builtins, not a next/throw/return the generator object carries", () => {
    // The driver does no property lookup on a thread's generator (a lookup
    // that goes megamorphic with many closure bodies), so properties a body
    // puts on its own generator object are never called.
    const rt = new Runtime();
    const trap = () => {
      throw new Error("looked up on the generator object");
    };
    const log: string[] = [];
    const threads = [];
    for (let i = 0; i < 3; i++) {
      const t = rt.spawn(function* () {
        try {
          yield;
          log.push(`resumed ${i}`);
          yield;
        } finally {
          log.push(`finally ${i}`);
        }
        return i;
      });
      const g = t._body as Record<string, unknown>;
      g.next = trap;
      g.throw = trap;
      g.return = trap;
      threads.push(t);
    }
    // A thread that makes the runtime throw into it (a yielded promise).
    const thrower = rt.spawn(function* () {
      try {
        yield Promise.resolve();
      } catch (e) {
        return (e as SchedulerError).code;
      }
    });
    Object.assign(thrower._body as object, { next: trap, throw: trap, return: trap });
    rt.run({ maxSwitches: 4 }); // each thread at its first yield
    threads[2]!.cancel();
    rt.run();
    expect(threads.map((t) => t.outcome?.kind)).toEqual(["returned", "returned", "cancelled"]);
    expect(thrower.result).toBe("BAD_YIELD");
    expect(log).toEqual(["resumed 0", "resumed 1", "finally 2", "finally 0", "finally 1"]);
  });
});
