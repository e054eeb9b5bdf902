/** Runs a corpus entry on a backend to its final trap, answering as the corpus says. */
import { parseProgram, type Trap } from "@greenthreads/isa";
import type { Backend } from "../src/index.js";
import { answer, type CorpusEntry } from "./corpus.js";

export function runOn(backend: Backend, entry: CorpusEntry, maxTraps = 10_000): Trap[] {
  const program = backend.load(parseProgram(entry.source), { fuel: entry.budget !== undefined });
  const thread = backend.spawn(program, {
    stackSize: entry.stackSize ?? 16384,
    ...(entry.budget === undefined ? {} : { budget: entry.budget }),
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
