import { FIFO, Random } from "@greenthreads/scheduler";
import { expect, test } from "vitest";
import { fibers } from "../src/fibers.js";

/**
 * The book's output, built from its rule: main spawns thread 1 (counts 10)
 * then thread 2 (counts 15) and runs them round robin. A thread's first turn
 * prints STARTING and counter 0; each later turn prints the next counter; the
 * turn after its last counter prints FINISHED and ends it.
 */
function bookTranscript(threads: [id: number, count: number][]): string[] {
  const turns = threads.map(([id, count]) => {
    const t: string[][] = [[`THREAD ${id} STARTING`, `thread: ${id} counter: 0`]];
    for (let i = 1; i < count; i++) t.push([`thread: ${id} counter: ${i}`]);
    t.push([`THREAD ${id} FINISHED`]);
    return t;
  });
  const out: string[] = [];
  while (turns.some((t) => t.length > 0)) {
    for (const t of turns) if (t.length > 0) out.push(...t.shift()!);
  }
  return out;
}

test("under RoundRobin it prints exactly the book's transcript", () => {
  const lines: string[] = [];
  const summary = fibers((l) => lines.push(l));
  const expected = bookTranscript([
    [1, 10],
    [2, 15],
  ]);
  expect(lines).toEqual(expected);
  expect(lines).toHaveLength(2 + 10 + 2 + 15);
  // A few landmarks of the book's output.
  expect(lines.slice(0, 4)).toEqual([
    "THREAD 1 STARTING",
    "thread: 1 counter: 0",
    "THREAD 2 STARTING",
    "thread: 2 counter: 0",
  ]);
  expect(lines.indexOf("THREAD 1 FINISHED")).toBe(lines.indexOf("thread: 2 counter: 9") + 1);
  expect(lines.at(-1)).toBe("THREAD 2 FINISHED");
  expect(summary).toMatchObject({ threads: 2, switches: 11 + 16, returned: 2 });
});

test("FIFO gives the same transcript for this workload; Random keeps each thread's own order", () => {
  const fifo: string[] = [];
  fibers((l) => fifo.push(l), new FIFO());
  const rr: string[] = [];
  fibers((l) => rr.push(l));
  expect(fifo).toEqual(rr);
  const random: string[] = [];
  fibers((l) => random.push(l), new Random({ seed: 3 }));
  expect(random).not.toEqual(rr);
  const ofThread1 = (l: string) => l.startsWith("thread: 1 ") || l.startsWith("THREAD 1 ");
  expect(random.filter(ofThread1)).toEqual(rr.filter(ofThread1));
  expect([...random].sort()).toEqual([...rr].sort());
});
