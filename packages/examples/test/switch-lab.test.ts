import { type AbiName, abis, routines } from "@greenthreads/isa";
import { expect, test } from "vitest";
import { labFloat, SwitchLab } from "../src/switch-lab.js";

const { routineSymbol } = routines;

const names = Object.keys(abis) as AbiName[];

test.each(names)(
  "on %s, stepping a round trip ends where running it does, in as many steps",
  (abi) => {
    const run = new SwitchLab(abi);
    const steps = run.switchToGreenAndBack();
    const stepped = new SwitchLab(abi);
    stepped.beginRoundTrip();
    let n = 0;
    const visited = new Set<string>();
    while (!stepped.backInMain) {
      const s = stepped.step();
      expect(s.executed.text).not.toMatch(/no instruction/);
      visited.add(s.executed.where);
      n++;
      expect(n).toBeLessThan(10_000);
    }
    expect(n).toBe(steps);
    expect(stepped.registers()).toEqual(run.registers());
    expect(stepped.context("green")).toEqual(run.context("green"));
    // The round trip goes through the switch, the start trampoline, the body, and the switch again.
    expect([...visited]).toEqual(
      expect.arrayContaining([
        routineSymbol("switch", abi),
        routineSymbol("start", abi),
        "green_entry",
        "green_loop",
      ]),
    );
  },
);

test.each(names)(
  "on %s, the first switch instruction that saves a register changes the main context",
  (abi) => {
    const lab = new SwitchLab(abi);
    lab.beginRoundTrip();
    const ctxWords = new Set<string>();
    while (lab.current().where !== routineSymbol("start", abi)) {
      for (const w of lab.step().words) ctxWords.add(w.name);
    }
    // Saving main wrote into main's context: at least sp and pc.
    expect(ctxWords.size).toBeGreaterThanOrEqual(2);
    const main = new Map(lab.context("main").map((s) => [s.name, s.value]));
    expect(main.get("pc")).not.toBe(0n);
    for (const [i, { reg }] of lab.abi.calleeSavedFloat.entries()) {
      const width = lab.abi.calleeSavedFloat[i]!.width;
      expect(main.get(reg), reg).toBe(labFloat("main", i) & ((1n << BigInt(8 * width)) - 1n));
    }
  },
);
