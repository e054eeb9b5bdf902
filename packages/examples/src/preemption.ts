/**
 * Preemption: why machine threads get a `budget`.
 *
 * A JavaScript thread gives the processor back only at a `yield`; one that
 * loops without yielding holds the whole runtime until it is done. A machine
 * thread is different: its lowered code counts instructions, and with
 * `budget: n` it traps after `n` of them and goes back to the policy as if it
 * had yielded. So a busy loop that never yields shares the runtime with the
 * JavaScript threads next to it.
 *
 * The example runs the same three threads twice, with and without a budget,
 * and prints what each does in the order it happens:
 *
 * ```
 *   with a budget              without a budget
 *   js a: step 1               machine: counted to 4096
 *   js b: step 1               machine: counted to 8192
 *   machine: counted to 4096   ...
 *   js a: step 2               machine: counted to 20480
 *   js b: step 2               js a: step 1
 *   ...                        ...
 * ```
 */
import { Runtime } from "@greenthreads/scheduler";
import { spawnMachine } from "@greenthreads/scheduler/machine";
import { type Backend, loadBackend } from "@greenthreads/switch";

/** How far the machine thread counts, and how often it reports (a power of two, for the mask). */
export const COUNT_TO = 20_480;
export const REPORT_EVERY = 4_096;
/** Steps of each JavaScript thread. */
export const JS_STEPS = 6;

/**
 * The busy loop: about four instructions per count and no `yield` anywhere.
 * `hostcall` reports progress, but a host call resumes the thread at once,
 * so it is not a place where other threads could run.
 */
const BUSY_LOOP = `
    mov r0, 0
  loop:
    add r0, r0, 1
    and r1, r0, ${REPORT_EVERY - 1}
    bne r1, 0, next
    hostcall progress(r0)
  next:
    blt r0, ${COUNT_TO}, loop
    exit r0`;

/** What one run ended with: the machine thread's exit code and the runtime's switch count. */
export interface BusyRun {
  count: bigint;
  switches: number;
}

/**
 * Runs the busy machine thread next to two JavaScript threads that print a
 * line per step, handing every line to `print`. With `budget` (instructions
 * per slice) the machine thread is preempted; without it, it runs to the end
 * before anyone else.
 */
export function runBusy(
  print: (line: string) => void,
  budget: number | undefined,
  backend: Backend = loadBackend(),
): BusyRun {
  const rt = new Runtime(); // RoundRobin: threads take turns in spawn order
  const machine = spawnMachine(rt, BUSY_LOOP, {
    backend,
    budget,
    hostcalls: { progress: (n) => print(`machine: counted to ${n}`) },
  });
  for (const name of ["a", "b"]) {
    rt.spawn(function* () {
      for (let step = 1; step <= JS_STEPS; step++) {
        print(`js ${name}: step ${step}`);
        yield; // JavaScript threads have to yield by hand
      }
    });
  }
  const { switches } = rt.run();
  return { count: machine.result as bigint, switches };
}

/** Both runs, one after the other, with a heading each. */
export function preemption(print: (line: string) => void, backend: Backend = loadBackend()): void {
  const indent = (line: string) => print(`  ${line}`);
  const budget = 8_000;
  print(`budget: ${budget} (the machine thread is preempted every ${budget} instructions)`);
  let run = runBusy(indent, budget, backend);
  print(`machine thread exited with ${run.count}; ${run.switches} switches in all\n`);
  print("no budget (the machine thread keeps the runtime until it exits)");
  run = runBusy(indent, undefined, backend);
  print(`machine thread exited with ${run.count}; ${run.switches} switches in all`);
}
