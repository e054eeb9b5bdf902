/**
 * Lowered thread programs, run in the interpreter on every ABI, must stop at
 * the same traps with the same values as the reference machine.
 */
import { describe, expect, test } from "vitest";
import { abis } from "../../src/abi/registry.js";
import { parseProgram } from "../../src/language/parse.js";
import type { Program } from "../../src/language/program.js";
import { verifyProgram } from "../../src/language/verify.js";
import { stackCapacityWords } from "../../src/lowering/stack-capacity.js";
import {
  INTERPRETED_LAYOUT,
  InterpretedHost,
  type InterpretedProgram,
} from "../../src/protocol/interpreted-host.js";
import type { Trap } from "../../src/protocol/trap.js";
import { runReference } from "../../src/semantics/reference.js";
import { CORPUS } from "./corpus.js";
import { randomProgram } from "./random-programs.js";

const DEFAULT_STACK = 8192;

/** The host's answer to a trap: deterministic, and different per trap. */
function answer(trap: Trap): bigint | undefined {
  if (trap.kind === "hostcall") {
    return trap.args.reduce((a, b) => a * 3n + b, BigInt(trap.name.length)) & 0xffff_ffff_ffffn;
  }
  if (trap.kind === "yield") return trap.value * 2n + 1n;
  return undefined;
}

function runInterpreted(
  host: InterpretedHost,
  loaded: InterpretedProgram,
  stackSize: number,
  budget: bigint | undefined,
  maxTraps: number,
): Trap[] {
  const stackLow = INTERPRETED_LAYOUT.stacks;
  const thread = host.createThread(loaded, {
    stackLow,
    stackHigh: stackLow + BigInt(stackSize),
    ...(budget === undefined ? {} : { budget }),
  });
  const traps: Trap[] = [];
  let value: bigint | undefined;
  while (traps.length < maxTraps) {
    const trap = host.resume(thread, value ?? 0n);
    traps.push(trap);
    if (trap.kind === "exit" || trap.kind === "fault") break;
    value = answer(trap);
  }
  host.releaseThread(thread);
  return traps;
}

function reference(
  program: Program,
  stackSize: number,
  budget: bigint | undefined,
  maxTraps: number,
): Trap[] {
  return runReference(program, {
    stackWords: stackCapacityWords(stackSize),
    ...(budget === undefined ? {} : { budget }),
    answer,
    maxTraps,
  });
}

const hosts = new Map<string, InterpretedHost>();
function hostFor(name: string): InterpretedHost {
  let host = hosts.get(name);
  if (!host) {
    host = new InterpretedHost(abis[name as keyof typeof abis]);
    host.memory.map(INTERPRETED_LAYOUT.stacks - 4096n, 4096, ""); // guard
    host.memory.map(INTERPRETED_LAYOUT.stacks, 64 * 1024, "rw");
    hosts.set(name, host);
  }
  return host;
}

/** Budgets every program also runs with: 1 puts a budget trap before every instruction. */
const BUDGETS = [1n, 2n, 3n, 4n, 5n, 6n, 7n, 8n];

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
