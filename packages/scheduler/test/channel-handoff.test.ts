import { describe, expect, test } from "vitest";
import {
  Channel,
  DeadlockError,
  Random,
  Runtime,
  SchedulerError,
  type Thread,
} from "../src/index.js";

/** Spawn a thread that receives once; run it until it is parked on `ch`. */
function parkedReceiver<T>(rt: Runtime, ch: Channel<T>, name: string): Thread<T> {
  const t = rt.spawn(
    function* () {
      return yield* ch.recv();
    },
    { name },
  );
  rt.run({ maxSwitches: 1 });
  expect(t.state).toBe("blocked");
  return t;
}

describe("Channel: a value handed to a receiver cancelled before it ran is not lost", () => {
  test("rendezvous: the sender has gone on; the next receiver gets the value", () => {
    const rt = new Runtime();
    const ch = new Channel<string>(0);
    const r1 = parkedReceiver(rt, ch, "r1");
    expect(ch.trySend("a")).toBe(true); // handed to r1, which is ready now
    expect(r1.state).toBe("ready");
    r1.cancel();
    const r2 = rt.spawn(function* () {
      return yield* ch.recv();
    });
    rt.run();
    expect(r1.outcome).toEqual({ kind: "cancelled" });
    expect(r2.result).toBe("a");
  });

  test("the value goes to the next receiver already waiting", () => {
    const rt = new Runtime();
    const ch = new Channel<string>(0);
    const r1 = parkedReceiver(rt, ch, "r1");
    const r2 = parkedReceiver(rt, ch, "r2");
    const sender = rt.spawn(function* () {
      yield* ch.send("a"); // hands "a" to r1 and goes on
      r1.cancel();
      return "sent";
    });
    rt.run();
    expect(sender.result).toBe("sent");
    expect(r1.outcome).toEqual({ kind: "cancelled" });
    expect(r2.result).toBe("a");
  });

  test("buffered: the value goes back in front of what was buffered since", () => {
    const rt = new Runtime();
    const ch = new Channel<string>(2);
    const r1 = parkedReceiver(rt, ch, "r1");
    expect(ch.trySend("a")).toBe(true); // to r1
    expect(ch.trySend("b")).toBe(true);
    expect(ch.trySend("c")).toBe(true);
    expect(ch.trySend("d")).toBe(false); // full
    r1.cancel();
    rt.run(); // r1 runs its cancellation and gives "a" back
    expect(r1.outcome).toEqual({ kind: "cancelled" });
    expect(ch.size).toBe(3);
    ch.close();
    const drain = rt.spawn(function* () {
      const got: string[] = [];
      for (let r = yield* ch.next(); !r.done; r = yield* ch.next()) got.push(r.value);
      return got;
    });
    rt.run();
    expect(drain.result).toEqual(["a", "b", "c"]);
  });

  test("a given-back value does not let a rendezvous sender think it was received", () => {
    const rt = new Runtime();
    const ch = new Channel<string>(0);
    const r1 = parkedReceiver(rt, ch, "r1");
    ch.trySend("a");
    r1.cancel();
    const log: string[] = [];
    rt.spawn(function* () {
      yield* ch.send("b");
      log.push("b taken");
    });
    rt.run({ maxSwitches: 2 }); // r1 gives "a" back; the sender parks with "b"
    expect(log).toEqual([]);
    expect(ch.size).toBe(1);
    const r2 = rt.spawn(function* () {
      const first = yield* ch.recv();
      log.push(`got ${first}`);
      const second = yield* ch.recv();
      log.push(`got ${second}`);
    });
    rt.run();
    expect(r2.outcome?.kind).toBe("returned");
    expect(log).toEqual(["got a", "got b", "b taken"]);
  });

  test("after close() the given-back value is still received, also by receivers woken by close", () => {
    const rt = new Runtime();
    const ch = new Channel<number>(0);
    const r1 = parkedReceiver(rt, ch, "r1");
    const r2 = rt.spawn(function* () {
      return yield* ch.next();
    });
    rt.run({ maxSwitches: 1 });
    expect(r2.state).toBe("blocked");
    ch.trySend(7); // to r1
    ch.close(); // wakes r2 to the end of the channel
    r1.cancel();
    rt.run(); // r1 gives 7 back first, so r2 receives it
    expect(r1.outcome).toEqual({ kind: "cancelled" });
    expect(r2.result).toEqual({ done: false, value: 7 });
    expect(ch.size).toBe(0);
  });

  test("next() keeps the value too", () => {
    const rt = new Runtime();
    const ch = new Channel<number>(1);
    const r1 = rt.spawn(function* () {
      return yield* ch.next();
    });
    rt.run({ maxSwitches: 1 });
    ch.trySend(1);
    r1.cancel();
    rt.run();
    expect(ch.size).toBe(1);
  });

  test("a receiver cancelled while still waiting takes nothing", () => {
    const rt = new Runtime();
    const ch = new Channel<number>(0);
    const r1 = parkedReceiver(rt, ch, "r1");
    r1.cancel();
    rt.run();
    const r2 = parkedReceiver(rt, ch, "r2");
    expect(ch.trySend(5)).toBe(true);
    rt.run();
    expect(r2.result).toBe(5);
  });

  test("under random schedules and cancellations every sent value is received exactly once", () => {
    for (let seed = 1; seed <= 40; seed++) {
      const rt = new Runtime({ scheduler: new Random({ seed }) });
      const ch = new Channel<number>(seed % 3);
      const received: number[] = [];
      const receivers: Thread[] = [];
      for (let i = 0; i < 4; i++) {
        receivers.push(
          rt.spawn(function* () {
            for (;;) received.push(yield* ch.recv());
          }),
        );
      }
      const sent: number[] = [];
      const producer = rt.spawn(function* () {
        for (let v = 0; v < 30; v++) {
          yield* ch.send(v);
          sent.push(v);
          // Cancel a receiver now and then, often right after handing it a value.
          if (v % 7 === 3) receivers[(v + seed) % receivers.length]!.cancel();
        }
        ch.close();
      });
      try {
        rt.run();
      } catch (e) {
        // Receivers blocked after every one that could take values was cancelled.
        expect(e).toBeInstanceOf(DeadlockError);
      }
      // What the channel still holds (buffered or given back) is drained after close.
      if (!ch.closed) ch.close();
      const left: number[] = [];
      const drain = new Runtime();
      drain.spawn(function* () {
        for (let r = yield* ch.next(); !r.done; r = yield* ch.next()) left.push(r.value);
      });
      drain.run();
      const all = [...received, ...left].sort((a, b) => a - b);
      expect(all, `seed ${seed}`).toEqual(sent);
      expect(new Set(all).size, `seed ${seed}`).toBe(all.length);
      expect(producer.done || sent.length < 30, `seed ${seed}`).toBe(true);
    }
  });
});

