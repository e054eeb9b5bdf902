/**
 * A small machine for the AArch64 tests: code at CODE (read + execute), a
 * data region at DATA (read + write) with a no-access guard page just below
 * it, and a stack whose top is STACK_TOP (16-byte aligned).
 */

import * as aarch64 from "../../src/arch/aarch64/index.js";
import type { A64Item } from "../../src/arch/aarch64/instructions.js";
import type { Cpu, StopReason } from "../../src/arch/arch.js";
import { assemble } from "../../src/arch/assemble.js";
import { Memory } from "../../src/memory/memory.js";

export const CODE = 0x10000n;
export const GUARD = 0x3f000n;
export const DATA = 0x40000n;
export const DATA_SIZE = 0x4000;
export const STACK_TOP = DATA + BigInt(DATA_SIZE);

export interface Run {
  readonly cpu: Cpu;
  readonly stop: StopReason;
  readonly end: bigint;
  readonly labels: ReadonlyMap<string, bigint>;
}

/** Assembles `items` followed by an `end` label, loads them, sets `regs`, runs to `end`. */
export function exec(
  items: readonly A64Item[],
  regs: Record<string, bigint> = {},
  options: { maxSteps?: number; setup?: (cpu: Cpu) => void } = {},
): Run {
  const memory = new Memory();
  const code = assemble(aarch64, [...items, { op: "label", name: "end" }, { op: "nop" }], CODE);
  const size = Math.ceil(code.bytes.length / 4096) * 4096;
  memory.map(CODE, size, "rx");
  memory.poke(CODE, code.bytes);
  memory.map(GUARD, 4096, "");
  memory.map(DATA, DATA_SIZE, "rw");
  const cpu = aarch64.createCpu(memory);
  cpu.load(code);
  cpu.pc = CODE;
  cpu.set("sp", STACK_TOP);
  for (const [name, value] of Object.entries(regs)) cpu.set(name, value);
  options.setup?.(cpu);
  const end = code.labels.get("end")!;
  const stop = cpu.run({ stopAt: [end], maxSteps: options.maxSteps ?? 100_000 });
  return { cpu, stop, end, labels: code.labels };
}

/** Runs and expects to reach the end; returns the CPU. */
export function run(items: readonly A64Item[], regs: Record<string, bigint> = {}): Cpu {
  const r = exec(items, regs);
  if (r.stop.kind !== "stopped")
    throw new Error(
      `expected to stop at end, got ${JSON.stringify(r.stop, (_, v) => (typeof v === "bigint" ? `0x${v.toString(16)}` : v))}`,
    );
  return r.cpu;
}

export const MASK = (1n << 64n) - 1n;
export const u = (v: bigint): bigint => BigInt.asUintN(64, v);
