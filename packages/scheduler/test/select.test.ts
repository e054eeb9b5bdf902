import { describe, expect, test } from "vitest";
import {
  Channel,
  ChannelClosedError,
  DeadlockError,
  defaultCase,
  explore,
  PCT,
  Random,
  Replay,
  RoundRobin,
  Runtime,
  recvCase,
  SchedulerError,
  select,
  sendCase,
  timeoutCase,
} from "../src/index.js";

/** Two buffered channels, both holding values, and one thread selecting `n` times over them. */
function selectOverReady(rt: Runtime, n: number): number[] {
  const a = new Channel<number>(n);
  const b = new Channel<number>(n);
  for (let i = 0; i < n; i++) {
    a.trySend(i);
    b.trySend(i);
  }
  const picks: number[] = [];
  rt.spawn(function* () {
    for (let i = 0; i < n; i++) picks.push((yield* select([recvCase(a), recvCase(b)])).index);
  });
  return picks;
}

describe("select: which ready case", () => {
  test("under Random the choice is uniform", () => {
    const rt = new Runtime({ scheduler: new Random({ seed: 11 }) });
    const picks = selectOverReady(rt, 2000);
    rt.run();
    const ones = picks.filter((i) => i === 1).length;
    // Binomial(2000, 1/2): 5 standard deviations is about 112.
    expect(Math.abs(ones - 1000)).toBeLessThan(112);
  });

  test("a policy without choose() rotates: every ready case gets its turn", () => {
    const rt = new Runtime();
    const picks = selectOverReady(rt, 6);
    rt.run();
    expect(picks).toEqual([0, 1, 0, 1, 0, 1]);
  });

  test("a recorded run replays its choices exactly, and a wrong one diverges", () => {
    const rt = new Runtime({ scheduler: new Random({ seed: 4 }), record: true });
    const picks = selectOverReady(rt, 40);
    const schedule = rt.run().schedule!;
    const again = new Runtime({ scheduler: new Replay(schedule) });
    const replayed = selectOverReady(again, 40);
    again.run();
    expect(replayed).toEqual(picks);
    expect(new Set(picks).size).toBe(2);
    // Flip the first choice: the run follows it, and the hash of picks still matches.
    const flipped = `${picks[0] === 0 ? "1" : "0"}${schedule.slice(1)}`;
    const other = new Runtime({ scheduler: new Replay(flipped) });
    const otherPicks = selectOverReady(other, 40);
    other.run();
    expect(otherPicks[0]).toBe(1 - picks[0]!);
    expect(otherPicks.slice(1)).toEqual(picks.slice(1));
  });

  test("dfs explores every choice", () => {
    const seen = new Set<string>();
    const r = explore(
      (rt) => {
        const picks = selectOverReady(rt, 3);
        return () => void seen.add(picks.join(""));
      },
      { strategy: "dfs" },
    );
    expect(r.exhausted).toBe(true);
    expect([...seen].sort()).toEqual(["000", "001", "010", "011", "100", "101", "110", "111"]);
  });
});

describe("select: exactly one case happens", () => {
  test("parked on two channels, the first sender wins; the other sender keeps its value", () => {
    const rt = new Runtime();
    const a = new Channel<string>(0, { name: "a" });
    const b = new Channel<string>(0, { name: "b" });
    const got: string[] = [];
    rt.spawn(function* () {
      const r = yield* select([recvCase(a), recvCase(b)]);
      got.push(`${r.index}:${r.value}`);
      yield;
      yield;
      got.push(`later ${yield* a.recv()}`);
    });
    const log: string[] = [];
    rt.spawn(function* () {
      yield* b.send("from b");
      log.push("b sent");
    });
    rt.spawn(function* () {
      yield* a.send("from a");
      log.push("a sent");
    });
    rt.run();
    expect(got).toEqual(["1:from b", "later from a"]);
    expect(log).toEqual(["b sent", "a sent"]);
  });

  test("a parked send case is taken by a receiver; the receive case leaves no trace", () => {
    const rt = new Runtime();
    const out = new Channel<number>(0, { name: "out" });
    const inbox = new Channel<number>(0, { name: "in" });
    const t = rt.spawn(function* () {
      return (yield* select([recvCase(inbox), sendCase(out, 5)])).kind;
    });
    const r = rt.spawn(function* () {
      yield;
      return yield* out.recv();
    });
    rt.run();
    expect(t.result).toBe("send");
    expect(r.result).toBe(5);
    expect(inbox.trySend(1)).toBe(false); // nobody waits on inbox any more
  });

  test("a send and a receive on the same channel in one select", () => {
    const rt = new Runtime();
    const ch = new Channel<number>(0);
    const t = rt.spawn(function* () {
      return yield* select([recvCase(ch), sendCase(ch, 1)]);
    });
    rt.spawn(function* () {
      yield;
      yield* ch.send(9);
    });
    rt.run();
    expect(t.result).toEqual({ index: 0, kind: "recv", done: false, value: 9 });
    expect(ch.size).toBe(0);
  });

  test("default case when nothing is ready; timeout 0 as well, even under run()", () => {
    const rt = new Runtime();
    const ch = new Channel<number>(0);
    const t = rt.spawn(function* () {
      const a = yield* select([recvCase(ch), defaultCase()]);
      const b = yield* select([sendCase(ch, 1), timeoutCase(0)]);
      return [a.kind, a.index, b.kind, b.index];
    });
    rt.run();
    expect(t.result).toEqual(["default", 1, "timeout", 1]);
    expect(ch.size).toBe(0);
  });

  test("a timeout case under runAsync(): nothing taken, a later sender finds nobody", async () => {
    const rt = new Runtime();
    const ch = new Channel<number>(0);
    const t = rt.spawn(function* () {
      return (yield* select([recvCase(ch), timeoutCase(5)])).kind;
    });
    await rt.runAsync();
    expect(t.result).toBe("timeout");
    expect(ch.trySend(1)).toBe(false);
  });

  test("a timeout case needs runAsync() when it would wait", () => {
    const rt = new Runtime();
    const ch = new Channel<number>(0);
    const t = rt.spawn(function* () {
      yield* select([recvCase(ch), timeoutCase(5)]);
    });
    expect(() => rt.run()).toThrow(/needs rt.runAsync/);
    expect((t.outcome as { error: SchedulerError }).error.code).toBe("NEEDS_RUN_ASYNC");
  });
});

