/**
 * Running a thread program both ways, for the tests that compare lowered
 * code in the interpreter with the reference machine: the interpreted host
 * and the reference machine answer every trap the same deterministic way.
 */
import type { Program } from "../../src/language/program.js";
import { stackCapacityWords } from "../../src/lowering/stack-capacity.js";
import {
  INTERPRETED_LAYOUT,
  type InterpretedHost,
  type InterpretedProgram,
} from "../../src/protocol/interpreted-host.js";
import type { Trap } from "../../src/protocol/trap.js";
import { runReference } from "../../src/semantics/reference.js";

export const DEFAULT_STACK = 8192;

/** Budgets every program also runs with: 1 puts a budget trap before every instruction. */
export const BUDGETS = [1n, 2n, 3n, 4n, 5n, 6n, 7n, 8n];

/** The host's answer to a trap: deterministic, and different per trap. */
export function answer(trap: Trap): bigint | undefined {
  if (trap.kind === "hostcall") {
    return trap.args.reduce((a, b) => a * 3n + b, BigInt(trap.name.length)) & 0xffff_ffff_ffffn;
  }
  if (trap.kind === "yield") return trap.value * 2n + 1n;
  return undefined;
}

/** Runs a loaded program on a fresh thread until it exits, faults or has trapped `maxTraps` times. */
export function runInterpreted(
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

/** The same run on the reference machine, the host answering with `answers` (this file's by default). */
export function reference(
  program: Program,
  stackSize: number,
  budget: bigint | undefined,
  maxTraps: number,
  answers: (trap: Trap) => bigint | undefined = answer,
): Trap[] {
  return runReference(program, {
    stackWords: stackCapacityWords(stackSize),
    ...(budget === undefined ? {} : { budget }),
    answer: answers,
    maxTraps,
  });
}

/** Maps a guard page and 64 KiB of stack at the layout's stack address, as every run expects. */
export function mapStacks(host: InterpretedHost): InterpretedHost {
  host.memory.map(INTERPRETED_LAYOUT.stacks - 4096n, 4096, ""); // guard
  host.memory.map(INTERPRETED_LAYOUT.stacks, 64 * 1024, "rw");
  return host;
}
