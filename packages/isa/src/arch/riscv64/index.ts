/**
 * The RV64G instruction set: typed instructions, encoder, GNU assembler
 * formatter, interpreter and instruction selection from LIR. This module is
 * the one re-export point of the instruction set's public API.
 *
 * @module
 */

import type { Memory } from "../../machine/memory.js";
import type { Arch } from "../arch.js";
import { sharingFrozen } from "../shared-selection.js";
import { rvEncode, rvSizeOf } from "./encode.js";
import { RV_ASM_PROLOGUE, rvFormat } from "./format.js";
import type { RvInstruction } from "./instructions.js";
import { RvCpu } from "./interpret.js";
import { RV_FLOAT_REGISTERS, RV_INTEGER_REGISTERS } from "./registers.js";
import { rvSelect } from "./select.js";

export * from "./encode.js";
export * from "./format.js";
export * from "./instructions.js";
export * from "./interpret.js";
export * from "./registers.js";
export * from "./select.js";

/**
 * The RV64G instruction set: integer registers zero-t6 by ABI name, 64-bit
 * float registers ft0-ft11/fs0-fs11/fa0-fa7, stack pointer sp, scratch
 * registers t6 and t5 for instruction selection, GNU assembler text without
 * compressed instructions.
 *
 * @example
 * ```ts
 * import { assemble, riscv64 } from "@greenthreads/isa";
 * const items = riscv64.select([{ op: "li", dst: "a0", imm: 0x12345678n }]);
 * console.log(riscv64.format(items)); // "  lui a0, 74565\n  addiw a0, a0, 1656\n"
 * console.log(assemble(riscv64, items, 0x1000n).bytes.length); // 8
 * ```
 */
export const riscv64: Arch<RvInstruction> = {
  name: "riscv64",
  integerRegisters: RV_INTEGER_REGISTERS,
  floatRegisters: RV_FLOAT_REGISTERS,
  stackPointer: "sp",
  reserved: ["t6", "t5"],
  select: sharingFrozen(rvSelect),
  sizeOf: rvSizeOf,
  encode: rvEncode,
  format: rvFormat,
  asmPrologue: RV_ASM_PROLOGUE,
  createCpu: (memory: Memory) => new RvCpu(memory),
};