describe("Channel: a sender cancelled while in send()", () => {
  test("before its value was taken: nothing is sent", () => {
    const rt = new Runtime();
    const ch = new Channel<string>(0);
    const s = rt.spawn(function* () {
      yield* ch.send("x");
    });
    rt.run({ maxSwitches: 1 });
    expect(s.state).toBe("blocked");
    s.cancel();
    rt.run();
    expect(s.outcome).toEqual({ kind: "cancelled" });
    ch.close();
    const r = rt.spawn(function* () {
      return yield* ch.next();
    });
    rt.run();
    expect(r.result).toEqual({ done: true, value: undefined });
  });

  test("after its value was taken into a buffer: the value stays sent", () => {
    const rt = new Runtime();
    const ch = new Channel<string>(1);
    ch.trySend("y"); // full
    const s = rt.spawn(function* () {
      yield* ch.send("z");
      return "returned";
    });
    rt.run({ maxSwitches: 1 });
    expect(s.state).toBe("blocked");
    const r = rt.spawn(function* () {
      return yield* ch.recv(); // takes "y" and moves "z" into the buffer
    });
    rt.run({ maxSwitches: 1 });
    expect(r.result).toBe("y");
    expect(s.state).toBe("ready");
    s.cancel();
    rt.run();
    expect(s.outcome).toEqual({ kind: "cancelled" });
    expect(ch.size).toBe(1);
  });
});

