import { describe, expect, test } from "vitest";
import {
  Channel,
  ChannelClosedError,
  DeadlockError,
  join,
  Mutex,
  RunFailedError,
  Runtime,
  SchedulerError,
  sleep,
  wait,
} from "../src/index.js";

describe("Channel", () => {
  test("capacity 0 is a rendezvous: send waits until a receiver takes the value", () => {
    const rt = new Runtime();
    const ch = new Channel<string>(0);
    const log: string[] = [];
    rt.spawn(function* () {
      log.push("send x");
      yield* ch.send("x");
      log.push("x taken");
      log.push("send y");
      yield* ch.send("y");
      log.push("y taken");
    });
    rt.spawn(function* () {
      for (let i = 0; i < 3; i++) {
        log.push(`receiver idle ${i}`);
        yield;
      }
      log.push(`got ${yield* ch.recv()}`);
      log.push(`got ${yield* ch.recv()}`);
    });
    rt.run();
    expect(log).toEqual([
      "send x",
      "receiver idle 0",
      "receiver idle 1",
      "receiver idle 2",
      "got x",
      "x taken",
      "send y", // the receiver is already waiting: the send completes at once
      "y taken",
      "got y",
    ]);
  });

  test("a buffered channel blocks senders only when full; values keep their order", () => {
    const rt = new Runtime();
    const ch = new Channel<number>(2);
    const log: string[] = [];
    rt.spawn(function* () {
      for (let i = 0; i < 5; i++) {
        yield* ch.send(i);
        log.push(`sent ${i}`);
      }
      ch.close();
    });
    const got: number[] = [];
    rt.spawn(function* () {
      for (;;) {
        const r = yield* ch.next();
        if (r.done) break;
        got.push(r.value);
      }
    });
    rt.run();
    expect(got).toEqual([0, 1, 2, 3, 4]);
    // The first two sends fit in the buffer; the third blocks until the receiver runs.
    expect(log.slice(0, 2)).toEqual(["sent 0", "sent 1"]);
    expect(ch.size).toBe(0);
  });

  test("many senders and receivers are served first come, first served", () => {
    const rt = new Runtime();
    const ch = new Channel<string>(0);
    const got: string[] = [];
    for (const name of ["r1", "r2"]) {
      rt.spawn(function* () {
        got.push(`${name}<-${yield* ch.recv()}`);
        got.push(`${name}<-${yield* ch.recv()}`);
      });
    }
    for (const name of ["s1", "s2"]) {
      rt.spawn(function* () {
        yield* ch.send(`${name}a`);
        yield* ch.send(`${name}b`);
      });
    }
    rt.run();
    // r1 and r2 wait in that order; s1's two values go to them in turn; s2
    // then finds nobody waiting and blocks until r1 and r2 come back.
    // (r1 takes s2's value at once, without blocking, so it logs twice in a row.)
    expect(got).toEqual(["r1<-s1a", "r1<-s2a", "r2<-s1b", "r2<-s2b"]);
  });

  test("close: buffered values drain, then recv throws and next() is done; send throws", () => {
    const rt = new Runtime();
    const ch = new Channel<number>(3, { name: "c" });
    const log: string[] = [];
    rt.spawn(function* () {
      yield* ch.send(1);
      yield* ch.send(2);
      ch.close();
      expect(ch.closed).toBe(true);
      try {
        yield* ch.send(3);
      } catch (e) {
        log.push((e as Error).message);
      }
      expect(() => ch.close()).toThrow(/channel "c" is already closed/);
    });
    rt.spawn(function* () {
      log.push(`recv ${yield* ch.recv()}`);
      log.push(`next ${JSON.stringify(yield* ch.next())}`);
      log.push(`next ${JSON.stringify(yield* ch.next())}`);
      try {
        yield* ch.recv();
      } catch (e) {
        log.push(`${(e as Error).name}: ${(e as Error).message}`);
      }
    });
    rt.run();
    expect(log).toEqual([
      'thread #1: send on closed channel "c"',
      "recv 1",
      'next {"done":false,"value":2}',
      'next {"done":true}',
      'ChannelClosedError: thread #2: recv on closed channel "c"',
    ]);
  });

  test("close wakes waiting receivers (end) and waiting senders (error)", () => {
    const rt = new Runtime();
    const rx = new Channel<number>(0);
    const tx = new Channel<number>(0);
    const results: unknown[] = [];
    rt.spawn(function* () {
      results.push(yield* rx.next());
    });
    rt.spawn(function* () {
      try {
        yield* rx.recv();
      } catch (e) {
        results.push(e instanceof ChannelClosedError);
      }
    });
    rt.spawn(function* () {
      try {
        yield* tx.send(1);
      } catch (e) {
        results.push((e as Error).message);
      }
    });
    rt.spawn(function* () {
      yield;
      rx.close();
      tx.close();
    });
    rt.run();
    expect(results).toEqual([
      { done: true, value: undefined },
      true,
      "thread #3: send on closed channel",
    ]);
  });

  test("trySend works from host code and wakes a waiting receiver", () => {
    const rt = new Runtime();
    const ch = new Channel<number>(1);
    let got: number | undefined;
    rt.spawn(function* () {
      got = yield* ch.recv();
    });
    rt.run({ maxSwitches: 1 });
    expect(ch.trySend(7)).toBe(true);
    expect(ch.trySend(8)).toBe(true); // buffered
    expect(ch.trySend(9)).toBe(false); // full
    rt.run();
    expect(got).toBe(7);
    expect(ch.size).toBe(1);
  });

  test("a cancelled sender's value is withdrawn", () => {
    const rt = new Runtime();
    const ch = new Channel<string>(0);
    const s1 = rt.spawn(function* () {
      yield* ch.send("withdrawn");
    });
    rt.spawn(function* () {
      yield* ch.send("kept");
    });
    let got: string | undefined;
    rt.spawn(function* () {
      s1.cancel();
      got = yield* ch.recv();
    });
    rt.run();
    expect(got).toBe("kept");
    expect(s1.outcome?.kind).toBe("cancelled");
  });
});

