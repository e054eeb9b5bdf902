/**
 * The x86-64 instruction set: 64-bit integer registers, xmm0-xmm15, stack pointer rsp, scratch registers r11 and rcx for instruction selection, Intel-syntax GNU assembler text.
 *
 * Every instruction set is a module of the same shape (compare
 * `src/arch/<arch>/index.ts`): `name`, register lists, `select` (LIR to
 * instructions), `sizeOf`, `encode`, `format`, `asmPrologue`, the `Cpu`
 * interpreter class and `createCpu`. The package exports the module as the
 * namespace `x86_64`, which is itself an {@link Arch}.
 *
 * @example
 * ```ts
 * import { assemble, x86_64 } from "@greenthreads/isa";
 * const items = x86_64.select([{ op: "li", dst: "rax", imm: 0x1234_5678_9abc_def0n }]);
 * console.log(x86_64.format(items)); // "  movabs rax, 0x123456789abcdef0\n"
 * console.log(assemble(x86_64, items, 0x1000n).bytes.length); // 10
 * ```
 *
 * @module
 */

import type { Reg } from "../../lir/lir.js";
import type { Memory } from "../../memory/memory.js";
import type { Cpu as CpuContract } from "../arch.js";
import { sharingFrozen } from "../shared-selection.js";
import { X86Cpu } from "./interpret.js";
import { X86_INTEGER_REGISTERS, X86_XMM_REGISTERS } from "./registers.js";
import { selectX86 } from "./select.js";

export { encodeX86 as encode, sizeOfX86 as sizeOf } from "./encode.js";
export { formatX86 as format, X86_ASM_PROLOGUE as asmPrologue } from "./format.js";
export type {
  X86AluKind as AluKind,
  X86Condition as Condition,
  X86Instruction as Instruction,
  X86ShiftKind as ShiftKind,
} from "./instructions.js";
export { X86_CONDITIONS as CONDITIONS } from "./instructions.js";
export { X86Cpu as Cpu } from "./interpret.js";

/**
 * The instruction set's name.
 *
 * @example
 * ```ts
 * import { x86_64 } from "@greenthreads/isa";
 * console.log(x86_64.name); // "x86_64"
 * ```
 */
export const name = "x86_64" as const;

/**
 * Integer registers, in encoding order.
 *
 * @example
 * ```ts
 * import { x86_64 } from "@greenthreads/isa";
 * console.log(x86_64.integerRegisters.length > 0); // true
 * ```
 */
export const integerRegisters: readonly Reg[] = X86_INTEGER_REGISTERS;

/**
 * Float/vector registers, in encoding order.
 *
 * @example
 * ```ts
 * import { x86_64 } from "@greenthreads/isa";
 * console.log(x86_64.floatRegisters.length > 0); // true
 * ```
 */
export const floatRegisters: readonly Reg[] = X86_XMM_REGISTERS;

/**
 * The stack pointer's name.
 *
 * @example
 * ```ts
 * import { x86_64 } from "@greenthreads/isa";
 * console.log(x86_64.stackPointer); // "rsp"
 * ```
 */
export const stackPointer: Reg = "rsp";

/**
 * Registers that `select` may clobber to build operations the instruction
 * set lacks; no generator keeps a value in them across an LIR operation.
 *
 * @example
 * ```ts
 * import { x86_64 } from "@greenthreads/isa";
 * console.log(x86_64.reserved.length); // 2
 * ```
 */
export const reserved: readonly Reg[] = ["r11", "rcx"];

/**
 * Instruction selection: LIR in, instructions and labels out.
 *
 * @example
 * ```ts
 * import { x86_64 } from "@greenthreads/isa";
 * console.log(x86_64.select([{ op: "label", name: "f" }])[0]); // { op: "label", name: "f" }
 * ```
 */
export const select = sharingFrozen(selectX86);

/**
 * A new interpreter over `memory`, every register zero: `new Cpu(memory)`
 * typed as the {@link Cpu} contract.
 *
 * @example
 * ```ts
 * import { memory, x86_64 } from "@greenthreads/isa";
 * console.log(x86_64.createCpu(new memory.Memory()).pc); // 0n
 * ```
 */
export function createCpu(memory: Memory): CpuContract {
  return new X86Cpu(memory);
}
