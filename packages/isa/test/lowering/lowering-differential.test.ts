/**
 * Lowered thread programs, run in the interpreter on every ABI, must stop at
 * the same traps with the same values as the reference machine.
 */
import { describe, expect, test } from "vitest";
import { abis } from "../../src/abi/registry.js";
import { parseProgram } from "../../src/language/parse.js";
import { verifyProgram } from "../../src/language/verify.js";
import { InterpretedHost } from "../../src/protocol/interpreted-host.js";
import { CORPUS } from "./corpus.js";
import {
  BUDGETS,
  DEFAULT_STACK,
  mapStacks,
  reference,
  runInterpreted,
} from "./differential-run.js";
import { randomProgram } from "./random-programs.js";

const hosts = new Map<string, InterpretedHost>();
function hostFor(name: string): InterpretedHost {
  let host = hosts.get(name);
  if (!host) {
    host = mapStacks(new InterpretedHost(abis[name as keyof typeof abis]));
    hosts.set(name, host);
  }
  return host;
}

describe.each(Object.keys(abis))("lowered programs on %s", (abiName) => {
  test.each(CORPUS)("$name", ({ source, budget, stackSize = DEFAULT_STACK }) => {
    const program = parseProgram(source);
    verifyProgram(program);
    const host = hostFor(abiName);
    const loaded = host.loadProgram(program, { fuel: budget !== undefined });
    const actual = runInterpreted(host, loaded, stackSize, budget, 500);
    host.unloadProgram(loaded);
    expect(actual).toEqual(reference(program, stackSize, budget, 500));
    expect(["exit", "fault"]).toContain(actual.at(-1)!.kind);
  });

  test("the corpus with every budget from 1 to 8 agrees with the reference machine", () => {
    const host = hostFor(abiName);
    for (const { name, source, stackSize = DEFAULT_STACK } of CORPUS) {
      const program = parseProgram(source);
      const loaded = host.loadProgram(program, { fuel: true });
      for (const budget of BUDGETS) {
        const actual = runInterpreted(host, loaded, stackSize, budget, 150);
        expect(actual, `${name}, budget ${budget}`).toEqual(
          reference(program, stackSize, budget, 150),
        );
      }
      host.unloadProgram(loaded);
    }
  });

  test("random programs agree with the reference machine, without a budget and with 1 to 8", () => {
    const host = hostFor(abiName);
    for (let seed = 1; seed <= 60; seed++) {
      const { source, budget } = randomProgram(seed);
      const program = parseProgram(source);
      verifyProgram(program);
      const loaded = host.loadProgram(program, { fuel: true });
      for (const b of seed <= 15 ? [budget, ...BUDGETS] : [budget]) {
        const actual = runInterpreted(host, loaded, 2048, b, 200);
        expect(actual, `seed ${seed}, budget ${b}:\n${source}`).toEqual(
          reference(program, 2048, b, 200),
        );
      }
      host.unloadProgram(loaded);
    }
    // Seconds of interpretation: generous, for a machine shared with other work.
  }, 60_000);
});

test("a budget trap on `hostcall h(r1) -> r1` or `yield r1 -> r1` leaves r1 alone", () => {
  for (const source of [
    "mov r1, 42\nhostcall h(r1) -> r1\nexit r1",
    "mov r1, 42\nyield r1 -> r1\nexit r1",
  ]) {
    const program = parseProgram(source);
    const expected = reference(program, DEFAULT_STACK, 1n, 50);
    // The reference machine: the host call (or yield) sees 42, not a resume value.
    expect(expected).toContainEqual(
      source.includes("hostcall")
        ? { kind: "hostcall", name: "h", args: [42n] }
        : { kind: "yield", value: 42n },
    );
    for (const abiName of Object.keys(abis)) {
      const host = hostFor(abiName);
      const loaded = host.loadProgram(program, { fuel: true });
      expect(runInterpreted(host, loaded, DEFAULT_STACK, 1n, 50), abiName).toEqual(expected);
      host.unloadProgram(loaded);
    }
  }
});
