/**
 * Machine threads take part in the toolkit: a host call may answer with a
 * green operation (a channel receive, a select, a timed wait), which blocks
 * the machine thread like a JavaScript thread, and is cancelled cleanly.
 */
import { type Backend, loadBackend } from "@greenthreads/switch";
import { describe, expect, test } from "vitest";
import {
  Channel,
  ChannelClosedError,
  Random,
  Runtime,
  recvCase,
  Semaphore,
  select,
  TimeoutError,
  withTimeout,
} from "../src/index.js";
import { spawnMachine } from "../src/machine/index.js";

const backends: [string, () => Backend][] = [
  ["emulated x86_64-sysv", () => loadBackend({ prefer: "emulated", abi: "x86_64-sysv" })],
];
if (loadBackend({ prefer: "native" }).kind === "native") {
  backends.unshift(["native", () => loadBackend({ prefer: "native" })]);
}

describe.each(backends)("machine threads and the toolkit on %s", (_name, makeBackend) => {
  test("a thread program receives from a channel through a host call", () => {
    const backend = makeBackend();
    const rt = new Runtime();
    const ch = new Channel<bigint>(0, { name: "numbers" });
    // Sum values received until 0: the loop is in the program, the receive in JavaScript.
    const t = spawnMachine(
      rt,
      "mov r1, 0\nl:\n  hostcall recv() -> r0\n  add r1, r1, r0\n  bne r0, 0, l\n  exit r1",
      { backend, hostcalls: { recv: () => ch.recv() }, name: "summer" },
    );
    rt.spawn(function* () {
      for (const v of [5n, 7n, 30n, 0n]) yield* ch.send(v);
    });
    const summary = rt.run();
    expect(t.result).toBe(42n);
    expect(summary.returned).toBe(2);
  });

  test("a machine thread blocked in a host call is named in a deadlock report", () => {
    const rt = new Runtime();
    const ch = new Channel<bigint>(0, { name: "never" });
    const t = spawnMachine(rt, "hostcall recv() -> r0\nexit r0", {
      backend: makeBackend(),
      hostcalls: { recv: () => ch.recv() },
      name: "m",
    });
    expect(() => rt.run()).toThrow(/thread "m" \(#1\) waits for recv on channel "never"/);
    expect(t.outcome).toEqual({ kind: "cancelled" });
  });

  test("cancelling a machine thread blocked on a channel takes nothing; a handed value goes back", () => {
    const rt = new Runtime();
    const ch = new Channel<bigint>(0);
    const m = spawnMachine(rt, "hostcall recv() -> r0\nexit r0", {
      backend: makeBackend(),
      hostcalls: { recv: () => ch.recv() },
    });
    const other = rt.spawn(function* () {
      yield;
      return yield* ch.recv();
    });
    rt.spawn(function* () {
      yield;
      yield;
      yield* ch.send(11n); // handed to the machine thread, which is then cancelled before it runs
      m.cancel();
    });
    rt.run();
    expect(m.outcome).toEqual({ kind: "cancelled" });
    expect(other.result).toBe(11n);
  });

  test("a host call can select, and can time out (the program does not see a value)", async () => {
    const rt = new Runtime({ scheduler: new Random({ seed: 3 }) });
    const a = new Channel<bigint>(1);
    const b = new Channel<bigint>(1);
    b.trySend(20n);
    const picked = spawnMachine(rt, "hostcall pick() -> r0\nexit r0", {
      backend: makeBackend(),
      hostcalls: {
        *pick() {
          const r = yield* select([recvCase(a), recvCase(b)]);
          return r.done ? 0n : r.value + BigInt(r.index);
        },
      },
    });
    const timed = spawnMachine(rt, "hostcall recv() -> r0\nexit r0", {
      backend: makeBackend(),
      hostcalls: { recv: () => withTimeout(5, a.recv()) },
    });
    await expect(rt.runAsync({ sliceMs: 1 })).rejects.toThrow(/timed out after 5 ms/);
    expect(picked.result).toBe(21n);
    expect(timed.outcome?.kind).toBe("threw");
    expect((timed.outcome as { error: unknown }).error).toBeInstanceOf(TimeoutError);
    expect(a.size).toBe(0);
  });

  test("errors of the operation end the machine thread; permits flow through host calls", () => {
    const rt = new Runtime();
    const ch = new Channel<bigint>(0);
    const sem = new Semaphore(1);
    const closed = spawnMachine(rt, "hostcall recv() -> r0\nexit r0", {
      backend: makeBackend(),
      hostcalls: { recv: () => ch.recv() },
    });
    const order: string[] = [];
    for (const k of [1, 2]) {
      spawnMachine(rt, "hostcall acquire()\nhostcall work()\nhostcall release()\nexit 0", {
        backend: makeBackend(),
        hostcalls: {
          acquire: () => sem.acquire(),
          *work() {
            order.push(`m${k} in`);
            yield;
            order.push(`m${k} out`);
          },
          release: () => sem.release(),
        },
      });
    }
    rt.spawn(function* () {
      ch.close();
    });
    expect(() => rt.run()).toThrow(/1 thread failed/);
    expect((closed.outcome as { error: unknown }).error).toBeInstanceOf(ChannelClosedError);
    expect(order).toEqual(["m1 in", "m1 out", "m2 in", "m2 out"]);
  });
});
