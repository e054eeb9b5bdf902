import { describe, expect, test } from "vitest";
import {
  all,
  Channel,
  type DeadlockError,
  join,
  RunFailedError,
  Runtime,
  race,
  type SchedulerError,
  scope,
  ThreadCancelledError,
} from "../src/index.js";

/** A child that runs until cancelled and logs its cleanup. */
const forever = (log: string[], name: string) =>
  function* () {
    try {
      for (;;) yield;
    } finally {
      log.push(`${name} finally`);
    }
  };

describe("scope: children cannot outlive it", () => {
  test("when the body returns, running children are cancelled and cleaned up first", () => {
    const rt = new Runtime();
    const log: string[] = [];
    let kids: { outcome: unknown }[] = [];
    const t = rt.spawn(function* () {
      const v = yield* scope(function* (s) {
        kids = [s.spawn(forever(log, "a")), s.spawn(forever(log, "b"))];
        yield;
        return "body done";
      });
      log.push(`scope returned ${v}`);
      return v;
    });
    rt.run();
    expect(t.result).toBe("body done");
    expect(log).toEqual(["a finally", "b finally", "scope returned body done"]);
    expect(kids.map((k) => k.outcome)).toEqual([{ kind: "cancelled" }, { kind: "cancelled" }]);
  });

  test("when the body throws, children are cancelled and the body's error is thrown", () => {
    const rt = new Runtime();
    const log: string[] = [];
    const t = rt.spawn(function* () {
      try {
        yield* scope(function* (s) {
          s.spawn(forever(log, "child"));
          yield;
          throw new Error("body broke");
        });
      } catch (e) {
        log.push((e as Error).message);
      }
    });
    rt.run();
    expect(t.outcome?.kind).toBe("returned");
    expect(log).toEqual(["child finally", "body broke"]);
  });

  test("when the owner is cancelled while the body blocks, children end before the owner's finally", () => {
    const rt = new Runtime();
    const log: string[] = [];
    const never = new Channel<number>(0);
    const owner = rt.spawn(function* () {
      try {
        yield* scope(function* (s) {
          s.spawn(forever(log, "child"));
          try {
            yield* never.recv();
          } finally {
            log.push("body finally");
          }
        });
      } finally {
        log.push("owner finally");
      }
    });
    rt.spawn(function* () {
      yield;
      yield;
      owner.cancel();
    });
    rt.run();
    expect(owner.outcome).toEqual({ kind: "cancelled" });
    expect(log).toEqual(["body finally", "child finally", "owner finally"]);
    expect(never.trySend(1)).toBe(false);
  });

  test("a child's error cancels its siblings and the body, and the scope throws it once", () => {
    const rt = new Runtime();
    const log: string[] = [];
    const jobs = new Channel<string>(0, { name: "jobs" });
    const boom = new Error("child broke");
    const t = rt.spawn(function* () {
      try {
        yield* scope(function* (s) {
          s.spawn(forever(log, "sibling"));
          s.spawn(function* () {
            yield;
            throw boom;
          });
          try {
            yield* jobs.recv(); // blocked here when the child fails
            log.push("body went on");
          } catch {
            log.push("body caught"); // a cancellation is not an error: never here
          } finally {
            log.push("body finally");
          }
        });
      } catch (e) {
        return e;
      }
    });
    const sender = rt.spawn(function* () {
      for (let i = 0; i < 4; i++) yield;
      return jobs.trySend("late"); // the body's receive left no trace
    });
    const summary = rt.run(); // no RunFailedError: the scope handled the child's error
    expect(t.result).toBe(boom);
    expect(log).toEqual(["body finally", "sibling finally"]);
    expect(sender.result).toBe(false);
    expect(summary.failed).toBe(1);
  });

  test("a child failing while the body joins another child", () => {
    const rt = new Runtime();
    const t = rt.spawn(function* () {
      return yield* scope(function* (s) {
        const slow = s.spawn(function* () {
          for (;;) yield;
        });
        s.spawn(function* () {
          yield;
          throw new Error("fast failure");
        });
        return yield* join(slow);
      });
    });
    expect(() => rt.run()).toThrow(/fast failure/);
    expect((t.outcome as { error: Error }).error.message).toBe("fast failure");
  });

  test("later errors are not hidden: the run reports them", () => {
    const rt = new Runtime();
    rt.spawn(function* () {
      yield* scope(function* (s) {
        s.spawn(function* () {
          try {
            for (;;) yield;
          } finally {
            // biome-ignore lint/correctness/noUnsafeFinally: a cleanup that fails
            throw new Error("cleanup failed");
          }
        });
        s.spawn(function* () {
          yield;
          throw new Error("first");
        });
        for (;;) yield;
      });
    });
    try {
      rt.run();
      expect.unreachable();
    } catch (e) {
      const messages = (e as RunFailedError).errors.map((x) => (x as Error).message).sort();
      expect(messages).toEqual(["cleanup failed", "first"]);
    }
  });

  test("nested scopes end inside out", () => {
    const rt = new Runtime();
    const log: string[] = [];
    rt.spawn(function* () {
      yield* scope(function* (outer) {
        outer.spawn(forever(log, "outer child"));
        yield* scope(function* (inner) {
          inner.spawn(forever(log, "inner child"));
          yield;
        });
        log.push("inner scope done");
      });
      log.push("outer scope done");
    });
    rt.run();
    expect(log).toEqual([
      "inner child finally",
      "inner scope done",
      "outer child finally",
      "outer scope done",
    ]);
  });

  test("a child blocked in its cleanup shows up in a deadlock report as the scope's wait", () => {
    const rt = new Runtime();
    const stuck = new Channel<number>(0, { name: "stuck" });
    rt.spawn(
      function* () {
        yield* scope(function* (s) {
          s.spawn(
            function* () {
              try {
                for (;;) yield;
              } finally {
                yield* stuck.recv();
              }
            },
            { name: "child" },
          );
          yield;
        });
      },
      { name: "owner" },
    );
    try {
      rt.run();
      expect.unreachable();
    } catch (e) {
      expect((e as DeadlockError).blocked.map((b) => `${b.thread.label}: ${b.waitingFor}`)).toEqual(
        [
          'thread "owner" (#1): scope to end: its children thread "child" (#2) are finishing',
          'thread "child" (#2): recv on channel "stuck" (capacity 0, 0 buffered)',
        ],
      );
    }
  });

  test("misuse: spawning after the end, a body that is not a generator function", () => {
    const rt = new Runtime();
    const codes: string[] = [];
    rt.spawn(function* () {
      let kept: { spawn: (b: never) => unknown } | undefined;
      yield* scope(function* (s) {
        kept = s as never;
      });
      for (const f of [
        () => kept!.spawn(function* () {} as never),
        () => scope(1 as never),
        () =>
          scope(function* (s) {
            s.spawn((() => 1) as never);
          }),
      ]) {
        try {
          yield* f() as Generator<never>;
        } catch (e) {
          codes.push((e as SchedulerError).code);
        }
      }
    });
    rt.run();
    expect(codes).toEqual(["SCOPE_ENDED", "BAD_ARGUMENT", "NOT_A_GENERATOR_FUNCTION"]);
  });
});

