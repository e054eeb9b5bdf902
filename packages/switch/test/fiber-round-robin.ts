/**
 * The book's two fibers (FIBER_PROGRAM_1/2 of @greenthreads/isa) run round
 * robin, each host call answered by printing a transcript line: the driver
 * is given one `resume` per thread, so the same loop runs them on a backend
 * (in the wine child) and on the reference machine (in the test).
 */
import type { Trap } from "@greenthreads/isa";

export type Resume = (value: bigint) => Trap;

/** Runs the threads round robin until every one exits; returns the transcript, or throws at a fault. */
export function fiberTranscript(threads: readonly Resume[]): string[] {
  const lines: string[] = [];
  const queue = [...threads];
  while (queue.length > 0) {
    const resume = queue.shift()!;
    let value = 0n;
    for (;;) {
      const trap = resume(value);
      value = 0n;
      if (trap.kind === "hostcall") {
        const [id, counter] = trap.args;
        if (trap.name === "started") lines.push(`THREAD ${id} STARTING`);
        else if (trap.name === "print") lines.push(`thread: ${id} counter: ${counter}`);
        else if (trap.name === "finished") lines.push(`THREAD ${id} FINISHED`);
        continue;
      }
      if (trap.kind === "yield") {
        queue.push(resume);
        break;
      }
      if (trap.kind === "exit") break;
      throw new Error(
        `a fiber stopped with ${JSON.stringify(trap, (_, v) => (typeof v === "bigint" ? `${v}` : v))}`,
      );
    }
  }
  return lines;
}
