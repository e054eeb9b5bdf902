/**
 * The AArch64 instruction set: typed instructions, encoder, GNU assembler
 * formatter, interpreter and instruction selection from LIR. This module is
 * the one re-export point of the instruction set's public API.
 *
 * @module
 */

import type { Arch } from "../arch.js";
import { sharingFrozen } from "../shared-selection.js";
import { a64Encode, a64SizeOf } from "./encode.js";
import { A64_ASM_PROLOGUE, a64Format } from "./format.js";
import type { A64Instruction } from "./instructions.js";
import { a64CreateCpu } from "./interpret.js";
import { A64_D_REGISTERS, A64_X_REGISTERS } from "./registers.js";
import { A64_RESERVED, a64Select } from "./select.js";

export * from "./encode.js";
export * from "./format.js";
export * from "./instructions.js";
export * from "./interpret.js";
export * from "./registers.js";
export * from "./select.js";

/**
 * The AArch64 instruction set (ARMv8-A, 64-bit registers): the subset the
 * runtime's routines need, with x16/x17 reserved for instruction selection.
 *
 * @example
 * ```ts
 * import { aarch64, assemble } from "@greenthreads/isa";
 * const items = aarch64.select([{ op: "li", dst: "x0", imm: 0x1234_5678n }, { op: "jr", reg: "x30" }]);
 * console.log(aarch64.format(items));
 * // "  movz x0, #22136\n  movk x0, #4660, lsl #16\n  br x30\n"
 * console.log(assemble(aarch64, items, 0x1000n).bytes.length); // 12
 * ```
 */
export const aarch64: Arch<A64Instruction> = {
  name: "aarch64",
  integerRegisters: A64_X_REGISTERS,
  floatRegisters: A64_D_REGISTERS,
  stackPointer: "sp",
  reserved: A64_RESERVED,
  select: sharingFrozen(a64Select),
  sizeOf: a64SizeOf,
  encode: a64Encode,
  format: a64Format,
  asmPrologue: A64_ASM_PROLOGUE,
  createCpu: a64CreateCpu,
};
