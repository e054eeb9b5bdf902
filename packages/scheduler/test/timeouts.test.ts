import { describe, expect, test } from "vitest";
import {
  Channel,
  Condition,
  join,
  Mutex,
  Runtime,
  type SchedulerError,
  Semaphore,
  sleep,
  TimeoutError,
  WaitGroup,
  wait,
  withDeadline,
  withTimeout,
} from "../src/index.js";

/** Run `op` under withTimeout(ms) in a thread; "timeout" or its value. */
function* timedOrValue<R>(ms: number, op: Generator<unknown, R, unknown>) {
  try {
    return yield* withTimeout(ms, op);
  } catch (e) {
    if (e instanceof TimeoutError) return "timeout" as const;
    throw e;
  }
}

describe("timeouts on every blocking helper (runAsync)", () => {
  test("recv: a timed-out receive takes nothing", async () => {
    const rt = new Runtime();
    const ch = new Channel<number>(0);
    const t = rt.spawn(function* () {
      return yield* timedOrValue(5, ch.recv());
    });
    const later = rt.spawn(function* () {
      yield* sleep(20);
      return ch.trySend(1); // no receiver left behind by the timeout
    });
    await rt.runAsync();
    expect(t.result).toBe("timeout");
    expect(later.result).toBe(false);
  });

  test("send: a timed-out send sends nothing", async () => {
    const rt = new Runtime();
    const ch = new Channel<string>(0);
    rt.spawn(function* () {
      expect(yield* timedOrValue(5, ch.send("stale"))).toBe("timeout");
      yield* ch.send("fresh");
    });
    const r = rt.spawn(function* () {
      yield* sleep(20);
      return [yield* ch.recv(), ch.size];
    });
    await rt.runAsync();
    expect(r.result).toEqual(["fresh", 0]);
  });

  test("lock: a timed-out lock does not hold it, and the lock passes on normally", async () => {
    const rt = new Runtime();
    const m = new Mutex({ name: "m" });
    const log: string[] = [];
    rt.spawn(function* () {
      yield* m.lock();
      yield* sleep(20);
      m.unlock();
    });
    rt.spawn(function* () {
      yield;
      log.push(String(yield* timedOrValue(5, m.lock())));
      log.push(`holder after timeout: ${m.holder?.id ?? "none"}`);
    });
    rt.spawn(function* () {
      yield;
      yield* m.lock();
      log.push("third got it");
      m.unlock();
    });
    await rt.runAsync();
    expect(log).toEqual(["timeout", "holder after timeout: 1", "third got it"]);
    expect(m.locked).toBe(false);
  });

  test("join and wait: the target and the promise go on; nothing lingers", async () => {
    const rt = new Runtime();
    let resolve!: (v: number) => void;
    const p = new Promise<number>((r) => {
      resolve = r;
    });
    const target = rt.spawn(function* () {
      yield* sleep(15);
      return "target done";
    });
    const t = rt.spawn(function* () {
      const a = yield* timedOrValue(3, join(target));
      const b = yield* timedOrValue(3, wait(p));
      return [a, b];
    });
    let settled = false;
    const late = setTimeout(() => {
      settled = true;
      resolve(1);
    }, 500);
    await rt.runAsync();
    expect(t.result).toEqual(["timeout", "timeout"]);
    expect(target.result).toBe("target done");
    // The run did not wait for the abandoned promise: its wait was cancelled.
    expect(settled).toBe(false);
    clearTimeout(late);
  });

  test("Semaphore, WaitGroup and Condition time out cleanly", async () => {
    const rt = new Runtime();
    const sem = new Semaphore(0);
    const wg = new WaitGroup();
    wg.add(1);
    const m = new Mutex();
    const cond = new Condition(m);
    const t = rt.spawn(function* () {
      const a = yield* timedOrValue(3, sem.acquire());
      const b = yield* timedOrValue(3, wg.wait());
      yield* m.lock();
      let c: string;
      try {
        c = String(yield* timedOrValue(3, cond.wait()));
        c += ` holding: ${m.holder === t}`;
      } finally {
        m.unlock();
      }
      return [a, b, c, sem.available, cond.waiting];
    });
    await rt.runAsync();
    expect(t.result).toEqual(["timeout", "timeout", "timeout holding: true", 0, 0]);
    sem.release();
    expect(sem.tryAcquire()).toBe(true);
  });

  test("an operation done in time gives its value and leaves no timer behind", async () => {
    const rt = new Runtime();
    const ch = new Channel<number>(0);
    const t = rt.spawn(function* () {
      return yield* withTimeout(10_000, ch.recv());
    });
    rt.spawn(function* () {
      yield* sleep(2);
      yield* ch.send(7);
    });
    const start = Date.now();
    await rt.runAsync();
    expect(t.result).toBe(7);
    expect(Date.now() - start).toBeLessThan(1000);
  });

  test("a deadline covers several waits; a deadline already past never waits", async () => {
    const rt = new Runtime();
    const a = new Channel<number>(0);
    const log: string[] = [];
    rt.spawn(function* () {
      const deadline = Date.now() + 30;
      try {
        yield* withDeadline(
          deadline,
          (function* () {
            log.push(`first ${yield* a.recv()}`);
            log.push(`second ${yield* a.recv()}`);
          })(),
        );
      } catch (e) {
        log.push((e as SchedulerError).code);
      }
      try {
        yield* withDeadline(Date.now() - 1, a.recv());
      } catch (e) {
        log.push(`past: ${(e as SchedulerError).code}`);
      }
      a.close();
      const end = yield* withDeadline(Number.POSITIVE_INFINITY, a.next()); // no deadline at all
      log.push(`end: ${end.done}`);
    });
    rt.spawn(function* () {
      yield* sleep(5);
      yield* a.send(1);
    });
    await rt.runAsync();
    expect(log).toEqual(["first 1", "TIMEOUT", "past: TIMEOUT", "end: true"]);
  });

  test("cancelling a thread inside withTimeout runs the operation's cleanup and disarms the timer", async () => {
    const rt = new Runtime();
    const ch = new Channel<number>(0);
    const t = rt.spawn(function* () {
      yield* withTimeout(10_000, ch.recv());
    });
    rt.spawn(function* () {
      yield* sleep(2);
      t.cancel();
    });
    const start = Date.now();
    await rt.runAsync();
    expect(t.outcome).toEqual({ kind: "cancelled" });
    expect(ch.trySend(1)).toBe(false);
    expect(Date.now() - start).toBeLessThan(1000);
  });
});