describe("Mutex", () => {
  test("excludes, hands over in arrival order, reports holder", () => {
    const rt = new Runtime();
    const m = new Mutex({ name: "m" });
    const log: string[] = [];
    for (const name of ["a", "b", "c"]) {
      rt.spawn(
        function* () {
          yield* m.withLock(function* () {
            log.push(`${name} in`);
            yield;
            yield;
            log.push(`${name} out`);
          });
        },
        { name },
      );
    }
    rt.run();
    expect(log).toEqual(["a in", "a out", "b in", "b out", "c in", "c out"]);
    expect(m.locked).toBe(false);
    expect(m.holder).toBeNull();
  });

  test("tryLock, errors for re-locking and for unlocking without holding it", () => {
    const rt = new Runtime();
    const m = new Mutex({ name: "m" });
    const errors: string[] = [];
    rt.spawn(
      function* () {
        expect(m.tryLock()).toBe(true);
        expect(m.holder?.name).toBe("owner");
        try {
          yield* m.lock();
        } catch (e) {
          errors.push((e as Error).message);
        }
        yield;
        yield;
        m.unlock();
      },
      { name: "owner" },
    );
    rt.spawn(
      function* () {
        expect(m.tryLock()).toBe(false);
        try {
          m.unlock();
        } catch (e) {
          errors.push((e as Error).message);
        }
      },
      { name: "other" },
    );
    rt.run();
    expect(errors).toEqual([
      'thread "owner" (#1): lock(): already holds mutex "m"; Mutex is not re-entrant, locking it again would deadlock',
      'thread "other" (#2): unlock(): mutex "m" is held by thread "owner" (#1); only its holder can unlock it',
    ]);
  });

  test("a waiter handed the lock but cancelled before running passes it on", () => {
    const rt = new Runtime();
    const m = new Mutex();
    const log: string[] = [];
    let b: ReturnType<typeof rt.spawn> | undefined;
    rt.spawn(function* () {
      yield* m.lock();
      yield; // b and c queue up
      m.unlock(); // hands the lock to b
      b!.cancel(); // b never runs with it
    });
    b = rt.spawn(function* () {
      yield* m.lock();
      log.push("b locked");
    });
    rt.spawn(function* () {
      yield* m.lock();
      log.push("c locked");
      m.unlock();
    });
    rt.run();
    expect(log).toEqual(["c locked"]);
    expect(m.locked).toBe(false);
  });
});