describe("all and race", () => {
  test("all gives results in order; an empty list gives []", () => {
    const rt = new Runtime();
    const t = rt.spawn(function* () {
      const xs = yield* all([
        function* () {
          for (let i = 0; i < 3; i++) yield;
          return "slow";
        },
        function* () {
          return 2;
        },
      ]);
      const none = yield* all([]);
      return [xs, none];
    });
    rt.run();
    expect(t.result).toEqual([["slow", 2], []]);
  });

  test("all: one failure cancels the others and is thrown", () => {
    const rt = new Runtime();
    const log: string[] = [];
    const t = rt.spawn(function* () {
      try {
        yield* all([
          forever(log, "a"),
          function* () {
            yield;
            throw new Error("b failed");
          },
          forever(log, "c"),
        ]);
      } catch (e) {
        log.push((e as Error).message);
      }
    });
    rt.run();
    expect(t.outcome?.kind).toBe("returned");
    // Both cleanups ran (in the order the policy resumed them) before all() threw.
    expect(log.slice(0, 2).sort()).toEqual(["a finally", "c finally"]);
    expect(log[2]).toBe("b failed");
  });

  test("all: cancelling the caller cancels every child", () => {
    const rt = new Runtime();
    const log: string[] = [];
    const t = rt.spawn(function* () {
      yield* all([forever(log, "a"), forever(log, "b")]);
    });
    rt.spawn(function* () {
      yield;
      yield;
      t.cancel();
    });
    rt.run();
    expect(t.outcome).toEqual({ kind: "cancelled" });
    expect(log).toEqual(["a finally", "b finally"]);
  });

  test("race: the first to finish wins, the losers are cleaned up before it returns", () => {
    const rt = new Runtime();
    const log: string[] = [];
    const t = rt.spawn(function* () {
      const v = yield* race([
        forever(log, "loser") as never,
        function* () {
          yield;
          return "winner";
        },
      ]);
      log.push(`race gave ${v}`);
      return v;
    });
    rt.run();
    expect(t.result).toBe("winner");
    expect(log).toEqual(["loser finally", "race gave winner"]);
  });

  test("race: a failure that comes first is thrown; an empty race is refused", () => {
    const rt = new Runtime();
    const t = rt.spawn(function* () {
      return yield* race([
        function* () {
          for (let i = 0; i < 5; i++) yield;
          return "late";
        },
        function* (): Generator<unknown, string> {
          yield;
          throw new ThreadCancelledError("gave up");
        },
      ]);
    });
    const empty = rt.spawn(function* () {
      yield* race([]);
    });
    expect(() => rt.run()).toThrow(RunFailedError);
    expect((t.outcome as { error: Error }).error.message).toBe("gave up");
    expect((empty.outcome as { error: SchedulerError }).error.code).toBe("BAD_ARGUMENT");
  });
});

