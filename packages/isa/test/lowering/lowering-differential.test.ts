/**
 * Lowered thread programs, run in the interpreter on every ABI, must stop at
 * the same traps with the same values as the reference machine.
 */
import { describe, expect, test } from "vitest";
import { abis } from "../../src/abi/registry.js";
import { INTERPRETED_LAYOUT, InterpretedHost } from "../../src/program/interpreted-host.js";
import { parseProgram } from "../../src/program/parse.js";
import type { Program } from "../../src/program/program.js";
import { runReference } from "../../src/program/reference.js";
import { stackCapacityWords } from "../../src/program/stack-capacity.js";
import type { Trap } from "../../src/program/trap.js";
import { verifyProgram } from "../../src/program/verify.js";
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
  program: Program,
  stackSize: number,
  budget: bigint | undefined,
  maxTraps: number,
): Trap[] {
  const loaded = host.loadProgram(program, { fuel: budget !== undefined });
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

describe.each(Object.keys(abis))("lowered programs on %s", (abiName) => {
  test.each(CORPUS)("$name", ({ source, budget, stackSize = DEFAULT_STACK }) => {
    const program = parseProgram(source);
    verifyProgram(program);
    const expected = runReference(program, {
      stackWords: stackCapacityWords(stackSize),
      ...(budget === undefined ? {} : { budget }),
      answer,
      maxTraps: 500,
    });
    const actual = runInterpreted(hostFor(abiName), program, stackSize, budget, 500);
    expect(actual).toEqual(expected);
    expect(["exit", "fault"]).toContain(actual.at(-1)!.kind);
  });

  test("200 random programs agree with the reference machine", () => {
    for (let seed = 1; seed <= 200; seed++) {
      const { source, budget } = randomProgram(seed);
      const program = parseProgram(source);
      verifyProgram(program);
      const expected = runReference(program, {
        stackWords: stackCapacityWords(2048),
        ...(budget === undefined ? {} : { budget }),
        answer,
        maxTraps: 200,
      });
      const actual = runInterpreted(hostFor(abiName), program, 2048, budget, 200);
      expect(actual, `seed ${seed}:\n${source}`).toEqual(expected);
    }
    // Seconds of interpretation: generous, for a machine shared with other work.
  }, 60_000);
});