describe("select: cancellation and closing", () => {
  test("cancelled while parked, it takes nothing and offers nothing", () => {
    const rt = new Runtime();
    const a = new Channel<number>(0);
    const b = new Channel<number>(0);
    const t = rt.spawn(function* () {
      yield* select([recvCase(a), sendCase(b, 1)]);
    });
    rt.run({ maxSwitches: 1 });
    expect(t.state).toBe("blocked");
    t.cancel();
    rt.run();
    expect(t.outcome).toEqual({ kind: "cancelled" });
    expect(a.trySend(1)).toBe(false);
    const r = rt.spawn(function* () {
      return (yield* select([recvCase(b), defaultCase()])).kind;
    });
    rt.run();
    expect(r.result).toBe("default");
  });

  test("cancelled after a value was handed to it, the value goes back to the channel", () => {
    const rt = new Runtime();
    const a = new Channel<number>(0);
    const b = new Channel<number>(0);
    const t = rt.spawn(function* () {
      yield* select([recvCase(a), recvCase(b)]);
    });
    const next = rt.spawn(function* () {
      yield;
      yield;
      return yield* b.recv();
    });
    rt.spawn(function* () {
      yield;
      expect(b.trySend(42)).toBe(true); // handed to the select
      t.cancel(); // before it ran
    });
    rt.run();
    expect(t.outcome).toEqual({ kind: "cancelled" });
    expect(next.result).toBe(42);
  });

  test("close wakes a receive case with done, and a send case with ChannelClosedError", () => {
    const rt = new Runtime();
    const a = new Channel<number>(0);
    const b = new Channel<number>(0);
    const r = rt.spawn(function* () {
      return yield* select([recvCase(a)]);
    });
    const s = rt.spawn(function* () {
      yield* select([sendCase(b, 1)]);
    });
    rt.spawn(function* () {
      a.close();
      b.close();
    });
    expect(() => rt.run()).toThrow(/send on closed channel/);
    expect(r.result).toEqual({ index: 0, kind: "recv", done: true, value: undefined });
    expect((s.outcome as { error: unknown }).error).toBeInstanceOf(ChannelClosedError);
  });

  test("a deadlock report names every case a select waits on", () => {
    const rt = new Runtime();
    const a = new Channel<number>(0, { name: "a" });
    const b = new Channel<number>(1, { name: "b" });
    b.trySend(0);
    rt.spawn(
      function* () {
        yield* select([recvCase(a), sendCase(b, 1)]);
      },
      { name: "selector" },
    );
    try {
      rt.run();
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(DeadlockError);
      expect((e as DeadlockError).blocked[0]!.waitingFor).toBe(
        'select on recv on channel "a" (capacity 0, 0 buffered) or send on channel "b" (capacity 1, 1 buffered)',
      );
    }
    expect(b.size).toBe(1);
  });

  test("bad cases are refused with BAD_ARGUMENT", () => {
    const rt = new Runtime();
    const ch = new Channel<number>();
    const codes: string[] = [];
    rt.spawn(function* () {
      for (const cases of [
        [],
        [defaultCase(), timeoutCase(0)],
        [{ kind: "maybe" }],
        ch,
      ] as never[]) {
        try {
          yield* select(cases);
        } catch (e) {
          codes.push((e as SchedulerError).code);
        }
      }
    });
    rt.run();
    expect(codes).toEqual(["BAD_ARGUMENT", "BAD_ARGUMENT", "BAD_ARGUMENT", "BAD_ARGUMENT"]);
    expect(() => recvCase({} as never)).toThrow(SchedulerError);
    expect(() => timeoutCase(-1)).toThrow(/ms must be a number >= 0/);
    expect(() => [...select([recvCase(ch)])]).toThrow(/must be called from inside a thread/);
  });
});

describe("Runtime.choose", () => {
  test("checks its argument and the policy's answer; Replay diverges on a choice out of range", () => {
    const rt = new Runtime();
    expect(() => rt.choose(0)).toThrow(/n must be an integer >= 1/);
    expect(rt.choose(1)).toBe(0);
    const liar = new RoundRobin() as RoundRobin & { choose(n: number): number };
    liar.choose = (n) => n;
    expect(() => new Runtime({ scheduler: liar }).choose(2)).toThrow(/chose 2 of 2 options/);
    const replay = new Runtime({ scheduler: new Replay("5") });
    expect(() => replay.choose(3)).toThrow(/chooses option 5, but only 3 were possible/);
    const empty = new Runtime({ scheduler: new Replay("") });
    expect(() => empty.choose(2)).toThrow(/no decision left/);
  });

  test("PCT chooses from its seeded stream: the same seed, the same choices", () => {
    const picks = (seed: number) => {
      const rt = new Runtime({ scheduler: new PCT({ seed }) });
      return Array.from({ length: 20 }, () => rt.choose(4)).join("");
    };
    expect(picks(3)).toBe(picks(3));
    expect(new Set(picks(3)).size).toBeGreaterThan(1);
  });
});
