import { type AbiName, abis, parseProgram, ReferenceMachine, type Trap } from "@greenthreads/isa";
import { expect, test } from "vitest";
import { LAB_PROGRAM, labAnswer, ProgramLab } from "../src/program-lab.js";

const names = Object.keys(abis) as AbiName[];

/** The reference machine's traps, answered as the lab answers them. */
function reference(text: string, budget?: bigint): Trap[] {
  const m = new ReferenceMachine(parseProgram(text), {
    stackWords: 64,
    ...(budget === undefined ? {} : { budget }),
  });
  const traps: Trap[] = [];
  let answer = 0n;
  for (;;) {
    const t = m.resume(answer);
    traps.push(t);
    if (t.kind === "exit" || t.kind === "fault") return traps;
    answer = labAnswer(t);
  }
}

test.each(names)(
  "on %s, stepping the lab program instruction by instruction gives the reference machine's traps",
  (abi) => {
    const lab = new ProgramLab(abi);
    const seen = new Set<number>();
    while (!lab.finished) {
      lab.step();
      const at = lab.programInstruction();
      if (at !== undefined) seen.add(at);
      expect(lab.steps).toBeLessThan(100_000);
    }
    expect(lab.traps).toEqual(reference(LAB_PROGRAM));
    // Every program instruction's lowered code was executed at some point.
    expect([...seen].sort((a, b) => a - b)).toEqual(
      Array.from({ length: parseProgram(LAB_PROGRAM).instructions.length }, (_, i) => i),
    );
  },
);

test("with a budget, budget traps land where the reference machine puts them", () => {
  const lab = new ProgramLab("riscv64-lp64d", LAB_PROGRAM, { budget: 3n });
  while (!lab.finished) lab.runToTrap();
  expect(lab.traps).toEqual(reference(LAB_PROGRAM, 3n));
  expect(lab.traps.filter((t) => t.kind === "budget").length).toBeGreaterThan(2);
});

test("a host call's argument is in the control block when the trap is collected", () => {
  const lab = new ProgramLab("x86_64-sysv");
  const trap = lab.runToTrap();
  expect(trap).toEqual({ kind: "hostcall", name: "tell", args: [3n] });
  const r1 = lab.controlBlock().find((f) => f.name === "r1");
  expect(r1?.value).toBe(3n);
  expect(lab.inside).toBe(false);
});
