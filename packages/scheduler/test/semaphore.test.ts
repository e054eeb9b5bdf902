import { expect, test } from "vitest";
import { type DeadlockError, Runtime, SchedulerError, Semaphore } from "../src/index.js";

test("at most `permits` holders at once, served in arrival order", () => {
  const rt = new Runtime();
  const sem = new Semaphore(2, { name: "slots" });
  const entered: number[] = [];
  let inside = 0;
  let most = 0;
  for (let i = 1; i <= 5; i++) {
    rt.spawn(function* () {
      yield* sem.withPermit(function* () {
        entered.push(i);
        most = Math.max(most, ++inside);
        yield;
        yield;
        inside--;
      });
    });
  }
  rt.run();
  expect(most).toBe(2);
  expect(entered).toEqual([1, 2, 3, 4, 5]);
  expect(sem.available).toBe(2);
});

test("a large request at the front is not overtaken by smaller ones", () => {
  const rt = new Runtime();
  const sem = new Semaphore(3);
  const order: string[] = [];
  rt.spawn(function* () {
    yield* sem.acquire(2);
    yield;
    yield;
    sem.release(2);
  });
  rt.spawn(function* () {
    yield* sem.acquire(3);
    order.push("big");
    sem.release(3);
  });
  rt.spawn(function* () {
    yield* sem.acquire(1); // 1 permit is free, but "big" waits first
    order.push("small");
    sem.release(1);
  });
  rt.run();
  expect(order).toEqual(["big", "small"]);
});

test("a semaphore of 0 is a signal; release works from host code", () => {
  const rt = new Runtime();
  const ready = new Semaphore(0);
  const t = rt.spawn(function* () {
    yield* ready.acquire();
    return "signalled";
  });
  rt.run({ maxSwitches: 1 });
  expect(t.state).toBe("blocked");
  ready.release();
  rt.run();
  expect(t.result).toBe("signalled");
  expect(ready.tryAcquire()).toBe(false);
});

test("cancelled while waiting, a thread takes no permit", () => {
  const rt = new Runtime();
  const sem = new Semaphore(1);
  expect(sem.tryAcquire()).toBe(true);
  const waiter = rt.spawn(function* () {
    yield* sem.acquire();
  });
  rt.run({ maxSwitches: 1 });
  waiter.cancel();
  rt.run();
  sem.release();
  expect(waiter.outcome).toEqual({ kind: "cancelled" });
  expect(sem.available).toBe(1);
});

test("permits handed to a waiter cancelled before it ran go to the next waiter", () => {
  const rt = new Runtime();
  const sem = new Semaphore(1);
  const log: string[] = [];
  rt.spawn(function* () {
    yield* sem.acquire();
    yield;
    yield;
    sem.release(); // hands the permit to `first`...
    first.cancel(); // ...which is cancelled before it runs
  });
  const first = rt.spawn(function* () {
    yield* sem.acquire();
    log.push("first got it");
  });
  rt.spawn(function* () {
    yield* sem.acquire();
    log.push("second got it");
    sem.release();
  });
  rt.run();
  expect(first.outcome).toEqual({ kind: "cancelled" });
  expect(log).toEqual(["second got it"]);
  expect(sem.available).toBe(1);
});

test("a deadlock report says how many permits a thread wanted and how many were free", () => {
  const rt = new Runtime();
  const sem = new Semaphore(1, { name: "pool" });
  rt.spawn(
    function* () {
      yield* sem.acquire(2);
    },
    { name: "greedy" },
  );
  try {
    rt.run();
    expect.unreachable();
  } catch (e) {
    expect((e as DeadlockError).blocked[0]!.waitingFor).toBe(
      'acquire(2) on semaphore "pool" (1 permits free)',
    );
  }
  expect(sem.available).toBe(1);
});

test("bad counts are refused", () => {
  expect(() => new Semaphore(-1)).toThrow(SchedulerError);
  const sem = new Semaphore(1);
  expect(() => sem.release(0)).toThrow(/n must be an integer >= 1/);
  expect(() => sem.tryAcquire(1.5)).toThrow(/n must be an integer >= 1/);
  expect(() => [...sem.acquire()]).toThrow(/inside a thread/);
});
