/**
 * Traces: the events a traced runtime writes, with thread names, for
 * JavaScript and machine threads; that tracing changes nothing about a run;
 * and explore()'s trace of a failing run with its failing step marked.
 */
import { loadBackend } from "@greenthreads/switch";
import { describe, expect, test } from "vitest";
import {
  Channel,
  explore,
  Random,
  RoundRobin,
  RunFailedError,
  Runtime,
  SchedulerError,
  type Trace,
} from "../src/index.js";
import { spawnMachine } from "../src/machine/index.js";
import { tracedProducerConsumer } from "./producer-consumer.js";

/** The events as short lines: `step kind name [detail]`. */
function lines(trace: Trace): string[] {
  return trace.events.map((e) =>
    [e.step, e.kind, trace.nameOf(e.thread), e.detail].filter((x) => x !== undefined).join(" "),
  );
}

describe("a traced runtime", () => {
  test("writes spawn, run, block with what it waits for, wake with who, yield and exit", () => {
    const rt = tracedProducerConsumer();
    rt.run();
    // Round robin: producer blocks on the unbuffered send (step 1), consumer
    // yields (2), producer is still blocked so consumer runs again and takes
    // the value, waking producer (3), then producer's send completes (4).
    expect(lines(rt.trace!)).toEqual([
      "0 spawn producer generator",
      "0 spawn consumer generator",
      "1 run producer",
      '1 block producer send on channel "jobs" (capacity 0, 0 buffered)',
      "2 run consumer",
      "2 yield consumer",
      "3 run consumer",
      "3 wake producer by consumer",
      "3 exit consumer returned",
      "4 run producer",
      "4 exit producer returned",
    ]);
    expect(rt.trace!.steps).toBe(4);
    expect(rt.trace!.threads).toEqual([
      { id: 1, name: "producer", kind: "generator" },
      { id: 2, name: "consumer", kind: "generator" },
    ]);
  });

  test("names unnamed threads #<id>, records throws and cancellations", () => {
    const rt = new Runtime({ trace: true });
    const victim = rt.spawn(function* () {
      for (;;) yield;
    });
    rt.spawn(function* () {
      yield;
      throw new Error("bad luck");
    });
    rt.run({ maxSwitches: 1 });
    victim.cancel();
    expect(() => rt.run()).toThrow(RunFailedError);
    expect(lines(rt.trace!)).toEqual([
      "0 spawn #1 generator",
      "0 spawn #2 generator",
      "1 run #1",
      "1 yield #1",
      "1 cancel #1",
      "2 run #2",
      "2 yield #2",
      "3 run #1",
      "3 exit #1 cancelled",
      "4 run #2",
      "4 exit #2 threw: bad luck",
    ]);
  });

  test("a thread woken by host code, and one cancelled while blocked", () => {
    const rt = new Runtime({ trace: true });
    const ch = new Channel<string>(1, { name: "mail" });
    const reader = rt.spawn(function* () {
      return yield* ch.recv();
    });
    const stuck = rt.spawn(function* () {
      yield* new Channel<number>(0).recv();
    });
    rt.run({ maxSwitches: 2 });
    ch.trySend("hi");
    stuck.cancel();
    rt.run();
    expect(reader.result).toBe("hi");
    const at2 = lines(rt.trace!).filter((l) => l.startsWith("2 ") && !l.includes(" run "));
    expect(at2).toEqual([
      expect.stringMatching(/^2 block #2 recv on channel/),
      "2 wake #1 by the host",
      "2 cancel #2",
      "2 wake #2 to be cancelled",
    ]);
  });

  test("changes nothing about the run: the same schedule as without tracing", () => {
    const spawnAll = (rt: Runtime, log: string[]) => {
      for (const name of ["a", "b", "c"]) {
        rt.spawn(
          function* () {
            for (let i = 0; i < 5; i++) {
              log.push(name);
              if (rt.choose(3) === 0) yield;
            }
          },
          { name },
        );
      }
    };
    const plainLog: string[] = [];
    const plain = new Runtime({ scheduler: new Random({ seed: 9 }), record: true });
    spawnAll(plain, plainLog);
    const plainSchedule = plain.run().schedule;
    const tracedLog: string[] = [];
    const traced = new Runtime({ scheduler: new Random({ seed: 9 }), record: true, trace: true });
    spawnAll(traced, tracedLog);
    expect(traced.run().schedule).toBe(plainSchedule);
    expect(tracedLog).toEqual(plainLog);
    expect(traced.trace!.steps).toBe(plain.switches);
    expect(new Runtime().trace).toBeUndefined();
  });

  test("a bad trace option is refused and leaves the scheduler free for another runtime", () => {
    const s = new RoundRobin();
    expect(() => new Runtime({ scheduler: s, trace: "yes" as unknown as boolean })).toThrow(
      expect.objectContaining({
        code: "BAD_ARGUMENT",
        message: expect.stringMatching(/trace must be true or false/),
      }),
    );
    expect(() => new Runtime({ scheduler: s })).not.toThrow();
  });
});

describe("machine threads in a trace", () => {
  const backend = () => loadBackend({ prefer: "emulated", abi: "x86_64-sysv" });

  test("host calls, budget traps and a fault are events of the thread", () => {
    const rt = new Runtime({ trace: true });
    spawnMachine(
      rt,
      `
        mov r0, 0
      spin:
        add r0, r0, 1
        blt r0, 150, spin
        hostcall done(r0)
        exit 0`,
      { backend: backend(), name: "busy", budget: 100, hostcalls: { done: () => {} } },
    );
    spawnMachine(rt, "loop:\n  push r0\n  jmp loop", {
      backend: backend(),
      name: "deep",
      stackSize: 16384,
    });
    expect(() => rt.run()).toThrow(RunFailedError);
    const busy = lines(rt.trace!).filter((l) => l.includes(" busy"));
    // 2 + 300 + 2 instructions at a budget of 100: three budget traps, then the host call and exit.
    expect(busy.filter((l) => l.includes("budget"))).toHaveLength(3);
    expect(busy.slice(-2)).toEqual([
      expect.stringMatching(/^\d+ host-call busy done$/),
      expect.stringMatching(/^\d+ exit busy returned$/),
    ]);
    const deep = lines(rt.trace!).filter((l) => l.includes(" deep"));
    expect(deep.at(-2)).toMatch(/^\d+ fault deep stack-overflow at instruction 0 \(line 2\)$/);
    expect(deep.at(-1)).toMatch(/^\d+ exit deep threw: machine thread faulted: stack-overflow/);
    expect(rt.trace!.threads.map((t) => t.kind)).toEqual(["machine", "machine"]);
  });
});

describe("explore() with trace: true", () => {
  /** Two racy increments: read, yield, write. */
  const racy = (rt: Runtime) => {
    const counter = { value: 0 };
    for (const name of ["left", "right"]) {
      rt.spawn(
        function* () {
          const seen = counter.value;
          yield;
          counter.value = seen + 1;
        },
        { name },
      );
    }
    return () => {
      if (counter.value !== 2) throw new Error(`lost an update: ${counter.value}`);
    };
  };

  test("the failing run's trace, replayed, with the failing step marked", () => {
    const result = explore(racy, { strategy: "dfs", trace: true });
    const failure = result.failure!;
    expect(failure).toBeDefined();
    const trace = failure.trace!;
    expect(trace.threads.map((t) => t.name)).toEqual(["left", "right"]);
    // dfs takes the first ready thread: left reads, yields; right reads,
    // yields; both write 1. The check fails after the last switch.
    expect(trace.steps).toBe(4);
    expect(trace.failure).toEqual({ step: 4, message: "lost an update: 1" });
  });

  test("a thread that throws marks its own step", () => {
    const result = explore(
      (rt) => {
        rt.spawn(function* () {
          yield;
          yield;
        });
        rt.spawn(
          function* () {
            yield;
            throw new SchedulerError("gave up");
          },
          { name: "quitter" },
        );
      },
      { strategy: "dfs", trace: true },
    );
    const trace = result.failure!.trace!;
    const quitter = trace.threads.find((t) => t.name === "quitter")!;
    const exit = trace.events.find((e) => e.kind === "exit" && e.thread === quitter.id)!;
    expect(trace.failure).toEqual({ step: exit.step, thread: quitter.id, message: "gave up" });
    // dfs always takes the lowest id: #1 runs steps 1-3 (yield, yield, return),
    // quitter yields at 4 and throws at 5.
    expect(exit.step).toBe(5);
  });

  test("without the option the failure has no trace", () => {
    expect(explore(racy, { strategy: "dfs" }).failure!.trace).toBeUndefined();
  });
});
