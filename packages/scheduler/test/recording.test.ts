import { describe, expect, test } from "vitest";
import {
  Channel,
  decodeSchedule,
  encodeSchedule,
  FIFO,
  PCT,
  Random,
  Replay,
  ReplayDivergenceError,
  Runtime,
  type Scheduler,
  SchedulerError,
  Stride,
} from "../src/index.js";

function threeThreads(rt: Runtime, log: string[], extraYield = false): void {
  const ch = new Channel<number>(1);
  for (const name of ["a", "b", "c"]) {
    rt.spawn(function* () {
      for (let i = 0; i < 4; i++) {
        log.push(`${name}${i}`);
        if (name === "a" && i === 1) yield* ch.send(i);
        if (name === "c" && i === 2) log.push(`c got ${yield* ch.recv()}`);
        yield;
        if (extraYield && name === "b") yield;
      }
    });
  }
}

describe("schedule strings", () => {
  test("encode and decode round trip, with run-length and large indices", () => {
    const cases = [
      { decisions: [] },
      { decisions: [0, 1, 1, 0, 2] },
      { decisions: [0, 0, 0, 0, 0, 0, 0, 1], switches: 40, hash: 123456 },
      { decisions: [35, 36, 1000, 1000, 1000, 1000, 1000, 7], switches: 1, hash: 0 },
    ];
    for (const c of cases) {
      const s = encodeSchedule(c);
      expect(decodeSchedule(s)).toEqual(c);
    }
    expect(encodeSchedule({ decisions: [0, 1, 1, 0, 2] })).toBe("01102");
    expect(encodeSchedule({ decisions: [0, 0, 0, 0, 0, 0, 0, 1], switches: 40, hash: 35 })).toBe(
      "0~7.1@14:z",
    );
    expect(encodeSchedule({ decisions: [35, 36, 1000] })).toBe("z(10)(rs)");
  });

  test("malformed strings are SchedulerErrors with the position", () => {
    expect(() => decodeSchedule("01X")).toThrow(
      /bad schedule string at character 3 \(unexpected "X"\)/,
    );
    expect(() => decodeSchedule("0~.")).toThrow(/expected ~<count>/);
    expect(() => decodeSchedule("(1")).toThrow(/expected \(<base-36 number>\)/);
    expect(() => decodeSchedule("01@1")).toThrow(/expected @<switches>:<hash>/);
    expect(() => new Replay("?")).toThrow(SchedulerError);
  });
});

describe("recording and Replay", () => {
  test("forced picks are not decisions; the string is compact", () => {
    const rt = new Runtime({ record: true });
    rt.spawn(function* () {
      for (let i = 0; i < 100; i++) yield;
    });
    const s = rt.run();
    expect(s.schedule).toBe(
      `@${(101).toString(36)}:${decodeSchedule(s.schedule!).hash!.toString(36)}`,
    );
    expect(rt.schedule).toBe(s.schedule);
  });

  test("round robin over two threads records alternating indices", () => {
    const rt = new Runtime({ record: true });
    for (let k = 0; k < 2; k++) {
      rt.spawn(function* () {
        yield;
        yield;
      });
    }
    // Picks 1 2 1 2 1 2. The ready set (by id) is {1,2} at every pick but the
    // last, where thread 1 is done and thread 2 is picked without a choice.
    const d = decodeSchedule(rt.run().schedule!).decisions;
    expect(d).toEqual([0, 1, 0, 1, 0]);
  });

  test("Replay reproduces a recorded run exactly, switch for switch, under any policy", () => {
    const policies: Scheduler[] = [
      new FIFO(),
      new Random({ seed: 11 }),
      new PCT({ seed: 3, depth: 3, steps: 20 }),
      new Stride(),
    ];
    for (const scheduler of policies) {
      const rt = new Runtime({ scheduler, record: true });
      const log: string[] = [];
      threeThreads(rt, log);
      const summary = rt.run();
      const replay = new Runtime({ scheduler: new Replay(summary.schedule!), record: true });
      const log2: string[] = [];
      threeThreads(replay, log2);
      const summary2 = replay.run();
      expect(log2).toEqual(log);
      expect(summary2.switches).toBe(summary.switches);
      // A replayed run records the same schedule.
      expect(summary2.schedule).toBe(summary.schedule);
    }
  });

  test("Replay fails with a clear error on divergence", () => {
    const rt = new Runtime({ scheduler: new Random({ seed: 5 }), record: true });
    threeThreads(rt, []);
    const schedule = rt.run().schedule!;

    // The body changed: b yields twice as often.
    const changed = new Runtime({ scheduler: new Replay(schedule) });
    threeThreads(changed, [], true);
    expect(() => changed.run()).toThrow(ReplayDivergenceError);

    // Too few decisions.
    const short = new Runtime({ scheduler: new Replay("0") });
    threeThreads(short, []);
    expect(() => short.run()).toThrow(
      /replay diverged from schedule "0" at switch \d+: the schedule has no decision left, but \d threads are ready \(thread #\d/,
    );

    // An index out of range.
    const wide = new Runtime({ scheduler: new Replay("9") });
    threeThreads(wide, []);
    expect(() => wide.run()).toThrow(/decision 1 picks ready thread index 9, but only 3 are ready/);

    // Decisions left over at the end.
    const long = new Runtime({ scheduler: new Replay(`${schedule.split("@")[0]}000`) });
    threeThreads(long, []);
    expect(() => long.run()).toThrow(/with 3 decisions of the schedule unused/);

    // Same decisions, other threads: caught by the hash.
    const d = decodeSchedule(schedule);
    const forged = encodeSchedule({ ...d, hash: (d.hash! + 1) >>> 0 });
    const other = new Runtime({ scheduler: new Replay(forged) });
    threeThreads(other, []);
    expect(() => other.run()).toThrow(/picked other threads than the recorded one/);

    // More switches than recorded.
    const fewer = encodeSchedule({ ...d, switches: 3 });
    const more = new Runtime({ scheduler: new Replay(fewer) });
    threeThreads(more, []);
    expect(() => more.run()).toThrow(/the recorded run ended after 3 switches/);
  });

  test("a failing run's schedule replays the failure", () => {
    const body = (rt: Runtime) => {
      let x = 0;
      for (let i = 0; i < 2; i++) {
        rt.spawn(function* () {
          const v = x;
          yield;
          x = v + 1;
          if (i === 1 && x !== 2) throw new Error(`lost update: x = ${x}`);
        });
      }
    };
    let schedule: string | undefined;
    for (let seed = 0; schedule === undefined; seed++) {
      const rt = new Runtime({ scheduler: new Random({ seed }), record: true });
      body(rt);
      try {
        rt.run();
      } catch {
        schedule = rt.schedule;
      }
    }
    const rt = new Runtime({ scheduler: new Replay(schedule) });
    body(rt);
    expect(() => rt.run()).toThrow(/lost update: x = 1/);
  });
});
