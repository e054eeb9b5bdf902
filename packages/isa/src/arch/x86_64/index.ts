/**
 * The x86-64 instruction set: the one public entry point of its modules.
 *
 * @module
 */

import type { Memory } from "../../machine/memory.js";
import type { Arch } from "../arch.js";
import { sharingFrozen } from "../shared-selection.js";
import { encodeX86, sizeOfX86 } from "./encode.js";
import { formatX86, X86_ASM_PROLOGUE } from "./format.js";
import type { X86Instruction } from "./instructions.js";
import { X86Cpu } from "./interpret.js";
import { X86_INTEGER_REGISTERS, X86_XMM_REGISTERS } from "./registers.js";
import { selectX86 } from "./select.js";

export { encodeX86, sizeOfX86 } from "./encode.js";
export { formatX86, formatX86Instruction, X86_ASM_PROLOGUE } from "./format.js";
export {
  X86_CONDITIONS,
  type X86AluKind,
  type X86Condition,
  type X86Instruction,
  type X86Op,
  type X86ShiftKind,
} from "./instructions.js";
export { X86Cpu } from "./interpret.js";
export {
  isX86IntegerRegister,
  X86_INTEGER_REGISTERS,
  X86_SPECIAL_REGISTERS,
  X86_XMM_REGISTERS,
  x86IntegerNumber,
  x86Register32,
  x86XmmNumber,
} from "./registers.js";
export { selectX86 } from "./select.js";

/**
 * The x86-64 instruction set: 64-bit integer registers, xmm0-xmm15, stack
 * pointer rsp, scratch registers r11 and rcx for instruction selection,
 * Intel-syntax GNU assembler text.
 *
 * @example
 * ```ts
 * import { assemble, x86_64 } from "@greenthreads/isa";
 * const items = x86_64.select([{ op: "li", dst: "rax", imm: 0x1234_5678_9abc_def0n }]);
 * console.log(x86_64.format(items)); // "  movabs rax, 0x123456789abcdef0\n"
 * console.log(assemble(x86_64, items, 0x1000n).bytes.length); // 10
 * ```
 */
export const x86_64: Arch<X86Instruction> = {
  name: "x86_64",
  integerRegisters: X86_INTEGER_REGISTERS,
  floatRegisters: X86_XMM_REGISTERS,
  stackPointer: "rsp",
  reserved: ["r11", "rcx"],
  select: sharingFrozen(selectX86),
  sizeOf: sizeOfX86,
  encode: encodeX86,
  format: formatX86,
  asmPrologue: X86_ASM_PROLOGUE,
  createCpu: (memory: Memory) => new X86Cpu(memory),
};
