/**
 * A small machine for the RISC-V tests: code assembled at CODE (read and
 * execute), a data page at DATA (read and write) with a no-access guard page
 * below it, run until the end of the code.
 */

import type { StopReason } from "../../src/arch/arch.js";
import { assemble } from "../../src/arch/assemble.js";
import * as riscv64 from "../../src/arch/riscv64/index.js";
import type { RvItem } from "../../src/arch/riscv64/instructions.js";
import type { RvCpu } from "../../src/arch/riscv64/interpret.js";
import { Memory } from "../../src/memory/memory.js";

export const CODE = 0x10_0000n;
export const DATA = 0x40_0000n;
export const GUARD = DATA - 0x1000n;

export interface Run {
  readonly cpu: RvCpu;
  readonly stop: StopReason;
  readonly end: bigint;
  readonly labels: ReadonlyMap<string, bigint>;
}

/** Assembles `items` at CODE and runs them with `init` registers until the end of the code. */
export function run(
  items: readonly RvItem[],
  init: Readonly<Record<string, bigint>> = {},
  options: { maxSteps?: number; data?: (memory: Memory) => void } = {},
): Run {
  const code = assemble(riscv64, items, CODE);
  const memory = new Memory();
  const codeSize = Math.max(4096, Math.ceil(code.bytes.length / 4096) * 4096);
  memory.map(CODE, codeSize, "rx");
  memory.poke(CODE, code.bytes);
  memory.map(GUARD, 4096, "");
  memory.map(DATA, 0x4000, "rw");
  options.data?.(memory);
  const cpu = riscv64.createCpu(memory) as RvCpu;
  cpu.load(code);
  for (const [reg, value] of Object.entries(init)) cpu.set(reg, value);
  cpu.pc = CODE;
  const end = CODE + BigInt(code.bytes.length);
  const stop = cpu.run({ stopAt: [end], maxSteps: options.maxSteps ?? 100_000 });
  return { cpu, stop, end, labels: code.labels };
}

export const u64 = (v: bigint): bigint => BigInt.asUintN(64, v);