describe("runAsync, sleep and wait", () => {
  test("the host's timer fires while threads compute (interleaving)", async () => {
    // The threads compute until they see what a host timer did. Under run()
    // they would spin to the cap; under runAsync() the timer gets its turn.
    const rt = new Runtime();
    const cap = 50_000_000;
    let ticks = 0;
    let switchesAtFirstTick = -1;
    const timer = setInterval(() => {
      if (ticks++ === 0) switchesAtFirstTick = rt.switches;
    }, 1);
    const seen: number[] = [];
    for (let i = 0; i < 2; i++) {
      rt.spawn(function* () {
        let n = 0;
        while (ticks < 3 && n++ < cap) yield;
        seen.push(ticks);
      });
    }
    const summary = await rt.runAsync({ sliceMs: 1 });
    clearInterval(timer);
    expect(seen).toEqual([3, 3]);
    expect(switchesAtFirstTick).toBeGreaterThan(0);
    expect(summary.switches).toBeGreaterThan(switchesAtFirstTick);
    expect(summary.switches).toBeLessThan(2 * cap);
  });

  test("run() does not let timers fire; runAsync() does", async () => {
    let fired = false;
    const timer = setTimeout(() => {
      fired = true;
    }, 0);
    const spin = (rt: Runtime) =>
      rt.spawn(function* () {
        const until = Date.now() + 20;
        while (Date.now() < until) yield;
      });
    const sync = new Runtime();
    spin(sync);
    sync.run();
    expect(fired).toBe(false);
    // Under runAsync the thread spins until the timer has fired (or 10 s have passed, so a
    // broken slicer fails instead of hanging): on a loaded machine a fixed 20 ms could end
    // before the first slice does.
    const asyncRt = new Runtime();
    asyncRt.spawn(function* () {
      const until = Date.now() + 10_000;
      while (!fired && Date.now() < until) yield;
    });
    await asyncRt.runAsync({ sliceMs: 1 });
    expect(fired).toBe(true);
    clearTimeout(timer);
  });

  test("sleep blocks one thread while others run; the run waits for the timers", async () => {
    const rt = new Runtime();
    const log: string[] = [];
    const t0 = Date.now();
    rt.spawn(function* () {
      log.push("sleeper start");
      yield* sleep(30);
      log.push(`sleeper woke after >= 30ms: ${Date.now() - t0 >= 29}`);
    });
    rt.spawn(function* () {
      for (let i = 0; i < 3; i++) {
        log.push(`worker ${i}`);
        yield;
      }
    });
    const s = await rt.runAsync();
    expect(log).toEqual([
      "sleeper start",
      "worker 0",
      "worker 1",
      "worker 2",
      "sleeper woke after >= 30ms: true",
    ]);
    expect(s.returned).toBe(2);
  });

  test("sleepers wake in deadline order", async () => {
    const rt = new Runtime();
    const order: number[] = [];
    // Each sleeper's deadline is when it started sleeping plus its time: on a
    // loaded machine the starts can be milliseconds apart, so the expected
    // order is by deadline, not by the requested times alone.
    const deadlines = new Map<number, number>();
    for (const ms of [60, 20, 40]) {
      rt.spawn(function* () {
        deadlines.set(ms, performance.now() + ms);
        yield* sleep(ms);
        order.push(ms);
      });
    }
    await rt.runAsync();
    expect(order).toEqual(
      [...deadlines.keys()].sort((a, b) => deadlines.get(a)! - deadlines.get(b)!),
    );
    expect(order).toHaveLength(3);
  });

  test("wait gives a promise's value or throws its rejection", async () => {
    const rt = new Runtime();
    const boom = new Error("rejected");
    const results: unknown[] = [];
    rt.spawn(function* () {
      results.push(yield* wait(new Promise((r) => setTimeout(() => r("late"), 5))));
      results.push(yield* wait(Promise.resolve(42)));
      try {
        yield* wait(Promise.reject(boom));
      } catch (e) {
        results.push(e);
      }
    });
    await rt.runAsync();
    expect(results).toEqual(["late", 42, boom]);
  });

  test("cancelling a sleeping or waiting thread clears its timer", async () => {
    const rt = new Runtime();
    const sleeper = rt.spawn(function* () {
      yield* sleep(10_000);
    });
    const waiter = rt.spawn(function* () {
      yield* wait(new Promise(() => {}));
    });
    rt.spawn(function* () {
      yield* sleep(5);
      sleeper.cancel();
      waiter.cancel();
    });
    const t0 = Date.now();
    const s = await rt.runAsync();
    expect(Date.now() - t0).toBeLessThan(5000);
    expect(s.cancelled).toBe(2);
    expect(rt._pending).toBe(0);
  });

  test("a deadlock under runAsync is reported once nothing is pending", async () => {
    const rt = new Runtime();
    const ch = new Channel<number>(0, { name: "never" });
    rt.spawn(
      function* () {
        yield* sleep(5);
        yield* ch.recv();
      },
      { name: "r" },
    );
    await expect(rt.runAsync()).rejects.toThrow(DeadlockError);
    await expect(
      (async () => {
        const rt2 = new Runtime();
        rt2.spawn(function* () {
          yield* ch.send(1);
        });
        await rt2.runAsync();
      })(),
    ).rejects.toThrow(/waits for send on channel "never"/);
  });

  test("runAsync reports failures like run()", async () => {
    const rt = new Runtime();
    rt.spawn(
      function* () {
        yield* sleep(1);
        throw new Error("late failure");
      },
      { name: "f" },
    );
    await expect(rt.runAsync()).rejects.toThrow(RunFailedError);
  });

  test("join across sleeping threads", async () => {
    const rt = new Runtime();
    const w = rt.spawn(function* () {
      yield* sleep(5);
      return "slept";
    });
    const j = rt.spawn(function* () {
      return yield* join(w);
    });
    await rt.runAsync();
    expect(j.result).toBe("slept");
  });

  test("errors are SchedulerErrors", async () => {
    const rt = new Runtime();
    await expect(rt.runAsync({ sliceMs: "1" as never })).rejects.toBeInstanceOf(SchedulerError);
  });
});