describe("Runtime.hold(): host code may still feed threads under runAsync()", () => {
  test("a channel fed only by a host timer: runAsync waits while held", async () => {
    const rt = new Runtime();
    const ch = new Channel<number>(4, { name: "ticks" });
    const release = rt.hold();
    const consumer = rt.spawn(function* () {
      const got: number[] = [];
      for (let r = yield* ch.next(); !r.done; r = yield* ch.next()) got.push(r.value);
      return got;
    });
    let n = 0;
    const timer = setInterval(() => {
      if (n < 3) {
        ch.trySend(n++);
      } else {
        clearInterval(timer);
        ch.close();
        release();
      }
    }, 1);
    const summary = await rt.runAsync();
    expect(consumer.result).toEqual([0, 1, 2]);
    expect(summary.returned).toBe(1);
  });

  test("channel.holdOpen(rt) holds until the channel closes", async () => {
    const rt = new Runtime();
    const ch = new Channel<string>(4);
    ch.holdOpen(rt);
    const consumer = rt.spawn(function* () {
      const got: string[] = [];
      for (let r = yield* ch.next(); !r.done; r = yield* ch.next()) got.push(r.value);
      return got;
    });
    setTimeout(() => ch.trySend("first"), 2);
    setTimeout(() => {
      ch.trySend("second");
      ch.close();
    }, 4);
    await rt.runAsync();
    expect(consumer.result).toEqual(["first", "second"]);
  });

  test("once released, a thread still blocked is reported as a deadlock, exactly", async () => {
    const rt = new Runtime();
    const ch = new Channel<number>(0, { name: "input" });
    const release = rt.hold();
    const t = rt.spawn(
      function* () {
        return yield* ch.recv();
      },
      { name: "reader" },
    );
    setTimeout(release, 3);
    const err = await rt.runAsync().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DeadlockError);
    expect((err as DeadlockError).blocked.map((b) => [b.thread, b.waitingFor])).toEqual([
      [t, 'recv on channel "input" (capacity 0, 0 buffered)'],
    ]);
    expect(t.outcome).toEqual({ kind: "cancelled" });
  });

  test("closing a held-open channel lets the deadlock be seen", async () => {
    const rt = new Runtime();
    const ch = new Channel<number>(0);
    const other = new Channel<number>(0, { name: "never" });
    ch.holdOpen(rt);
    rt.spawn(function* () {
      yield* other.recv();
    });
    setTimeout(() => ch.close(), 2);
    await expect(rt.runAsync()).rejects.toBeInstanceOf(DeadlockError);
  });

  test("releasing twice releases once; run() ignores holds", () => {
    const rt = new Runtime();
    const a = rt.hold();
    const b = rt.hold();
    a();
    a();
    const ch = new Channel<number>(0);
    rt.spawn(function* () {
      yield* ch.recv();
    });
    // Still held by b, but run() cannot give the host a turn: it reports the deadlock.
    expect(() => rt.run()).toThrow(DeadlockError);
    b();
  });

  test("holdOpen refuses a closed channel and a non-runtime, changing nothing", () => {
    const ch = new Channel<number>(0);
    expect(() => ch.holdOpen({} as Runtime)).toThrow(SchedulerError);
    ch.close();
    const rt = new Runtime();
    expect(() => ch.holdOpen(rt)).toThrow(/closed/);
  });
});
