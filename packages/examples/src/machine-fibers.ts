/**
 * The book's fibers again, this time as machine threads: each fiber is a
 * thread program (shipped with `@greenthreads/isa`) running on its own stack,
 * switched by the ABI's generated switch routine, natively where the addon
 * works and in the interpreter elsewhere. The transcript is the same as the
 * JavaScript version's, line for line.
 *
 * `showStack` stops a counting thread at one of its yields and prints its
 * stack: the book's show-stack idea, with every word explained.
 */
import { FIBER_PROGRAM_1, FIBER_PROGRAM_2, parseProgram } from "@greenthreads/isa";
import { type RunSummary, Runtime } from "@greenthreads/scheduler";
import { spawnMachine } from "@greenthreads/scheduler/machine";
import { dumpStack, formatStackDump, type StackDumpRow } from "@greenthreads/stack";
import { type Backend, loadBackend } from "@greenthreads/switch";

/** Runs both fibers on `backend`, handing each line to `print`. */
export function machineFibers(
  print: (line: string) => void,
  backend: Backend = loadBackend(),
): RunSummary {
  const rt = new Runtime();
  const hostcalls = {
    started: (id: bigint) => print(`THREAD ${id} STARTING`),
    print: (id: bigint, counter: bigint) => print(`thread: ${id} counter: ${counter}`),
    finished: (id: bigint) => print(`THREAD ${id} FINISHED`),
  };
  spawnMachine(rt, FIBER_PROGRAM_1, { backend, hostcalls });
  spawnMachine(rt, FIBER_PROGRAM_2, { backend, hostcalls });
  return rt.run();
}

/** A counter that keeps its state on its stack across yields, so a dump has something to show. */
const STACKFUL_COUNTER = parseProgram(`
    push 1                ; the thread's id
    mov r1, 0
  loop:
    push r1               ; the counter, saved across the yield
    yield r1
    pop r1
    add r1, r1, 1
    blt r1, 10, loop
    exit 0`);

/**
 * Runs a counting thread on `backend` up to its third yield and returns the
 * rows of its stack dump, from its saved stack pointer to the top.
 */
export function stackfulCounterStack(backend: Backend = loadBackend()): {
  rows: StackDumpRow[];
  guardSize: number;
} {
  const thread = backend.spawn(backend.load(STACKFUL_COUNTER));
  try {
    for (let yields = 0; yields < 3; ) {
      const trap = backend.resume(thread);
      if (trap.kind === "yield") yields++;
      if (trap.kind === "exit" || trap.kind === "fault") break;
    }
    const sp = backend.savedStackPointer(thread);
    const symbols = backend.routineSymbols;
    const rows = dumpStack(thread.stack, { sp, from: sp, to: thread.stack.high, symbols });
    return { rows, guardSize: thread.stack.guardSize };
  } finally {
    backend.release(thread);
  }
}

/**
 * Runs a counting thread on `backend` up to its third yield and returns the
 * dump of its stack, from its saved stack pointer to the top.
 */
export function showStack(backend: Backend = loadBackend()): string[] {
  return formatStackDump(stackfulCounterStack(backend).rows);
}
