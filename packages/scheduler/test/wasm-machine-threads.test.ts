/**
 * Machine threads of the runtime on the WebAssembly backend: the same
 * spawnMachine (of @greenthreads/scheduler/machine), with the backend passed in, prints the book's transcript,
 * is preempted by its budget and ends alone when it faults.
 */
import { FIBER_HOSTCALLS, fiberProgramSource } from "@greenthreads/isa";
import { WasmBackend } from "@greenthreads/switch";
import { expect, test } from "vitest";
import { RoundRobin, RunFailedError, Runtime } from "../src/index.js";
import { MachineFaultError, spawnMachine } from "../src/machine/index.js";

test("the book's fibers on the wasm backend print the book's transcript", () => {
  const backend = new WasmBackend();
  const lines: string[] = [];
  const hostcalls = {
    started: (id: bigint) => void lines.push(`THREAD ${id} STARTING`),
    print: (id: bigint, i: bigint) => void lines.push(`thread: ${id} counter: ${i}`),
    finished: (id: bigint) => void lines.push(`THREAD ${id} FINISHED`),
  };
  expect(Object.keys(hostcalls)).toEqual([...FIBER_HOSTCALLS]);
  const rt = new Runtime({ scheduler: new RoundRobin() });
  const t1 = spawnMachine(rt, fiberProgramSource(1, 3), { backend, hostcalls });
  const t2 = spawnMachine(rt, fiberProgramSource(2, 4), { backend, hostcalls });
  rt.run();
  expect(lines).toEqual([
    "THREAD 1 STARTING",
    "thread: 1 counter: 0",
    "THREAD 2 STARTING",
    "thread: 2 counter: 0",
    "thread: 1 counter: 1",
    "thread: 2 counter: 1",
    "thread: 1 counter: 2",
    "thread: 2 counter: 2",
    "THREAD 1 FINISHED",
    "thread: 2 counter: 3",
    "THREAD 2 FINISHED",
  ]);
  expect([t1.result, t2.result]).toEqual([0n, 0n]);
  expect(backend.stacks.stats().live).toBe(0);
});

test("a budget preempts a wasm machine thread; a fault ends it alone", () => {
  const backend = new WasmBackend();
  const rt = new Runtime({ scheduler: new RoundRobin() });
  const order: string[] = [];
  const busy = spawnMachine(
    rt,

    "mov r0, 0\nspin:\n  add r0, r0, 1\n  blt r0, 300, spin\n  exit r0",
    {
      backend,
      budget: 100,
    },
  );
  const bad = spawnMachine(rt, "loop:\n  push r0\n  jmp loop", { backend, stackSize: 4096 });
  rt.spawn(function* () {
    for (let i = 0; i < 3; i++) {
      order.push(`js ${i}`);
      yield;
    }
  });
  expect(() => rt.run()).toThrow(RunFailedError);
  expect(busy.result).toBe(300n);
  expect(order).toEqual(["js 0", "js 1", "js 2"]);
  const error = bad.outcome?.kind === "threw" ? bad.outcome.error : undefined;
  expect(error).toBeInstanceOf(MachineFaultError);
  expect((error as MachineFaultError).fault).toBe("stack-overflow");
  expect(backend.stacks.stats().live).toBe(0);
});
