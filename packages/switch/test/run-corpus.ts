/** Runs thread programs on a backend to their final trap, answering as the corpus says. */
import { parseProgram, type Trap } from "@greenthreads/isa";
import type { Backend, LoadedProgram } from "../src/index.js";
import { answer, type CorpusEntry } from "./corpus.js";

/** Runs one thread of a loaded program; the thread is released afterwards. */
export function runLoaded(
  backend: Backend,
  program: LoadedProgram,
  options: { stackSize?: number; budget?: bigint | undefined },
  maxTraps = 10_000,
): Trap[] {
  const thread = backend.spawn(program, {
    stackSize: options.stackSize ?? 16384,
    ...(options.budget === undefined ? {} : { budget: options.budget }),
  });
  const traps: Trap[] = [];
  try {
    let value: bigint | undefined;
    while (traps.length < maxTraps) {
      const trap = backend.resume(thread, value ?? 0n);
      traps.push(trap);
      if (trap.kind === "exit" || trap.kind === "fault") break;
      value = answer(trap);
    }
  } finally {
    backend.release(thread);
  }
  return traps;
}

/** Loads a corpus entry, runs it with its own budget, and unloads it. */
export function runOn(backend: Backend, entry: CorpusEntry, maxTraps = 10_000): Trap[] {
  const program = backend.load(parseProgram(entry.source), { fuel: entry.budget !== undefined });
  try {
    return runLoaded(backend, program, entry, maxTraps);
  } finally {
    backend.unload(program);
  }
}