describe("timeouts under run()", () => {
  test("0 is a poll, Infinity no limit, a positive limit needs runAsync()", () => {
    const rt = new Runtime();
    const ch = new Channel<number>(1);
    const t = rt.spawn(function* () {
      const polled = yield* timedOrValue(0, ch.recv());
      ch.trySend(4);
      const got = yield* withTimeout(0, ch.recv()); // ready at once: no wait, no timer
      const forever = yield* withTimeout(
        Number.POSITIVE_INFINITY,
        (function* () {
          yield;
          return "no limit";
        })(),
      );
      return [polled, got, forever];
    });
    const bad = rt.spawn(function* () {
      yield* withTimeout(5, ch.recv());
    });
    expect(() => rt.run()).toThrow(/needs rt.runAsync/);
    expect(t.result).toEqual(["timeout", 4, "no limit"]);
    expect((bad.outcome as { error: SchedulerError }).error.code).toBe("NEEDS_RUN_ASYNC");
  });

  test("bad limits are refused", () => {
    const rt = new Runtime();
    const ch = new Channel<number>(1);
    const codes: string[] = [];
    rt.spawn(function* () {
      for (const ms of [-1, Number.NaN, "5"]) {
        try {
          yield* withTimeout(ms as number, ch.recv());
        } catch (e) {
          codes.push((e as SchedulerError).code);
        }
      }
    });
    rt.run();
    expect(codes).toEqual(["BAD_ARGUMENT", "BAD_ARGUMENT", "BAD_ARGUMENT"]);
  });
});
