import { describe, expect, test } from "vitest";
import { abis } from "../../src/abi/registry.js";
import { parseProgram } from "../../src/language/parse.js";
import { INTERPRETED_LAYOUT, InterpretedHost } from "../../src/protocol/interpreted-host.js";
import type { Trap } from "../../src/protocol/trap.js";
import { ReferenceMachine } from "../../src/semantics/reference.js";

const PROGRAM = parseProgram(`
    mov r1, 3
  loop:
    push r1
    hostcall tell(r1) -> r2
    pop r1
    sub r1, r1, 1
    yield r2 -> r3
    bgt r1, 0, loop
    exit r3`);

/** Drives a thread to its end, answering a host call with 10 × its argument and a yield with its value + 1. */
function drive(resume: (value: bigint) => Trap): Trap[] {
  const traps: Trap[] = [];
  let value = 0n;
  for (;;) {
    const trap = resume(value);
    traps.push(trap);
    if (trap.kind === "exit" || trap.kind === "fault") return traps;
    value =
      trap.kind === "hostcall" ? trap.args[0]! * 10n : trap.kind === "yield" ? trap.value + 1n : 0n;
  }
}

describe.each(Object.values(abis))("stepping on $name", (abi) => {
  test("one instruction at a time gives the traps of runUntilTrap and of the reference machine", () => {
    const make = () => {
      const host = new InterpretedHost(abi);
      host.memory.map(INTERPRETED_LAYOUT.stacks, 16384, "rw");
      const thread = host.createThread(host.loadProgram(PROGRAM), {
        stackLow: INTERPRETED_LAYOUT.stacks,
        stackHigh: INTERPRETED_LAYOUT.stacks + 16384n,
      });
      return { host, thread };
    };
    const run = make();
    const whole = drive((v) => run.host.resume(run.thread, v));
    const step = make();
    let instructions = 0;
    const stepped = drive((v) => {
      step.thread.control.enter(v);
      step.host.prepareRun(step.thread);
      while (step.host.cpu.pc !== INTERPRETED_LAYOUT.sentinel) {
        const stop = step.host.cpu.run({ stopAt: [INTERPRETED_LAYOUT.sentinel], maxSteps: 1 });
        expect(stop.kind === "step-limit" || stop.kind === "stopped").toBe(true);
        instructions++;
      }
      step.host.collectTrap(step.thread);
      return step.thread.control.leave();
    });
    expect(stepped).toEqual(whole);
    const reference = new ReferenceMachine(PROGRAM, { stackWords: 64 });
    expect(whole).toEqual(drive((v) => reference.resume(v)));
    expect(instructions).toBeGreaterThan(stepped.length * 10);
  });
});
