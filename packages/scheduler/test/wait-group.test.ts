import { expect, test } from "vitest";
import { type DeadlockError, Runtime, type SchedulerError, WaitGroup } from "../src/index.js";

test("wait returns once every piece of work is done; all waiters wake together", () => {
  const rt = new Runtime();
  const wg = new WaitGroup();
  const log: string[] = [];
  wg.add(2);
  for (const name of ["w1", "w2"]) {
    rt.spawn(function* () {
      yield* wg.wait();
      log.push(`${name} woke`);
    });
  }
  rt.spawn(function* () {
    yield;
    log.push("first done");
    wg.done();
    yield;
    log.push("second done");
    wg.done();
  });
  rt.run();
  expect(log).toEqual(["first done", "second done", "w1 woke", "w2 woke"]);
  expect(wg.count).toBe(0);
});

test("waiting on a group at 0 returns at once", () => {
  const rt = new Runtime();
  const wg = new WaitGroup();
  const t = rt.spawn(function* () {
    yield* wg.wait();
    return "at once";
  });
  expect(rt.run().switches).toBe(1);
  expect(t.result).toBe("at once");
});

test("a cancelled waiter is forgotten; the others still wake", () => {
  const rt = new Runtime();
  const wg = new WaitGroup();
  wg.add(1);
  const a = rt.spawn(function* () {
    yield* wg.wait();
  });
  const b = rt.spawn(function* () {
    yield* wg.wait();
    return "b woke";
  });
  rt.run({ maxSwitches: 2 });
  a.cancel();
  wg.done(); // from host code
  rt.run();
  expect(a.outcome).toEqual({ kind: "cancelled" });
  expect(b.result).toBe("b woke");
});

test("more done than add is an error and leaves the counter alone", () => {
  const wg = new WaitGroup({ name: "jobs" });
  wg.add(1);
  wg.done();
  try {
    wg.done();
    expect.unreachable();
  } catch (e) {
    expect((e as SchedulerError).code).toBe("WAIT_GROUP_NEGATIVE");
    expect((e as Error).message).toMatch(/done\(\) on wait group "jobs" would make its counter -1/);
  }
  expect(wg.count).toBe(0);
  expect(() => wg.add(0.5)).toThrow(/n must be an integer/);
});

test("a deadlock report says how much work is outstanding", () => {
  const rt = new Runtime();
  const wg = new WaitGroup({ name: "uploads" });
  wg.add(3);
  rt.spawn(function* () {
    yield* wg.wait();
  });
  try {
    rt.run();
    expect.unreachable();
  } catch (e) {
    expect((e as DeadlockError).blocked[0]!.waitingFor).toBe(
      'wait on wait group "uploads" (3 outstanding)',
    );
  }
});
