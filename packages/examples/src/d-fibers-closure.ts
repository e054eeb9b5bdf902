/**
 * The book's d-fibers-closure: the fibers of c-fibers, but each thread's
 * body is a closure over its own state instead of a plain function, so
 * `spawn` can start threads made at run time from data. The transcript is
 * c-fibers', line for line.
 *
 * - JavaScript threads: one fresh `function*` closure per job, capturing the
 *   job (its id and how far it counts).
 * - Machine threads: one thread program for every thread; what differs is
 *   the host-call table each thread is spawned with, a set of closures over
 *   that thread's own counter. The program asks its closures what to do:
 *
 * ```
 *       hostcall started()
 *   loop:
 *       hostcall step() -> r1     ; prints the next count; 0 when there is none
 *       beq r1, 0, done
 *       yield 0                   ; the book's yield_thread()
 *       jmp loop
 *   done:
 *       hostcall finished()
 *       exit 0
 * ```
 */
import { parseProgram } from "@greenthreads/isa";
import { type RunSummary, Runtime } from "@greenthreads/scheduler";
import { spawnMachine } from "@greenthreads/scheduler/machine";
import { type Backend, loadBackend } from "@greenthreads/switch";

/** A thread to start: its id in the transcript and how many counts it prints. */
export interface Job {
  readonly id: number;
  readonly count: number;
}

/** The book's two threads. */
export const BOOK_JOBS: readonly Job[] = [
  { id: 1, count: 10 },
  { id: 2, count: 15 },
];

/** JavaScript threads, one closure per job. */
export function closureFibers(
  print: (line: string) => void,
  jobs: readonly Job[] = BOOK_JOBS,
): RunSummary {
  const rt = new Runtime();
  for (const job of jobs) {
    rt.spawn(function* () {
      print(`THREAD ${job.id} STARTING`);
      for (let i = 0; i < job.count; i++) {
        print(`thread: ${job.id} counter: ${i}`);
        yield;
      }
      print(`THREAD ${job.id} FINISHED`);
    });
  }
  return rt.run();
}

/** The one program every machine thread runs; its state lives in its host calls. */
export const CLOSURE_FIBER_PROGRAM = parseProgram(`
    hostcall started()
  loop:
    hostcall step() -> r1
    beq r1, 0, done
    yield 0
    jmp loop
  done:
    hostcall finished()
    exit 0`);

/** Machine threads, each spawned with closures over its own counter. */
export function machineClosureFibers(
  print: (line: string) => void,
  backend: Backend = loadBackend(),
  jobs: readonly Job[] = BOOK_JOBS,
): RunSummary {
  const rt = new Runtime();
  for (const job of jobs) {
    let next = 0; // this thread's own state, captured by its host calls
    spawnMachine(rt, CLOSURE_FIBER_PROGRAM, {
      backend,
      hostcalls: {
        started: () => print(`THREAD ${job.id} STARTING`),
        step: () => {
          if (next === job.count) return 0n;
          print(`thread: ${job.id} counter: ${next++}`);
          return 1n;
        },
        finished: () => print(`THREAD ${job.id} FINISHED`),
      },
    });
  }
  return rt.run();
}

/** Prints both versions, one after the other. */
export function fibersClosure(print: (line: string) => void, backend?: Backend): void {
  print("JavaScript threads, a closure each:");
  closureFibers((l) => print(`  ${l}`));
  print("");
  const b = backend ?? loadBackend();
  print(`machine threads (${b.kind}, ${b.abi.name}), closures as host calls:`);
  machineClosureFibers((l) => print(`  ${l}`), b);
}