test("a child cancelled before its first step ends with the scope too", () => {
  const rt = new Runtime();
  let kid: { done: boolean; outcome: unknown } | undefined;
  const t = rt.spawn(function* () {
    yield* scope(function* (s) {
      kid = s.spawn(function* () {
        yield;
      });
      // The body returns before the child ever ran.
    });
    return kid!.done;
  });
  rt.run();
  expect(t.result).toBe(true);
  expect(kid!.outcome).toEqual({ kind: "cancelled" });
});

test("race: cancelling the caller cancels every runner", () => {
  const rt = new Runtime();
  const log: string[] = [];
  const t = rt.spawn(function* () {
    yield* race([forever(log, "a") as never, forever(log, "b") as never]);
  });
  rt.spawn(function* () {
    yield;
    yield;
    t.cancel();
  });
  rt.run();
  expect(t.outcome).toEqual({ kind: "cancelled" });
  expect(log.sort()).toEqual(["a finally", "b finally"]);
});

test("the owner cancelled while the scope waits for its children still waits for them", () => {
  const rt = new Runtime();
  const log: string[] = [];
  const owner = rt.spawn(function* () {
    try {
      yield* scope(function* (s) {
        s.spawn(function* () {
          try {
            for (;;) yield;
          } finally {
            for (let i = 0; i < 3; i++) yield; // a slow cleanup
            log.push("child cleaned up");
          }
        });
        yield;
      });
    } finally {
      log.push("owner finally");
    }
  });
  rt.spawn(function* () {
    for (let i = 0; i < 3; i++) yield;
    expect(owner.state).toBe("blocked"); // in the scope's end, waiting
    owner.cancel();
  });
  rt.run();
  expect(owner.outcome).toEqual({ kind: "cancelled" });
  expect(log).toEqual(["child cleaned up", "owner finally"]);
});
