import { expect, test } from "vitest";
import { Condition, type DeadlockError, Mutex, Runtime, SchedulerError } from "../src/index.js";

function consumer(
  rt: Runtime,
  m: Mutex,
  cond: Condition,
  queue: string[],
  log: string[],
  name: string,
) {
  return rt.spawn(function* () {
    yield* m.lock();
    try {
      while (queue.length === 0) yield* cond.wait();
      log.push(`${name} took ${queue.shift()}`);
    } finally {
      m.unlock();
    }
  });
}

test("notify wakes one waiter in arrival order, notifyAll wakes them all; each re-locks", () => {
  const rt = new Runtime();
  const m = new Mutex();
  const cond = new Condition(m, { name: "items" });
  const queue: string[] = [];
  const log: string[] = [];
  for (const name of ["c1", "c2", "c3"]) consumer(rt, m, cond, queue, log, name);
  rt.spawn(function* () {
    yield;
    yield* m.withLock(function* () {
      queue.push("x");
      cond.notify();
    });
    yield;
    yield;
    yield* m.withLock(function* () {
      queue.push("y", "z");
      cond.notifyAll();
    });
  });
  rt.run();
  expect(log).toEqual(["c1 took x", "c2 took y", "c3 took z"]);
  expect(m.locked).toBe(false);
  expect(cond.waiting).toBe(0);
});

test("wait without holding the mutex is refused", () => {
  const rt = new Runtime();
  const cond = new Condition(new Mutex({ name: "m" }));
  const t = rt.spawn(function* () {
    yield* cond.wait();
  });
  expect(() => rt.run()).toThrow(/must hold mutex "m"/);
  expect((t.outcome as { error: SchedulerError }).error.code).toBe("MUTEX_NOT_HELD");
  expect(() => new Condition({} as Mutex)).toThrow(SchedulerError);
});

test("cancelled while waiting, a thread holds the mutex again in its finally", () => {
  const rt = new Runtime();
  const m = new Mutex();
  const cond = new Condition(m);
  const log: string[] = [];
  const t = rt.spawn(function* (self) {
    yield* m.lock();
    try {
      yield* cond.wait();
    } finally {
      log.push(`holds it: ${m.holder === self}`);
      m.unlock();
    }
  });
  rt.run({ maxSwitches: 1 });
  expect(m.locked).toBe(false); // released while it waits
  t.cancel();
  rt.run();
  expect(log).toEqual(["holds it: true"]);
  expect(cond.waiting).toBe(0);
});

test("a notification given to a waiter cancelled before it ran passes to the next", () => {
  const rt = new Runtime();
  const m = new Mutex();
  const cond = new Condition(m);
  const queue: string[] = [];
  const log: string[] = [];
  const first = consumer(rt, m, cond, queue, log, "first");
  consumer(rt, m, cond, queue, log, "second");
  rt.spawn(function* () {
    yield;
    yield* m.withLock(function* () {
      queue.push("only");
      cond.notify(); // to `first`...
      first.cancel(); // ...which never runs to use it
    });
  });
  rt.run();
  expect(first.outcome).toEqual({ kind: "cancelled" });
  expect(log).toEqual(["second took only"]);
});

test("a deadlock report names the condition and its mutex", () => {
  const rt = new Runtime();
  const m = new Mutex({ name: "state" });
  const cond = new Condition(m, { name: "ready" });
  rt.spawn(function* () {
    yield* m.lock();
    yield* cond.wait();
  });
  try {
    rt.run();
    expect.unreachable();
  } catch (e) {
    expect((e as DeadlockError).blocked[0]!.waitingFor).toBe(
      'notify on condition "ready" (of mutex "state")',
    );
  }
});
