/** Every error the package throws on purpose carries a stable code. */
import { expect, test } from "vitest";
import {
  Channel,
  ChannelClosedError,
  DeadlockError,
  join,
  Mutex,
  RunFailedError,
  Runtime,
  SchedulerError,
  Stride,
  sleep,
} from "../src/index.js";
import { spawnMachine } from "../src/machine/index.js";

function codeOf(f: () => unknown): string | undefined {
  try {
    f();
  } catch (e) {
    return e instanceof SchedulerError ? e.code : `not a SchedulerError: ${String(e)}`;
  }
  return undefined;
}

test("misuse of the API has a code per kind of mistake", () => {
  const rt = new Runtime();
  expect(codeOf(() => rt.spawn((() => 1) as never))).toBe("NOT_A_GENERATOR_FUNCTION");
  expect(codeOf(() => rt.spawn(function* () {}, 7 as never))).toBe("BAD_ARGUMENT");
  const stride = new Runtime({ scheduler: new Stride() });
  expect(codeOf(() => stride.spawn(function* () {}, { tickets: 0 }))).toBe("BAD_ARGUMENT");
  expect(codeOf(() => [...sleep(1)])).toBe("NOT_IN_THREAD");
  const other = new Runtime();
  const foreign = other.spawn(function* () {});
  rt.spawn(function* () {
    yield* join(foreign);
  });
  try {
    rt.run();
    expect.unreachable();
  } catch (e) {
    expect((e as SchedulerError).code).toBe("RUN_FAILED");
    expect(((e as RunFailedError).errors[0] as SchedulerError).code).toBe("FOREIGN_THREAD");
  }
  expect(codeOf(() => spawnMachine(new Runtime(), "bogus", {}))).toBe("INVALID_PROGRAM");
});

test("errors that end a run, and their causes, have codes", () => {
  const rt = new Runtime();
  const ch = new Channel<number>(0);
  rt.spawn(function* () {
    yield* ch.recv();
  });
  let caught: unknown;
  try {
    rt.run();
  } catch (e) {
    caught = e;
  }
  expect(caught).toBeInstanceOf(DeadlockError);
  expect((caught as DeadlockError).code).toBe("DEADLOCK");

  const rt2 = new Runtime();
  const closed = new Channel<number>(1);
  closed.close();
  const m = new Mutex();
  rt2.spawn(function* () {
    yield* closed.send(1);
  });
  rt2.spawn(function* () {
    yield* m.lock();
    yield* m.lock();
  });
  try {
    rt2.run();
  } catch (e) {
    caught = e;
  }
  expect(caught).toBeInstanceOf(RunFailedError);
  const codes = (caught as RunFailedError).errors.map((e) => (e as SchedulerError).code);
  expect(codes.sort()).toEqual(["CHANNEL_CLOSED", "MUTEX_REENTERED"]);
  expect((caught as RunFailedError).errors.some((e) => e instanceof ChannelClosedError)).toBe(true);
});
