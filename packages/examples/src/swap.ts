/**
 * Swapping schedulers is one line: the same three threads under each policy.
 * Each thread prints its letter every time it runs; `priority` and `tickets`
 * are spawn options that only Priority and Stride read.
 */
import {
  FIFO,
  PCT,
  Priority,
  Random,
  RoundRobin,
  Runtime,
  type Scheduler,
  Stride,
} from "@greenthreads/scheduler";

export function runWith(scheduler: Scheduler): string {
  const rt = new Runtime({ scheduler }); // <- the one line that changes
  let out = "";
  const spec = [
    { name: "a", priority: 1, tickets: 100 },
    { name: "b", priority: 2, tickets: 200 },
    { name: "c", priority: 3, tickets: 300 },
  ];
  for (const { name, priority, tickets } of spec) {
    rt.spawn(
      function* () {
        for (let i = 0; i < 6; i++) {
          out += name;
          yield;
        }
      },
      { name, priority, tickets },
    );
  }
  rt.run();
  return out;
}

export function swapDemo(print: (line: string) => void): void {
  const policies: Scheduler[] = [
    new RoundRobin(),
    new FIFO(),
    new Priority({ aging: 4 }),
    new Stride(),
    new Random({ seed: 42 }),
    new PCT({ seed: 42, depth: 3, steps: 18 }),
  ];
  for (const p of policies) print(`${p.name.padEnd(12)} ${runWith(p)}`);
}
