import { describe, expect, test } from "vitest";
import { IsaError } from "../../src/errors.js";
import {
  FIBER_HOSTCALLS,
  FIBER_PROGRAM_1,
  FIBER_PROGRAM_2,
  fiberProgramSource,
} from "../../src/language/fibers.js";
import { parseProgram } from "../../src/language/parse.js";
import { verifyProgram } from "../../src/language/verify.js";
import { ReferenceMachine } from "../../src/semantics/reference.js";

/** A round-robin scheduler like the book's: run each thread until it yields or exits. */
function runFibers(sources: readonly string[], budget?: bigint): string[] {
  const out: string[] = [];
  const ready = sources.map(
    (s) =>
      new ReferenceMachine(parseProgram(s), { stackWords: 8, hostcalls: FIBER_HOSTCALLS, budget }),
  );
  while (ready.length > 0) {
    const m = ready.shift()!;
    for (;;) {
      const t = m.resume();
      if (t.kind === "hostcall") {
        const [id, counter] = t.args;
        if (t.name === "started") out.push(`THREAD ${id} STARTING`);
        else if (t.name === "print") out.push(`thread: ${id} counter: ${counter}`);
        else out.push(`THREAD ${id} FINISHED`);
        continue;
      }
      if (t.kind === "budget") continue;
      if (t.kind === "yield") ready.push(m);
      else expect(t).toEqual({ kind: "exit", code: 0n });
      break;
    }
  }
  return out;
}

function expectedOutput(): string[] {
  const lines = [
    "THREAD 1 STARTING",
    "thread: 1 counter: 0",
    "THREAD 2 STARTING",
    "thread: 2 counter: 0",
  ];
  for (let i = 1; i < 10; i++) lines.push(`thread: 1 counter: ${i}`, `thread: 2 counter: ${i}`);
  lines.push("THREAD 1 FINISHED");
  for (let i = 10; i < 15; i++) lines.push(`thread: 2 counter: ${i}`);
  lines.push("THREAD 2 FINISHED");
  return lines;
}

describe("the book's fibers", () => {
  test("both programs verify against the fiber host calls", () => {
    for (const source of [FIBER_PROGRAM_1, FIBER_PROGRAM_2]) {
      const p = parseProgram(source);
      verifyProgram(p, { hostcalls: FIBER_HOSTCALLS });
      expect(p.hostcalls).toEqual(FIBER_HOSTCALLS);
    }
  });

  test("interleave as in the book under round-robin scheduling", () => {
    expect(runFibers([FIBER_PROGRAM_1, FIBER_PROGRAM_2])).toEqual(expectedOutput());
  });

  test("a small budget preempts but does not change the output", () => {
    expect(runFibers([FIBER_PROGRAM_1, FIBER_PROGRAM_2], 3n)).toEqual(expectedOutput());
  });

  test("fiberProgramSource counts any number of times, including zero", () => {
    expect(runFibers([fiberProgramSource(4, 0)])).toEqual([
      "THREAD 4 STARTING",
      "THREAD 4 FINISHED",
    ]);
    expect(runFibers([fiberProgramSource(3, 3)])).toEqual([
      "THREAD 3 STARTING",
      "thread: 3 counter: 0",
      "thread: 3 counter: 1",
      "thread: 3 counter: 2",
      "THREAD 3 FINISHED",
    ]);
  });

  test("fiberProgramSource rejects bad arguments", () => {
    expect(() => fiberProgramSource(-1, 3)).toThrow(IsaError);
    expect(() => fiberProgramSource(1, 2.5)).toThrow(
      expect.objectContaining({ code: "BAD_ARGUMENT" }),
    );
  });
});

test("the language reference shows FIBER_PROGRAM_1 verbatim", async () => {
  const { readFile } = await import("node:fs/promises");
  const doc = await readFile(new URL("../../docs/thread-programs.md", import.meta.url), "utf8");
  const block = /```text\n([\s\S]*?)```/.exec(doc);
  expect(block?.[1]).toBe(FIBER_PROGRAM_1);
});
